package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

    @Test
    void aFolderWithOneBadScriptIsRefusedBeforeAnythingRunsWithEveryProblemsPosition(@TempDir Path dir) throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("scripts"));
        Files.writeString(scripts.resolve("a-good.yaml"), """
                title: {en: Good, fr: Bon}
                summary: {en: Fine, fr: Bien}
                devices:
                  - {id: lab-01, product: shop-display, starting-version: 1.0.0}
                steps:
                  - check: lab-01
                    narration: {en: Check, fr: Vérifier}
                    timeout: 30s
                """);
        Files.writeString(scripts.resolve("b-bad.yaml"), """
                title: {en: Bad, fr: Mauvais}
                summary: {en: Broken, fr: Cassé}
                devices:
                  - {id: lab-01, product: shop-display, starting-version: 1.0.0}
                steps:
                  - arm: no-such-attack
                    narration: {en: Arm, fr: Armer}
                    timeout: 1s
                """);
        CliTestSupport.Run r = CliTestSupport.run("--lab", dir.resolve("lab").toString(), "run", scripts.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("refused before anything ran")
                .contains(scripts.resolve("b-bad.yaml") + ":6:10: unknown attack id 'no-such-attack'");
        // Nothing ran: no session was recorded.
        assertThat(dir.resolve("lab/sessions")).doesNotExist();
    }

    @Test
    void anUnknownLanguageAndAMissingScriptAreBadUsage(@TempDir Path dir) {
        assertThat(CliTestSupport.run("--lab", dir.toString(), "run", dir.resolve("none.yaml").toString()).err())
                .contains("No script at");
        CliTestSupport.Run r = CliTestSupport.run("--lab", dir.toString(), "run", "demo-scripts/", "--lang", "de");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("unknown language 'de': use en or fr");
    }
}
