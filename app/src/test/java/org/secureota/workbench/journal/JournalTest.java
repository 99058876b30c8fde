package org.secureota.workbench.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class JournalTest {

    @Test
    void concurrentWritersGetGapFreeOrderAndSubscribersSeeThatOrder() throws Exception {
        int writers = 8;
        int perWriter = 2_000;
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        try (Journal journal = new Journal()) {
            JournalSubscription sub = journal.subscribe("test", false, e -> seen.add(e.seq()));
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CountDownLatch start = new CountDownLatch(1);
            for (int w = 0; w < writers; w++) {
                int id = w;
                pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        journal.append(Source.DEVICE, "dev-" + id, "test.tick", "tick " + i, Map.of("i", i));
                    }
                    return null;
                });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            sub.close();

            List<JournalEvent> all = journal.window();
            assertThat(all).hasSize(writers * perWriter);
            for (int i = 0; i < all.size(); i++) {
                assertThat(all.get(i).seq()).isEqualTo(i + 1L);
                if (i > 0) {
                    assertThat(all.get(i).monotonicNanos()).isGreaterThanOrEqualTo(all.get(i - 1).monotonicNanos());
                }
            }
            assertThat(seen).hasSize(all.size()).isSorted();
            // Each writer's own events keep their order.
            for (int w = 0; w < writers; w++) {
                String dev = "dev-" + w;
                List<Object> mine = all.stream().filter(e -> dev.equals(e.deviceId())).map(e -> e.fields().get("i")).toList();
                assertThat(mine).hasSize(perWriter);
                for (int i = 0; i < perWriter; i++) {
                    assertThat(mine.get(i)).isEqualTo(i);
                }
            }
        }
    }

    @Test
    void aSlowSubscriberDoesNotBlockWriters() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Journal journal = new Journal()) {
            JournalSubscription slow = journal.subscribe("slow", false, e -> {
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            // If delivery were synchronous, the first append would never return while the latch is closed.
            for (int i = 0; i < 1000; i++) {
                journal.append(Source.SERVER, "http.request", "GET /api/v1/health");
            }
            assertThat(journal.size()).isEqualTo(1000);
            assertThat(slow.backlog()).isGreaterThanOrEqualTo(999);
            release.countDown();
        }
    }

    @Test
    void replayingSubscriberGetsHistoryThenLiveEvents() throws Exception {
        try (Journal journal = new Journal()) {
            journal.append(Source.WORKBENCH, "session.start", "start");
            List<String> types = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch two = new CountDownLatch(2);
            journal.subscribe("late", true, e -> {
                types.add(e.type());
                two.countDown();
            });
            journal.append(Source.SCENARIO, "step", "step 1");
            assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(types).containsExactly("session.start", "step");
        }
    }

    @Test
    void awaitFindsPastAndFutureEvents() throws Exception {
        try (Journal journal = new Journal()) {
            journal.append(Source.DEVICE, "ota.verdict", "refused");
            assertThat(journal.await(e -> e.type().equals("ota.verdict"), Duration.ofMillis(10))).isPresent();
            Thread writer = new Thread(() -> journal.append(Source.DEVICE, "boot", "booted"));
            writer.start();
            assertThat(journal.await(e -> e.type().equals("boot"), Duration.ofSeconds(5))).isPresent();
            assertThat(journal.await(e -> e.type().equals("never"), Duration.ofMillis(50))).isEmpty();
        }
    }

    @Test
    void sessionLogRoundTripsThroughJsonLines(@TempDir Path sessions) throws Exception {
        SessionLog log = SessionLog.create(sessions, Instant.parse("2026-11-24T09:00:00Z"));
        try (Journal journal = new Journal(log)) {
            journal.append(Source.SERVER, null, "http.request", "GET /firmware/x.bin",
                    Map.of("status", 206, "bytes", 4096L, "tls", "TLSv1.3"));
            journal.append(Source.DEVICE, "esp32-01", "lcd", "ALERTE SÉCURITÉ",
                    Map.of("rows", List.of("ALERTE SÉCURITÉ", "HASH INVALID")));
        }
        log.close();
        assertThat(log.directory().getFileName().toString()).isEqualTo("2026-11-24T09-00-00Z");
        // Each event is already on disk as one line.
        assertThat(Files.readAllLines(log.journalFile())).hasSize(2);

        SessionReader.Result read = SessionReader.read(log.journalFile());
        assertThat(read.clean()).isTrue();
        assertThat(read.events()).hasSize(2);
        JournalEvent first = read.events().get(0);
        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.source()).isEqualTo(Source.SERVER);
        assertThat(first.deviceId()).isNull();
        assertThat(first.fields()).containsEntry("status", 206).containsEntry("tls", "TLSv1.3");
        JournalEvent second = read.events().get(1);
        assertThat(second.device()).contains("esp32-01");
        assertThat(second.message()).isEqualTo("ALERTE SÉCURITÉ");
        assertThat(second.fields().get("rows")).isEqualTo(List.of("ALERTE SÉCURITÉ", "HASH INVALID"));

        SessionLog again = SessionLog.create(sessions, Instant.parse("2026-11-24T09:00:00Z"));
        assertThat(again.directory().getFileName().toString()).isEqualTo("2026-11-24T09-00-00Z-2");
        again.close();
    }

    @Test
    void corruptAndTruncatedLinesAreReportedAndGoodLinesKept(@TempDir Path dir) throws Exception {
        SessionLog log = SessionLog.create(dir, Instant.now());
        try (Journal journal = new Journal(log)) {
            for (int i = 0; i < 4; i++) {
                journal.append(Source.NETWORK, "net.bytes", "chunk " + i);
            }
        }
        log.close();
        List<String> lines = new ArrayList<>(Files.readAllLines(log.journalFile()));
        lines.set(1, "{\"seq\":2,\"time\":\"yesterday\",\"source\":\"network\",\"type\":\"x\"}");
        lines.add(2, "garbage that is not json");
        String last = lines.remove(lines.size() - 1);
        lines.add(last.substring(0, last.length() / 2)); // a write cut by a power loss
        Files.write(log.journalFile(), lines);

        SessionReader.Result read = SessionReader.read(log.journalFile());
        assertThat(read.events()).extracting(JournalEvent::seq).containsExactly(1L, 3L);
        assertThat(read.errors()).hasSize(3);
        assertThat(read.errors().get(0).line()).isEqualTo(2);
        assertThat(read.errors().get(0).reason()).contains("time");
        assertThat(read.errors().get(1).line()).isEqualTo(3);
        assertThat(read.errors().get(2).line()).isEqualTo(5);
        assertThat(read.errors().get(2).toString()).startsWith(log.journalFile().toString() + ":5:");
    }

    /** Issue 27: past its disk budget the journal summarises low-value events and keeps everything else, gap-free. */
    @Test
    void pastItsBudgetTheJournalSummarisesLowValueEventsAndKeepsTheRest(@TempDir Path dir) throws Exception {
        SessionLog log = SessionLog.create(dir, Instant.now());
        Journal journal = new Journal(log);
        journal.budget(20_000);
        for (int i = 0; i < 500; i++) {
            journal.append(EventType.HTTP_REQUEST, null, "GET /api/v1/manifest 401", Map.of("remote", "127.0.2.1",
                    "status", 401));
            if (i % 10 == 0) {
                journal.append(EventType.OTA_VERDICT, "seat-01", "verdict", Map.of("code", "UPDATED"));
                journal.append(EventType.HTTP_REQUEST, "seat-01", "GET /firmware 200", Map.of("status", 200));
            }
        }
        assertThat(journal.budgetReached()).isTrue();
        journal.close();
        log.close();
        List<JournalEvent> all = SessionReader.read(log.journalFile()).events();
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).seq()).as("gap-free").isEqualTo(i + 1);
        }
        assertThat(all).filteredOn(e -> EventType.OTA_VERDICT.is(e)).hasSize(50);
        assertThat(all).filteredOn(e -> EventType.HTTP_REQUEST.is(e) && "seat-01".equals(e.deviceId())).hasSize(50);
        assertThat(all).filteredOn(e -> EventType.JOURNAL_BUDGET_REACHED.is(e)).hasSize(1);
        long refusedWritten = all.stream().filter(e -> EventType.HTTP_REQUEST.is(e) && e.deviceId() == null).count();
        long summarised = all.stream().filter(e -> EventType.JOURNAL_SUMMARY.is(e))
                .mapToLong(e -> ((Number) e.fields().get("total")).longValue()).sum();
        assertThat(refusedWritten).isLessThan(500);
        assertThat(refusedWritten + summarised).as("every low-value event written or counted").isEqualTo(500);
        assertThat(Files.size(log.journalFile())).isLessThan(20_000 + 50 * 2 * 400 + 4_000);
    }
}
