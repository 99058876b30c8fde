package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Waits;

/**
 * The first window after a build runs as the launcher's child (the launcher renames the class-data archive once
 * the JVM has written it). A TERM sent to the launcher, as `timeout` or a session's end sends it, closes that
 * window and its virtual board: before, the launcher died alone and the window ran on without it, and the
 * archive it wrote was left under its temporary name.
 */
@Tag("e2e")
class LauncherSignalTest {

    private final Path project = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();

    @BeforeAll
    static void display() {
        FxSupport.requireDisplay();
    }

    @Test
    void aTermSentToTheLauncherClosesTheFirstWindowAndItsBoardAndKeepsTheArchive(@TempDir Path tmp) throws Exception {
        // The launcher beside a jar laid out as `mvn package` lays it out, in a folder of its own: no class-data
        // archive there yet. (Made here: `mvn verify` runs the tests before its package phase.)
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("target"));
        Files.copy(project.resolve("workbench"), root.resolve("workbench"));
        packageLikeMaven(root.resolve("target"));
        Files.createDirectories(root.resolve("esp32-firmware"));
        Files.createSymbolicLink(root.resolve("esp32-firmware/build"), project.resolve("esp32-firmware/build"));
        Path lab = tmp.resolve("lab");
        Process launcher = new ProcessBuilder("bash", root.resolve("workbench").toString(), "--lab", lab.toString(), "gui")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("window.log").toFile()).start();
        try {
            Waits.until(() -> Files.exists(lab.resolve("devices/esp32-lab-01/tty")), Duration.ofMinutes(3),
                    () -> "the window's virtual board on its pty; the window said: " + log(tmp));
            assertThat(launcher.isAlive()).isTrue();
            List<ProcessHandle> started = running(lab);
            assertThat(started).as("the window's JVM and its board").hasSizeGreaterThanOrEqualTo(2);

            launcher.destroy(); // SIGTERM to the launcher only, not to its children
            assertThat(launcher.waitFor(2, TimeUnit.MINUTES)).as("the launcher ends").isTrue();
            Waits.until(() -> running(lab).isEmpty(), Duration.ofSeconds(30),
                    () -> "no process of the window left; still running: " + running(lab).stream()
                            .map(p -> p.info().commandLine().orElse("?")).toList());
            assertThat(root.resolve("target/workbench.jsa")).as("the class-data archive, renamed").exists();
            try (var left = Files.list(root.resolve("target"))) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("workbench.jsa."));
            }
        } finally {
            launcher.destroyForcibly();
            running(lab).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * {@code target/secure-ota-workbench.jar} (the compiled classes, the same Main-Class) and {@code target/lib/} (links
     * to the runtime libraries on this test's class path, named in the jar's Class-Path), as the POM makes them.
     */
    private void packageLikeMaven(Path target) throws java.io.IOException {
        Path lib = Files.createDirectories(target.resolve("lib"));
        List<String> classPath = new java.util.ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            String name = jar.getFileName().toString();
            if (name.endsWith(".jar") && Files.isRegularFile(jar) && !TEST_ONLY.matcher(name).find()
                    && !Files.exists(lib.resolve(name))) {
                Files.createSymbolicLink(lib.resolve(name), jar.toAbsolutePath());
                classPath.add("lib/" + name);
            }
        }
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, "org.secureota.workbench.cli.WorkbenchCli");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        Path classes = project.resolve("target/classes");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(target.resolve("secure-ota-workbench.jar")), manifest);
             var files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    /** Libraries of the tests only, which the product's jar does not name. */
    private static final java.util.regex.Pattern TEST_ONLY =
            java.util.regex.Pattern.compile("junit|testfx|assertj|opentest4j|apiguardian|hamcrest|byte-buddy|surefire");

    /** Processes whose command line names the lab folder (the window's JVM and its virtual boards). */
    private static List<ProcessHandle> running(Path lab) {
        String name = lab.toString() + File.separator;
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(lab.toString() + " ") || c.contains(name)).orElse(false))
                .toList();
    }

    private static String log(Path tmp) {
        try {
            return Files.readString(tmp.resolve("window.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
