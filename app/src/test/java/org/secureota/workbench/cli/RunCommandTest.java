package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

@Tag("e2e")
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
    @org.junit.jupiter.api.Timeout(300)
    void runShowsTheAttackersOwnJudgementAsItIsPublished(@TempDir Path dir) throws Exception {
        Path root = builtProjectRoot();
        CliTestSupport.Run r = CliTestSupport.run("--lab", dir.resolve("lab").toString(), "run",
                root.resolve("demo-scripts/12-flipped-byte.yaml").toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        String reason = "the flipped byte reached esp32-lab-01, which refused it at the sha256 check (HASH_MISMATCH)";
        assertThat(r.out()).contains("judged flipped-byte on esp32-lab-01: RESISTED (" + reason + ")");
        // The very judgement the session journaled: the script judged nothing itself.
        Path session;
        try (var folders = Files.list(dir.resolve("lab/sessions"))) {
            session = folders.findFirst().orElseThrow();
        }
        List<org.secureota.workbench.journal.JournalEvent> judged = org.secureota.workbench.journal.SessionReader
                .read(session.resolve("journal.jsonl")).events().stream()
                .filter(org.secureota.workbench.journal.EventType.ATTACK_JUDGED::is).toList();
        assertThat(judged).singleElement().satisfies(e -> assertThat(e.field("reason")).hasValue(reason));
    }

    @Test
    @org.junit.jupiter.api.Timeout(300)
    void stepModeUsesEnterTypedAheadAndStopsWhenStandardInputEnds(@TempDir Path dir) throws Exception {
        Path root = builtProjectRoot();
        java.io.InputStream stdin = System.in;
        CliTestSupport.Run r;
        try {
            // Two Enters, piped before the first step waits, then the end of input: two steps run, and
            // the third, which waits for an Enter that cannot come, stops the run (it used to wait for ever).
            System.setIn(new java.io.ByteArrayInputStream("\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            r = CliTestSupport.run("--lab", dir.resolve("lab").toString(), "run", "--step",
                    root.resolve("demo-scripts/01-lifecycle.yaml").toString());
        } finally {
            System.setIn(stdin);
        }
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out()).contains("standard input ended").contains("=== STOPPED: 2 of 5 steps passed");
    }

    /** The project root, whose virtual ESP32 the scripts run (a missing build fails in CI). */
    private static Path builtProjectRoot() {
        Path root = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
        org.secureota.workbench.Prerequisites.require(org.secureota.workbench.device.VirtualEsp32.isBuilt(root),
                "the virtual ESP32 is not built: run esp32-firmware/host-build.sh (or mvn package)");
        return root;
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
