package org.secureota.workbench.ui;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.secureota.workbench.journal.JournalEvent;

/** A journal event as the timeline's detail pane shows it: header lines, then one line per field. */
final class EventText {

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
}
