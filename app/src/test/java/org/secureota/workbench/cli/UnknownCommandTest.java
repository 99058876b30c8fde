package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/** A word that names no command is an error, even next to --help: a typo must not look like success. */
@Tag("integration")
class UnknownCommandTest {

    @Test
    void anUnknownCommandWithHelpIsNamedWithTheClosestCommand() {
        CliTestSupport.Run run = CliTestSupport.run("serv", "--help");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("'serv' is not a command of 'workbench'").contains("serve");
        assertThat(run.out()).doesNotContain("Usage:");
    }

    @Test
    void anUnknownCommandAloneIsRefusedWithExitCode2() {
        CliTestSupport.Run run = CliTestSupport.run("frobnicate");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("frobnicate");
    }

    @Test
    void anUnknownSubcommandIsNamedInItsCommand() {
        CliTestSupport.Run run = CliTestSupport.run("firmware", "inspekt", "--help");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("'inspekt' is not a command of 'workbench firmware'").contains("inspect");
    }

    @Test
    void helpOfAKnownCommandStillWorks() {
        CliTestSupport.Run run = CliTestSupport.run("serve", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: workbench serve");
    }
}
