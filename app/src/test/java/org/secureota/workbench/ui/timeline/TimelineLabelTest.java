package org.secureota.workbench.ui.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.junit.jupiter.api.Tag;

/** Timeline bars labelled when zoomed in: which marks get words, and which words. No screen. */
@Tag("unit")
class TimelineLabelTest {

    @Test
    void aLoneEventWithRoomIsNamedAndAMergedRunOrACrowdedOneIsNot() {
        List<TimelineModel.Mark> marks = List.of(
                new TimelineModel.Mark(0, 10, 0, 1, 0),    // room until 300: labelled
                new TimelineModel.Mark(0, 300, 0, 1, 1),   // next at 310: no room
                new TimelineModel.Mark(0, 310, 20, 7, 2),  // seven merged events: never labelled
                new TimelineModel.Mark(1, 5, 0, 1, 3),     // alone in its lane until the end: labelled
                new TimelineModel.Mark(1, 590, 0, 1, 4));  // would run past the plot's end
        List<Integer> shown = TimelineView.labelled(marks, 600, 7, m -> "verdict HASH_MISMATCH");
        assertThat(shown).containsExactlyInAnyOrder(0, 3);
        // Zoomed out, the same events sit a few pixels apart: no label has room.
        List<TimelineModel.Mark> far = List.of(new TimelineModel.Mark(0, 10, 0, 1, 0), new TimelineModel.Mark(0, 14, 0, 1, 1),
                new TimelineModel.Mark(0, 18, 0, 1, 2));
        assertThat(TimelineView.labelled(far, 30, 7, m -> "request")).isEmpty();
    }

    @Test
    void theLabelIsTheTypeWithoutItsSourceAndAVerdictsCode() {
        assertThat(TimelineView.markLabel(event("ota.verdict", Map.of("code", "HASH_MISMATCH"))))
                .isEqualTo("verdict HASH_MISMATCH");
        assertThat(TimelineView.markLabel(event("board.power_cut", Map.of()))).isEqualTo("power_cut");
        assertThat(TimelineView.markLabel(event("plain", Map.of()))).isEqualTo("plain");
        // An event the journal can no longer give back (GuiSoakBenchmark met one after a session switch).
        assertThat(TimelineView.markLabel(null)).isEmpty();
    }

    private static JournalEvent event(String type, Map<String, Object> fields) {
        return new JournalEvent(1, Instant.EPOCH, 0, Source.DEVICE, "esp32-lab-01", type, "m", fields);
    }
}
