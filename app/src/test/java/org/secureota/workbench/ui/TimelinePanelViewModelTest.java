package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.secureota.workbench.ui.timeline.TimelineModel;

/** The timeline panel's view model: events live and replayed, the device filter, the count in both languages. */
@Tag("unit")
class TimelinePanelViewModelTest {

    private static JournalEvent event(long seq, Source source, String device, String type) {
        return new JournalEvent(seq, Instant.EPOCH, seq * 1_000_000L, source, device, type, type + " " + seq, Map.of());
    }

    @Test
    void liveEventsNameTheirDevicesAndTheCountFollowsTheLanguage() {
        I18n i18n = new I18n(Locale.ENGLISH);
        TimelinePanelViewModel model = new TimelinePanelViewModel(i18n, new TimelineModel());
        String empty = model.eventCountProperty().get();
        model.addLive(List.of(event(1, Source.DEVICE, "esp32-lab-01", "serial.rx"),
                event(2, Source.SERVER, null, "http.request"), event(3, Source.DEVICE, "esp32-lab-02", "ota.verdict"),
                event(4, Source.DEVICE, "esp32-lab-01", "serial.rx")));
        assertThat(model.deviceIds()).containsExactly("esp32-lab-01", "esp32-lab-02");
        assertThat(model.model().size()).isEqualTo(4);
        String english = model.eventCountProperty().get();
        assertThat(english).isNotEqualTo(empty).contains("4");
        i18n.setLocale(Locale.FRENCH);
        assertThat(model.eventCountProperty().get()).contains("4").isNotEqualTo(english);

        model.filter(EnumSet.of(Source.SERVER), "", null);
        assertThat(shown(model.model())).isEqualTo(1);
        model.filter(EnumSet.allOf(Source.class), "verdict", null);
        assertThat(shown(model.model())).isEqualTo(1);
        model.filter(EnumSet.allOf(Source.class), "", "esp32-lab-01");
        assertThat(shown(model.model())).as("lab-01's two events and the server's, not lab-02's").isEqualTo(3);
        model.filter(EnumSet.allOf(Source.class), null, null);
        assertThat(shown(model.model())).isEqualTo(4);

        model.clear();
        assertThat(model.model().size()).isZero();
        assertThat(model.deviceIds()).as("a replay or back-to-live keeps the device filter").hasSize(2);
        model.forgetDevices();
        assertThat(model.deviceIds()).isEmpty();
    }

    @Test
    void aReplayReplacesTheEventsAndItsDetailsAreReadFromIt() {
        TimelinePanelViewModel model = new TimelinePanelViewModel(new I18n(Locale.ENGLISH), new TimelineModel());
        model.addLive(List.of(event(1, Source.DEVICE, "esp32-lab-01", "serial.rx")));
        List<JournalEvent> past = List.of(event(10, Source.SERVER, null, "http.request"),
                event(11, Source.DEVICE, "esp32-lab-03", "ota.verdict"), event(12, Source.ATTACKER, null, "attacker.armed"));
        model.showReplay(past.stream().map(e -> new JournalEvent(e.seq(), e.wallClock(), e.monotonicNanos(), e.source(),
                e.deviceId(), e.type(), "", Map.of())).toList(), seq -> past.stream().filter(e -> e.seq() == seq).findFirst().orElse(null));
        assertThat(model.model().size()).isEqualTo(3);
        assertThat(model.model().eventsHeld()).as("columns only").isZero();
        assertThat(model.model().event(1).message()).isEqualTo("ota.verdict 11");
        assertThat(model.eventCountProperty().get()).contains("3");
    }

    @Test
    void lanesFollowTheSessionsDevices() {
        TimelinePanelViewModel model = new TimelinePanelViewModel(new I18n(Locale.ENGLISH), new TimelineModel());
        model.addLive(List.of(event(1, Source.DEVICE, "lab-a", "serial.rx"), event(2, Source.SERVER, null, "http.request"),
                event(3, Source.DEVICE, "lab-b", "ota.verdict"), event(4, Source.DEVICE, "lab-a", "device.boot")));
        assertThat(model.followDevices(List.of("lab-a", "lab-b"))).isFalse();
        assertThat(model.deviceLanes()).containsExactly("lab-a", "lab-b");

        // lab-c's first events come before the snapshot that names it: it is joining, its lane stays.
        model.addLive(List.of(event(5, Source.DEVICE, "lab-c", "board.factory")));
        assertThat(model.followDevices(List.of("lab-a", "lab-b"))).isFalse();
        assertThat(model.deviceLanes()).containsExactly("lab-a", "lab-b", "lab-c");

        // lab-a leaves the session: its lane, its events and its place in the device filter go.
        assertThat(model.followDevices(List.of("lab-b", "lab-c"))).isTrue();
        assertThat(model.deviceLanes()).containsExactly("lab-b", "lab-c");
        assertThat(model.deviceIds()).containsExactly("lab-b", "lab-c");
        assertThat(model.model().size()).isEqualTo(3);
        assertThat(model.eventCountProperty().get()).contains("3");
        List<Long> seqs = new java.util.ArrayList<>();
        for (int i = 0; i < model.model().size(); i++) {
            seqs.add(model.model().event(i).seq());
        }
        assertThat(seqs).as("the others' events, in journal order").containsExactly(2L, 3L, 5L);
        // Events of lab-a still queued from before it left do not bring its lane back.
        model.addLive(List.of(event(6, Source.DEVICE, "lab-a", "serial.rx"), event(7, Source.DEVICE, "lab-b", "serial.rx")));
        model.followDevices(List.of("lab-b", "lab-c"));
        assertThat(model.deviceLanes()).containsExactly("lab-b", "lab-c");
        assertThat(model.model().nearest(model.model().lanes().indexOf(
                new TimelineModel.Lane(Source.DEVICE, "lab-b")), 7_000_000L, 1)).map(JournalEvent::seq).contains(7L);

        // A new session: its devices only.
        model.clear();
        model.forgetDevices();
        model.addLive(List.of(event(1, Source.DEVICE, "lab-z", "device.boot")));
        model.followDevices(List.of("lab-z"));
        assertThat(model.deviceLanes()).containsExactly("lab-z");
        assertThat(model.deviceIds()).containsExactly("lab-z");
    }

    private static int shown(TimelineModel m) {
        int n = 0;
        for (int i = 0; i < m.size(); i++) {
            if (m.shown(i)) {
                n++;
            }
        }
        return n;
    }
}
