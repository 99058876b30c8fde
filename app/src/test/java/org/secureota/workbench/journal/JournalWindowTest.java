package org.secureota.workbench.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Waits;
import org.junit.jupiter.api.Tag;

/** Bounded memory: a window of the latest events, indexes by type and device, the rest read back from the file. */
@Tag("unit")
class JournalWindowTest {

    @TempDir
    Path root;

    @Test
    void memoryHoldsTheWindowAndOlderEventsComeBackFromTheFile() throws Exception {
        try (SessionLog log = SessionLog.create(root, Instant.now());
             Journal journal = new Journal(Clock.systemUTC(), log, 100)) {
            journal.append(EventType.DEVICE_BOOT, "dev-1", "boot", Map.of("version", "1.0.0"));
            for (int i = 0; i < 5000; i++) {
                journal.append(EventType.HTTP_REQUEST, null, "GET /x " + i, Map.of("status", 401));
            }
            journal.append(EventType.DEVICE_BOOT, "dev-1", "boot again", Map.of("version", "2.0.0"));

            assertThat(journal.size()).isEqualTo(5002);
            assertThat(journal.window()).hasSize(100).last().satisfies(e -> assertThat(e.seq()).isEqualTo(5002));
            assertThat(journal.window().get(0).seq()).isEqualTo(4903);

            // Older events are read back from the file, across the window's edge, with their fields.
            List<JournalEvent> span = journal.read(4890, 4910);
            assertThat(span).extracting(JournalEvent::seq).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(4890, 4910).boxed().toList());
            assertThat(journal.read(1, 1)).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo("device.boot");
                assertThat(e.fields()).containsEntry("version", "1.0.0");
            });
            assertThat(journal.read(5000, 99_999)).hasSize(3);

            // The index by device and type still holds the first boot, long out of the window.
            assertThat(journal.events(EventType.DEVICE_BOOT, "dev-1", 0)).extracting(e -> e.fields().get("version"))
                    .containsExactly("1.0.0", "2.0.0");
            assertThat(journal.events(EventType.DEVICE_BOOT, null, 1)).hasSize(1);
            // The request index keeps its last 1,000; asking further back reads the file.
            assertThat(journal.events(EventType.HTTP_REQUEST, null, 0)).hasSize(5000);
            assertThat(journal.events(EventType.HTTP_REQUEST, null, 4900)).hasSize(101);
            assertThat(journal.events(EventType.SERVER_AUTH, null, 0)).isEmpty();

            // Waiting looks at events older than the window too, and a late subscriber misses nothing.
            assertThat(journal.awaitAfter(0, e -> EventType.DEVICE_BOOT.is(e), Duration.ZERO))
                    .hasValueSatisfying(e -> assertThat(e.seq()).isEqualTo(1));
            List<Long> replayed = new CopyOnWriteArrayList<>();
            JournalSubscription s = journal.subscribe("late", true, e -> replayed.add(e.seq()));
            Waits.until(() -> replayed.size() >= 5002, Duration.ofSeconds(20), "5,002 replayed events");
            s.close();
            assertThat(replayed).hasSize(5002).isSorted();
        }
    }

    @Test
    void withoutAFileOldEventsAreGoneAndTheErrorSaysSo() {
        try (Journal journal = new Journal(Clock.systemUTC(), null, 10)) {
            for (int i = 0; i < 30; i++) {
                journal.append(EventType.SERVER_AUTH, null, "x", Map.of());
            }
            assertThat(journal.read(25, 30)).hasSize(6);
            assertThatThrownBy(() -> journal.read(1, 30)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("memory window of 10 events").hasMessageContaining("no session file");
        }
    }

    @Test
    void aClosedJournalSaysSoAndTryAppendDropsQuietly() {
        Journal journal = new Journal();
        assertThat(journal.isClosed()).isFalse();
        assertThat(journal.tryAppend(EventType.SESSION_OPENED, null, "open", Map.of())).isPresent();
        journal.close();
        assertThat(journal.isClosed()).isTrue();
        assertThat(journal.tryAppend(EventType.SESSION_CLOSED, null, "late", Map.of())).isEmpty();
        assertThatThrownBy(() -> journal.append(EventType.SESSION_CLOSED, null, "late", Map.of()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(journal.size()).isEqualTo(1);
    }

    @Test
    void theSourceComesFromTheType() {
        try (Journal journal = new Journal()) {
            assertThat(journal.append(EventType.TIME_QUERY, null, "q", Map.of()).source()).isEqualTo(Source.NETWORK);
            assertThat(journal.append(EventType.DEVICE_REPORT, "d", "r", Map.of()).source()).isEqualTo(Source.SERVER);
        }
    }
}
