package org.secureota.workbench.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal benchmark, run by {@code bench/journal [N]} (skipped in a normal build): N
 * events (default 1,000,000) appended to a session journal with the default memory window, like a
 * flood of requests (the http.request event of a 401 with its fields), then the process's RSS, the
 * heap in use after a GC, the append throughput, and the time to read 1,000 of the oldest events
 * back from the file. {@code -Dbench.window=N} sets the window (N events: every event in memory, as
 * the journal did before it had a window). It prints figures and asserts only that the window held.
 */
class JournalBenchmark {

    @TempDir
    Path root;

    @Test
    void aMillionEventsStayWithinTheWindow() throws Exception {
        String eventsProperty = System.getProperty("bench.events");
        assumeTrue(eventsProperty != null, "a benchmark: run it with bench/journal [N]");
        int n = Integer.parseInt(eventsProperty);
        int window = Integer.parseInt(System.getProperty("bench.window", Integer.toString(Journal.DEFAULT_WINDOW)));
        long rssBefore = rssKiB();
        SessionLog log = SessionLog.create(root, Clock.systemUTC().instant());
        Journal journal = new Journal(Clock.systemUTC(), log, window);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            journal.append(EventType.HTTP_REQUEST, null, "GET /api/v1/manifest -> 401 (87 B, 1 ms, TLSv1.3): API key"
                    + " refused", Map.of("remote", "127.0.0.1", "method", "GET", "path", "/api/v1/manifest",
                    "status", 401, "bytes_sent", 87, "duration_ms", 1, "tls_protocol", "TLSv1.3",
                    "cipher_suite", "TLS_AES_128_GCM_SHA256", "note", "API key refused: no API key in the request"));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.gc();
        Thread.sleep(200);
        long heapMiB = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
        long rssAfter = rssKiB();
        long readStart = System.nanoTime();
        int oldest = journal.read(1, 1000).size();
        double readMs = (System.nanoTime() - readStart) / 1e6;
        // Once the reader's code is warm: 1,000 events from the middle of what left memory.
        long warmStart = System.nanoTime();
        int middle = journal.read(n / 4, n / 4 + 999).size();
        double warmMs = (System.nanoTime() - warmStart) / 1e6;
        long fileMiB = Files.size(log.journalFile()) >> 20;
        journal.close();
        log.close();

        String result = String.format("journal: %,d events appended in %.1f s = %,.0f events/s; window %,d events in"
                        + " memory; RSS %d MiB before, %d MiB after; heap in use after GC %d MiB; journal file %d MiB;"
                        + " reading 1,000 old events back: %.0f ms the first time, %.0f ms warm%n", n, seconds,
                n / seconds, journal.window().size(), rssBefore >> 10, rssAfter >> 10, heapMiB, fileMiB, readMs, warmMs);
        System.out.print(result);
        String out = System.getProperty("bench.out");
        if (out != null) {
            Files.writeString(Path.of(out), result, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        assertThat(journal.window()).hasSize(Math.min(n, window));
        assertThat(oldest).isEqualTo(Math.min(n, 1000));
        assertThat(middle).isEqualTo(Math.min(1000, n - n / 4 + 1));
    }

    private static long rssKiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
