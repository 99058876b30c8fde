package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** Where the CLI's files land: in the lab, never the current folder; and no empty session from a failed start. */
@Timeout(120)
@Tag("integration")
class SessionFilesTest {

    @TempDir
    Path lab;

    CliTestSupport.Run run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--lab";
        all[1] = lab.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliTestSupport.run(all);
    }

    @Test
    void aServerThatCannotStartLeavesNoSessionFolderAndExportFindsTheRealOne() throws Exception {
        Path sessions = lab.resolve("sessions");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliTestSupport.Run r = run("serve", "--port", String.valueOf(busy.getLocalPort()));
            assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(r.err()).contains("OTA server");
        }
        assertThat(Files.exists(sessions) ? Files.list(sessions).toList() : java.util.List.of())
                .as("no session folder from a start that failed").isEmpty();
        assertThat(run("export").err()).contains("No recorded session");

        // A session that did run: a board for a moment (no firmware needed: monitor of a missing port fails,
        // so record one with 'serve' being impossible here; write one the way a session does instead).
        Path real = Files.createDirectories(sessions.resolve("2026-01-01T10-00-00Z"));
        Files.writeString(real.resolve("journal.jsonl"), "");
        CliTestSupport.Run export = run("export");
        assertThat(export.exitCode()).as(export.err()).isZero();
        Path zip = sessions.resolve("session-2026-01-01T10-00-00Z.zip");
        assertThat(zip).as("the zip lands beside the session, not in the current folder").exists();
        assertThat(Path.of("session-2026-01-01T10-00-00Z.zip")).doesNotExist();
        assertThat(export.out()).contains(zip.toString());
    }
}
