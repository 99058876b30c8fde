package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.junit.jupiter.api.Tag;

/** An event's details as a table of names and values, nested fields by their dotted path. No screen. */
@Tag("unit")
class EventTextTest {

    @Test
    void detailsAreRowsOfNameAndValueWithNestedFieldsFlattened() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("code", "HASH_MISMATCH");
        fields.put("image", Map.of("version", "2.0.0"));
        fields.put("slots", List.of(Map.of("label", "app0"), Map.of("label", "app1")));
        fields.put("tags", List.of("a", "b"));
        JournalEvent e = new JournalEvent(42, Instant.EPOCH, 1_500_000_000L, Source.DEVICE, "esp32-lab-01", "ota.verdict",
                "verdict HASH_MISMATCH", fields);
        List<EventText.Row> rows = EventText.rows(e);
        assertThat(rows).extracting(EventText.Row::name).containsExactly("#", "time", "type", "source", "device", "message",
                "code", "image.version", "slots[0].label", "slots[1].label", "tags");
        assertThat(rows).contains(new EventText.Row("image.version", "2.0.0"), new EventText.Row("slots[1].label", "app1"),
                new EventText.Row("tags", "[a, b]"), new EventText.Row("type", "ota.verdict"));
        assertThat(rows.get(1).value()).endsWith("(+1.500 s)");
        assertThat(rows).noneSatisfy(r -> assertThat(r.value()).startsWith("{"));
    }
}
