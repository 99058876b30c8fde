package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.SessionLog;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.secureota.workbench.ui.timeline.TimelineModel;
import org.secureota.workbench.ui.timeline.TimelineViewport;
import org.junit.jupiter.api.Tag;

/** The timeline's lanes, filter and event reduction, without a screen. */
@Tag("unit")
class TimelineModelTest {

    private static long seq;

    static JournalEvent event(long nanos, Source source, String device, String type) {
        return new JournalEvent(++seq, Instant.EPOCH, nanos, source, device, type, type, Map.of("n", nanos));
    }

    @Test
    void oneLanePerSourceAndOnePerDeviceInAFixedOrder() {
        TimelineModel m = new TimelineModel();
        m.addAll(List.of(event(1, Source.DEVICE, "b", "device.boot"), event(2, Source.SERVER, null, "http.request"),
                event(3, Source.DEVICE, "a", "device.boot"), event(4, Source.SCENARIO, null, "scenario.step")));
        assertThat(m.lanes()).hasSize(4);
        int scenario = laneOf(m, Source.SCENARIO, null);
        int server = laneOf(m, Source.SERVER, null);
        assertThat(m.row(scenario)).isZero();
        assertThat(m.row(server)).isEqualTo(1);
        assertThat(m.row(laneOf(m, Source.DEVICE, "a"))).isEqualTo(2);
        assertThat(m.row(laneOf(m, Source.DEVICE, "b"))).isEqualTo(3);
    }

    private static int laneOf(TimelineModel m, Source s, String device) {
        List<TimelineModel.Lane> lanes = m.lanes();
        for (int i = 0; i < lanes.size(); i++) {
            if (lanes.get(i).source() == s && java.util.Objects.equals(lanes.get(i).deviceId(), device)) {
                return i;
            }
        }
        throw new AssertionError("no lane " + s + " " + device);
    }

    @Test
    void eventsWithinAFewPixelsBecomeOneMarkThatCountsThem() {
        TimelineModel m = new TimelineModel();
        // 1000 px for 1 s: 1 ms a pixel. 10 events 0.5 ms apart, then one 100 ms later.
        for (int i = 0; i < 10; i++) {
            m.add(event(i * 500_000L, Source.SERVER, null, "http.request"));
        }
        m.add(event(100_000_000L, Source.SERVER, null, "http.request"));
        List<TimelineModel.Mark> marks = m.reduce(0, 1_000_000_000L, 1000, 3);
        assertThat(marks).hasSize(2);
        assertThat(marks).extracting(TimelineModel.Mark::count).containsExactlyInAnyOrder(10, 1);
        assertThat(marks.stream().filter(k -> k.count() == 1).findFirst().orElseThrow().x()).isEqualTo(100.0);
    }

    @Test
    void aHundredThousandEventsReduceToAtMostOneMarkPerMergeWidth() {
        TimelineModel m = new TimelineModel();
        for (int i = 0; i < 100_000; i++) {
            m.add(event(i * 1_000_000L, i % 2 == 0 ? Source.DEVICE : Source.SERVER, i % 2 == 0 ? "esp32-lab-01" : null, "t" + (i % 7)));
        }
        List<TimelineModel.Mark> marks = m.reduce(m.firstNanos(), m.lastNanos(), 1500, 3);
        assertThat(marks.size()).isLessThanOrEqualTo(2 * (1500 / 3 + 1));
        assertThat(marks.stream().mapToInt(TimelineModel.Mark::count).sum()).isEqualTo(100_000);
    }

    @Test
    void filtersBySourceTypeAndDevice() {
        TimelineModel m = new TimelineModel();
        m.addAll(List.of(event(1, Source.DEVICE, "a", "device.boot"), event(2, Source.DEVICE, "b", "device.lcd"),
                event(3, Source.SERVER, null, "http.request"), event(4, Source.ATTACKER, null, "attacker.armed")));
        m.showSource(Source.SERVER, false);
        assertThat(total(m)).isEqualTo(3);
        m.showSource(Source.SERVER, true);
        m.filterTypes("device.");
        assertThat(total(m)).isEqualTo(2);
        m.filterTypes("");
        m.filterDevice("a");
        assertThat(total(m)).isEqualTo(3); // device b's event goes; events of no device stay
    }

    private static int total(TimelineModel m) {
        return m.reduce(0, 10, 10_000, 0.0001).stream().mapToInt(TimelineModel.Mark::count).sum();
    }

    @Test
    void aClickFindsTheNearestShownEventOnItsLane() {
        TimelineModel m = new TimelineModel();
        m.addAll(List.of(event(100, Source.SERVER, null, "a"), event(200, Source.SERVER, null, "b"),
                event(150, Source.DEVICE, "x", "c")));
        int server = laneOf(m, Source.SERVER, null);
        assertThat(m.nearest(server, 180, 50)).map(JournalEvent::type).contains("b");
        assertThat(m.nearest(server, 500, 50)).isEmpty();
    }

    @Test
    void keepsOnlyItsCapacityDroppingTheOldest() {
        TimelineModel m = new TimelineModel(1000);
        for (int i = 0; i < 5000; i++) {
            m.add(event(i, Source.SERVER, null, "x"));
        }
        assertThat(m.size()).isEqualTo(1000);
        assertThat(m.firstNanos()).isEqualTo(4000);
        assertThat(m.event(0).monotonicNanos()).isEqualTo(4000);
    }

    @Test
    void withAJournalBehindItOnlyTheLatestEventsStayParsedAndOlderOnesAreReadBack(@TempDir Path dir) {
        try (SessionLog log = SessionLog.create(dir, Instant.EPOCH)) {
            Journal journal = new Journal(java.time.Clock.systemUTC(), log, 100);
            TimelineModel m = new TimelineModel();
            m.readDetailsWith(s -> journal.read(s, s).stream().findFirst().orElse(null));
            for (int i = 0; i < 20_000; i++) {
                m.add(journal.append(i % 2 == 0 ? Source.SERVER : Source.DEVICE, i % 2 == 0 ? null : "esp32-lab-0" + (i % 3),
                        "t" + (i % 5), "event " + i, Map.of("i", i)));
            }
            assertThat(m.size()).isEqualTo(20_000);
            assertThat(m.eventsHeld()).isEqualTo(TimelineModel.DETAIL_WINDOW);
            // An old event comes back from the file with its fields, as written.
            JournalEvent old = m.event(17);
            assertThat(old.message()).isEqualTo("event 17");
            assertThat(old.field("i")).contains("17");
            assertThat(old.deviceId()).isEqualTo("esp32-lab-02");
            // The device filter works on the columns, not on parsed events.
            m.filterDevice("esp32-lab-01");
            long shown = java.util.stream.IntStream.range(0, m.size()).filter(m::shown).count();
            assertThat(shown).isEqualTo(10_000 + 3_334);
            // A click on an old event finds it through the file.
            int lane = m.lanes().indexOf(new TimelineModel.Lane(Source.SERVER, null));
            assertThat(m.nearest(lane, m.event(4).monotonicNanos(), 0)).map(JournalEvent::message).contains("event 4");
        }
    }

    @Test
    void viewportZoomsAroundThePointerAndFollowsTheLiveEnd() {
        TimelineViewport v = new TimelineViewport();
        v.track(0, 100_000_000_000L);
        assertThat(v.following()).isTrue();
        assertThat(v.to()).isGreaterThanOrEqualTo(100_000_000_000L);
        long atPointer = v.timeAt(250, 1000);
        v.zoom(0.5, 250, 1000);
        assertThat(v.timeAt(250, 1000)).isCloseTo(atPointer, org.assertj.core.data.Offset.offset(1_000L));
        assertThat(v.following()).isFalse();
        v.pan(100, 1000);
        assertThat(v.timeAt(350, 1000)).isCloseTo(atPointer, org.assertj.core.data.Offset.offset(1_000L));
    }
}
