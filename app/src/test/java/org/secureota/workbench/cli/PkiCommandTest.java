package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

@Tag("integration")
class PkiCommandTest {

    @Test
    void initShowVerifyAndRefusalToOverwrite(@TempDir Path lab) throws Exception {
        CliTestSupport.Run init = CliTestSupport.run("--lab", lab.toString(), "pki", "init");
        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(lab.resolve("certs/ca.pem")).exists();
        // Keys are never printed.
        assertThat(init.out()).doesNotContain("BEGIN PRIVATE KEY");

        // --lab is accepted after the subcommand too.
        CliTestSupport.Run verify = CliTestSupport.run("pki", "verify", "--lab", lab.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();

        CliTestSupport.Run show = CliTestSupport.run("--lab", lab.toString(), "pki", "show");
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains("server.pem", "DNS:localhost", "SHA-256:", "rogue.pem");
        assertThat(show.out()).doesNotContain("PRIVATE KEY");

        String before = Files.readString(lab.resolve("certs/server.pem"));
        CliTestSupport.Run again = CliTestSupport.run("--lab", lab.toString(), "pki", "init");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(again.err()).contains("already exists", "--force");
        assertThat(Files.readString(lab.resolve("certs/server.pem"))).isEqualTo(before);
    }

    @Test
    void verifyFailsWithExitOneWhenTheServerKeyWasSwapped(@TempDir Path lab) throws Exception {
        assertThat(CliTestSupport.run("--lab", lab.toString(), "pki", "init").exitCode()).isZero();
        Files.copy(lab.resolve("certs/rogue-key.pem"), lab.resolve("certs/server-key.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CliTestSupport.Run verify = CliTestSupport.run("--lab", lab.toString(), "pki", "verify");
        assertThat(verify.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(verify.out()).contains("server-key.pem does not match its certificate");
    }

    @Test
    void showWithoutPkiIsBadInputWithAHint(@TempDir Path lab) {
        CliTestSupport.Run show = CliTestSupport.run("--lab", lab.toString(), "pki", "show");
        assertThat(show.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(show.err()).contains("pki init");
    }

    @Test
    void unknownOptionIsBadUsage() {
        CliTestSupport.Run run = CliTestSupport.run("pki", "init", "--no-such-option");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains("--no-such-option");
    }
}
