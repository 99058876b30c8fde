package org.secureota.workbench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Prerequisites;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.foundation.LabFolder;
import org.junit.jupiter.api.Tag;

/**
 * Every shipped demo script, run headless through the same runner as {@code ./workbench run}, each
 * in a fresh lab session on the real server, the real attacker and virtual ESP32s running the real
 * firmware. Prints each script's time and the total: the benchmark of issue 12 (goal: all of them
 * in under 2 minutes on the 2-core CI machine); it asserts results, never times.
 */
@Tag("e2e")
class DemoScriptsTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath().normalize();
    static final List<String> TIMES = new ArrayList<>();
    static long totalMillis;

    @TempDir
    static Path lab;

    @BeforeAll
    static void boardBuilt() {
        boolean built = VirtualEsp32.isBuilt(ROOT);
        String why = "the virtual ESP32 is not built (" + VirtualEsp32.executable(ROOT)
                + " is missing): run esp32-firmware/host-build.sh (or mvn package)";
        Prerequisites.require(built, why);
    }

    @TestFactory
    Stream<DynamicTest> everyShippedScriptPassesHeadless() throws Exception {
        List<Path> scripts;
        try (Stream<Path> list = Files.list(ROOT.resolve("demo-scripts"))) {
            scripts = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(scripts).as("shipped scripts").hasSizeGreaterThanOrEqualTo(23);
        ScriptReader reader = ScenarioRun.reader();
        return scripts.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            DemoScript script = reader.read(file);
            ScenarioRun.Outcome o = ScenarioRun.run(script, new LabFolder(lab), ROOT, RunMode.HEADLESS, Language.EN, r -> { });
            RunSnapshot r = o.result();
            totalMillis += o.wallTime().toMillis();
            TIMES.add(String.format(Locale.ROOT, "%-28s %-7s %6.1f s", file.getFileName(), r.state(), o.wallTime().toMillis() / 1000.0));
            StringBuilder why = new StringBuilder();
            if (r.problem() != null) {
                why.append(r.problem()).append('\n');
            }
            for (StepSnapshot s : r.steps()) {
                if (s.status() != StepStatus.PASSED) {
                    why.append("step ").append(s.index()).append(' ').append(s.action()).append(": ").append(s.status()).append('\n');
                    s.expectations().stream().filter(e -> !e.held()).forEach(e -> why.append("  ").append(e.description())
                            .append(": expected ").append(e.expected()).append(", seen ").append(e.seen()).append('\n'));
                    if (s.failure() != null) {
                        why.append(s.failure()).append('\n');
                    }
                }
            }
            assertThat(r.state()).as(file + "\n" + why).isEqualTo(RunState.PASSED);
            assertThat(o.sessionFolder().resolve("report.html")).exists();
            assertThat(o.sessionFolder().resolve("journal.jsonl")).exists();
        }));
    }

    @AfterAll
    static void printTotal() {
        if (!TIMES.isEmpty()) {
            System.out.println("[ demo scripts ] each in a fresh session, headless:");
            TIMES.forEach(t -> System.out.println("[ demo scripts ]   " + t));
            System.out.printf(Locale.ROOT, "[ demo scripts ] total %.1f s for %d scripts (goal: under 120 s on the 2-core CI machine)%n",
                    totalMillis / 1000.0, TIMES.size());
        }
    }
}
