package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An hour of a presenter's use, compressed, measured in the process a presenter runs. The story
 * ({@link GuiSoakDriver}: the demo scripts in the window in a loop, the power-cut sweep among them, a
 * 100,000-event replay three quarters in, the resident memory every simulated minute) plays in a child JVM
 * started with the command {@code ./workbench gui} itself runs: the launcher prints it
 * ({@code WORKBENCH_JAVA_COMMAND=print}), with its environment, its JVM flags and its class-data archive; this
 * class only puts the small driver after the product jar on the class path. No JUnit, TestFX or Surefire class
 * is loaded in the measured JVM. The child's lines are relayed here and written to {@code target/gui-soak.txt}.
 *
 * <p>Not a test (the name keeps it out of {@code mvn verify}); it measures the built jar, so build it first:
 * <pre>
 * mvn -q -B -Dfirmware.skip=true -DskipTests package
 * xvfb-run -a mvn -B -Dfirmware.skip=true -Dtest=GuiSoakBenchmark -Dsurefire.failIfNoSpecifiedTests=false test
 * </pre>
 * {@code -Dsoak.minutes=60} (simulated minutes) and {@code -Dsoak.minuteSeconds=10} (real seconds per simulated
 * minute) set the compression; the scripts go on in a loop until the time is up. {@code -Dsoak.extraFlags="..."} adds JVM
 * flags after the launcher's, for an A/B run of a flag it does not have yet. When the launcher's class-data
 * archive is older than the jar, the benchmark first makes it as a presenter's first window does (a window opened
 * up to its first device boot, then closed).
 */
class GuiSoakBenchmark {

    private final Path root = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();

    @BeforeAll
    static void display() {
        FxSupport.requireDisplay();
    }

    @Test
    void anHourOfUseStaysWithinItsMemory(@TempDir Path work) throws Exception {
        int minutes = Integer.getInteger("soak.minutes", 60);
        long minuteSeconds = Long.getLong("soak.minuteSeconds", 10);
        List<String> command = launcherCommand(work);
        if (command == null) {
            makeClassDataArchive(work.resolve("first-window"));
            command = launcherCommand(work);
        }
        assertThat(command).as("the launcher's java command (WORKBENCH_JAVA_COMMAND=print ./workbench gui)").isNotNull();
        int jar = command.indexOf("-jar");
        assertThat(jar).as("the launcher runs the product jar with -jar: %s", command).isPositive();
        List<String> child = new ArrayList<>(command.subList(0, jar));
        // For an A/B run of a flag the launcher does not have yet (the figures then say so): -Dsoak.extraFlags="-Da=b -XX:..."
        String extra = System.getProperty("soak.extraFlags", "").strip();
        if (!extra.isEmpty()) {
            child.addAll(List.of(extra.split("\\s+")));
        }
        child.addAll(List.of("-cp", command.get(jar + 1) + ":" + driverClasses(work.resolve("driver")),
                GuiSoakDriver.class.getName(), work.toString(), String.valueOf(minutes), String.valueOf(minuteSeconds),
                root.resolve("target/gui-soak.txt").toString()));
        Process p = new ProcessBuilder(child).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println(line);
            }
        }
        assertThat(p.waitFor()).as("the soak's window process exited").isZero();
    }

    /** The launcher's command for {@code gui}, one argument a line; null when its class-data archive is missing. */
    private List<String> launcherCommand(Path work) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("workbench").toString(), "gui")
                .redirectError(work.resolve("launcher.err").toFile());
        pb.environment().put("WORKBENCH_JAVA_COMMAND", "print");
        Process p = pb.start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        int rc = p.waitFor();
        String err = Files.readString(work.resolve("launcher.err"));
        if (rc == 3 && err.contains("class-data archive")) {
            return null;
        }
        assertThat(rc).as("WORKBENCH_JAVA_COMMAND=print ./workbench gui: %s", err).isZero();
        return lines;
    }

    /**
     * The launcher's archive, made as a presenter's first window makes it: {@code ./workbench gui} records the
     * classes it loaded when it closes; it is closed (SIGTERM, as the desktop's close does) once its device booted.
     */
    private void makeClassDataArchive(Path lab) throws Exception {
        System.out.println("GUI soak: making the launcher's class-data archive (a first window, closed after its first boot)");
        Path log = Files.createDirectories(lab).resolve("first-window.log");
        Process p = new ProcessBuilder("bash", root.resolve("workbench").toString(), "--lab", lab.toString(), "gui", "--timing")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            org.secureota.workbench.Waits.until(() -> read(log).contains("the first device boot is shown"),
                    java.time.Duration.ofMinutes(5), () -> "the first window's first device boot:\n" + read(log));
        } finally {
            p.descendants().filter(d -> d.info().command().orElse("").endsWith("java")).forEach(ProcessHandle::destroy);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** A folder with only the driver's classes, to be appended to the product's class path. */
    private static Path driverClasses(Path dir) throws IOException {
        Path classes = Path.of(GuiSoakDriver.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        String pkg = GuiSoakDriver.class.getPackageName().replace('.', '/');
        Path to = Files.createDirectories(dir.resolve(pkg));
        try (var files = Files.list(classes.resolve(pkg))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(GuiSoakDriver.class.getSimpleName())).toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }
}
