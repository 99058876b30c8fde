package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * Tests wait on states, not on the clock: a sleep "long enough for X" is flaky on a loaded machine
 * and slow on a quiet one. A sleep is allowed in {@link Waits} (the one polling loop), in
 * benchmarks and tours that pace or measure time, and where its line says why it is
 * {@code // not a wait: ...} (a check that something holds still, a deliberately slow listener).
 */
@Tag("unit")
class NoSleepAsWaitTest {

    private static final Path TESTS = Path.of("").toAbsolutePath().resolve("app/src/test/java");
    private static final Pattern SLEEP = Pattern.compile("\\bThread\\.sleep\\(|\\bTimeUnit\\.[A-Z]+\\.sleep\\(");

    @Test
    void everySleepInTheTestsIsAWaitHelperABenchmarkOrSaysWhyItIsNotAWait() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(TESTS)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String name = file.getFileName().toString();
                if (name.equals("Waits.java") || name.equals("NoSleepAsWaitTest.java") || name.endsWith("Benchmark.java")
                        || name.equals("ScreenshotTour.java") || name.equals("AttackBench.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (SLEEP.matcher(lines.get(i)).find() && !lines.get(i).contains("// not a wait:")) {
                        offenders.add(TESTS.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertThat(offenders).as("sleeps used to wait for a state: use Waits.until, Device.await or Journal.await").isEmpty();
    }
}
