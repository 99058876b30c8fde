package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** 'gui' says what it opens, and refuses bad options by name before any window or lab starts. */
@Tag("integration")
class GuiCommandTest {

    @Test
    void helpDescribesTheWindowAndItsOptions() {
        CliTestSupport.Run help = CliTestSupport.run("gui", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Open the workbench window with a live lab")
                .contains("--replay").contains("--lang").contains("--presentation");
    }

    @Test
    void anUnknownLanguageIsRefusedByName() {
        CliTestSupport.Run gui = CliTestSupport.run("gui", "--lang", "de");
        assertThat(gui.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(gui.err()).contains("--lang de").contains("en or fr");
    }

    @Test
    void anUnknownLcdLanguageIsRefusedByName() {
        CliTestSupport.Run gui = CliTestSupport.run("gui", "--lcd-lang", "de");
        assertThat(gui.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(gui.err()).contains("--lcd-lang de").contains("fr or en");
    }

    @Test
    void aMissingReplayJournalIsRefusedByName() {
        CliTestSupport.Run gui = CliTestSupport.run("gui", "--replay", "/nonexistent/journal.jsonl");
        assertThat(gui.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(gui.err()).contains("/nonexistent/journal.jsonl").contains("no such file");
    }
}
