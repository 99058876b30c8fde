package org.secureota.workbench.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Waits;

/** A workbench killed with SIGKILL leaves no board behind: the board quits when its stdin closes. */
@Timeout(180)
class NoOrphanTest {

    private static final java.time.Duration WAIT_FOR_EXIT = java.time.Duration.ofSeconds(30);

    @TempDir
    Path root;

    @Test
    void sigkillOfTheWorkbenchStopsItsBoards() throws Exception {
        SessionTestSupport.requireBoard();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                SessionChild.class.getName(), root.toString(), SessionTestSupport.ROOT.toString()))
                .redirectErrorStream(true).start();
        long boardPid = -1;
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.startsWith("pid ")) {
                    boardPid = Long.parseLong(line.substring(4).trim());
                    break;
                }
            }
            assertThat(boardPid).as("the child's board pid; child said:%n%s", output).isPositive();
            Optional<ProcessHandle> board = ProcessHandle.of(boardPid);
            assertThat(board).hasValueSatisfying(b -> assertThat(b.isAlive()).isTrue());
            new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start().waitFor();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Waits.until(() -> !board.get().isAlive(), WAIT_FOR_EXIT, "the orphaned board to exit");
            assertThat(board.get().isAlive()).as("board %d outlived the killed workbench", boardPid).isFalse();
        } finally {
            child.destroyForcibly();
        }
    }
}
