package org.secureota.workbench.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Waits;
import org.secureota.workbench.journal.JournalJson;
import org.secureota.workbench.journal.SessionExport;
import org.secureota.workbench.journal.SessionLog;
import org.junit.jupiter.api.Tag;

/** A workbench killed with SIGKILL leaves no board behind: the board quits when its stdin closes. */
@Timeout(300)
@Tag("e2e")
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
                    boardPid = Long.parseLong(line.substring(4).trim().split(",")[0]);
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

    /**
     * Issue 27: SIGKILL in the middle of a fleet update of ten boards leaves no board process, a journal
     * whose every line is valid JSON, and a session from which the report is rebuilt.
     */
    @Test
    void sigkillDuringATenBoardUpdateLeavesNoBoardAndAValidJournal() throws Exception {
        SessionTestSupport.requireBoard();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                SessionChild.class.getName(), root.toString(), SessionTestSupport.ROOT.toString(), "10", "update"))
                .redirectErrorStream(true).start();
        List<Long> pids = List.of();
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.startsWith("pid ")) {
                    pids = Arrays.stream(line.substring(4).trim().split(",")).map(Long::parseLong).toList();
                    break;
                }
            }
            assertThat(pids).as("the child's board pids; child said:%n%s", output).hasSize(10);
            new ProcessBuilder("kill", "-KILL", Long.toString(child.pid())).start().waitFor();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<Long> boards = pids;
            Waits.until(() -> boards.stream().noneMatch(NoOrphanTest::alive), WAIT_FOR_EXIT, "every board to exit");
            assertThat(pids).as("boards alive after the workbench was killed").noneMatch(NoOrphanTest::alive);
        } finally {
            child.destroyForcibly();
        }
        Path session = SessionExport.latestSession(root.resolve("sessions")).orElseThrow();
        List<String> lines = Files.readAllLines(session.resolve(SessionLog.JOURNAL_FILE), StandardCharsets.UTF_8);
        assertThat(lines).hasSizeGreaterThan(10);
        long seq = 0;
        for (String line : lines) {
            long next = JournalJson.fromLine(line).seq(); // throws on a line that is not a valid event
            assertThat(next).as("gap-free sequence").isEqualTo(seq + 1);
            seq = next;
        }
        assertThat(lines).anyMatch(l -> l.contains("\"ota.progress\""));
        var result = SessionExport.writeReport(session);
        assertThat(result.errors()).isEmpty();
        assertThat(session.resolve(SessionExport.REPORT_FILE)).isNotEmptyFile();
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
