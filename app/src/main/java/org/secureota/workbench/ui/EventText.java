package org.secureota.workbench.ui;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.secureota.workbench.journal.JournalEvent;

/**
 * A journal event as the timeline's detail pane shows it: a table of names and values (when, type,
 * source, message, then each field; a nested field by its dotted path), never raw JSON. {@link #of}
 * gives the same as text.
 */
final class EventText {

    /** One row of the detail table. */
    record Row(String name, String value) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private EventText() {
    }

    static String of(JournalEvent e) {
        StringBuilder s = new StringBuilder();
        s.append('#').append(e.seq()).append("  ").append(TIME.format(e.wallClock()))
                .append(String.format(Locale.ROOT, "  (+%.3f s)", e.monotonicNanos() / 1e9)).append('\n');
        s.append(e.type()).append("  [").append(e.source().wireName());
        if (e.deviceId() != null) {
            s.append(" · ").append(e.deviceId());
        }
        s.append("]\n").append(e.message()).append("\n\n");
        for (Map.Entry<String, Object> f : e.fields().entrySet()) {
            s.append(f.getKey()).append(" = ").append(f.getValue()).append('\n');
        }
        return s.toString();
    }

    /** The event as rows: when, type, source and device, message, then every field (nested ones flattened). */
    static List<Row> rows(JournalEvent e) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("#", String.valueOf(e.seq())));
        rows.add(new Row("time", TIME.format(e.wallClock())
                + String.format(Locale.ROOT, "  (+%.3f s)", e.monotonicNanos() / 1e9)));
        rows.add(new Row("type", e.type()));
        rows.add(new Row("source", e.source().wireName()));
        if (e.deviceId() != null) {
            rows.add(new Row("device", e.deviceId()));
        }
        rows.add(new Row("message", e.message()));
        for (Map.Entry<String, Object> f : e.fields().entrySet()) {
            flatten(f.getKey(), f.getValue(), rows);
        }
        return rows;
    }

    private static void flatten(String name, Object value, List<Row> rows) {
        if (value instanceof Map<?, ?> m && !m.isEmpty()) {
            for (Map.Entry<?, ?> f : m.entrySet()) {
                flatten(name + "." + f.getKey(), f.getValue(), rows);
            }
        } else if (value instanceof Collection<?> c && !c.isEmpty() && c.stream().anyMatch(x -> x instanceof Map<?, ?>)) {
            int i = 0;
            for (Object x : c) {
                flatten(name + "[" + i++ + "]", x, rows);
            }
        } else {
            rows.add(new Row(name, value == null ? "null" : String.valueOf(value)));
        }
    }
}
