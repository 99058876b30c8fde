package org.secureota.workbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.JournalJson;
import org.secureota.workbench.journal.SessionLog;
import org.secureota.workbench.session.LinkOwners;

/**
 * {@code device monitor} on a port that a running session owns: prints that device's events as the
 * owner journals them (its journal is flushed event by event), from the moment the monitor starts,
 * until the owner closes, the duration ends or Ctrl-C. It reads a file, so the port keeps its one reader.
 */
final class SessionFollower {

    private static final long POLL_MS = 100;

    private SessionFollower() {
    }

    static void follow(PrintWriter w, LinkOwners.Owner owner, String port, Long seconds) {
        Path journal = owner.sessionFolder().resolve(SessionLog.JOURNAL_FILE);
        w.println("Following " + owner.deviceId() + " on " + port + " through the running session "
                + owner.sessionFolder() + ", which owns its serial link (the port is not opened a second time).");
        w.println(seconds == null ? "Watching; press Ctrl-C to stop." : "Watching for " + seconds + " s.");
        w.flush();
        long deadline = seconds == null ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
        try (RandomAccessFile file = new RandomAccessFile(journal.toFile(), "r")) {
            long position = file.length(); // from now on, as a monitor plugged in now would see
            StringBuilder partial = new StringBuilder();
            byte[] buffer = new byte[64 * 1024];
            while (System.nanoTime() < deadline) {
                long length = file.length();
                if (length > position) {
                    file.seek(position);
                    int n = file.read(buffer, 0, (int) Math.min(buffer.length, length - position));
                    position += n;
                    partial.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    int nl;
                    while ((nl = partial.indexOf("\n")) >= 0) {
                        print(w, partial.substring(0, nl), owner.deviceId());
                        partial.delete(0, nl + 1);
                    }
                    continue;
                }
                if (!LinkOwners.isRunning(owner.sessionFolder())) {
                    w.println("The session that owned " + port + " has closed; nothing more to follow.");
                    w.flush();
                    return;
                }
                Thread.sleep(POLL_MS);
            }
        } catch (IOException e) {
            throw new UsageException("Cannot read " + journal + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        w.flush();
    }

    private static void print(PrintWriter w, String line, String deviceId) {
        JournalEvent e;
        try {
            e = JournalJson.fromLine(line);
        } catch (RuntimeException damaged) {
            return;
        }
        if (deviceId.equals(e.deviceId())) {
            JournalPrinter.print(w, e, false);
            w.flush();
        }
    }
}
