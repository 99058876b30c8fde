package org.secureota.workbench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;

/**
 * What happened since a failed step began, as its failure report prints it: every journal event in order
 * (the commands sent, what each device said, the boards' power, the server's and the network's side), so a
 * failure on a machine nobody can look at (CI) can be diagnosed from its log alone. Kept readable: a
 * telemetry line shows once, decoded (its raw {@code serial.rx} twin is left out), a run of one kind of
 * event from one device (download progress) is shortened to its ends, and a very long trail keeps its
 * beginning and its end.
 */
final class StepTrail {

    /** Lines at most; a step that waited its whole timeout on a chatty lab is cut in the middle. */
    static final int MAX_LINES = 150;
    static final int HEAD_LINES = 40;
    /** A run of one event kind longer than this shows its first and last events only. */
    static final int RUN = 3;
    static final int MAX_MESSAGE = 240;
    private static final String TELEMETRY_PREFIX = "@ota";

    private StepTrail() {
    }

    /** The trail of {@code events} (those after the step's start), one event a line, each line indented. */
    static String describe(List<JournalEvent> events) {
        List<JournalEvent> kept = events.stream().filter(e -> !(EventType.SERIAL_RX.is(e)
                && e.message() != null && e.message().startsWith(TELEMETRY_PREFIX))).toList();
        List<String> lines = new ArrayList<>();
        int i = 0;
        while (i < kept.size()) {
            int end = i + 1;
            while (end < kept.size() && sameKind(kept.get(i), kept.get(end))) {
                end++;
            }
            int run = end - i;
            if (run > RUN) {
                lines.add(line(kept.get(i)));
                lines.add("  ... " + (run - 2) + " more " + kept.get(i).type() + " ...");
                lines.add(line(kept.get(end - 1)));
            } else {
                for (int k = i; k < end; k++) {
                    lines.add(line(kept.get(k)));
                }
            }
            i = end;
        }
        if (lines.size() > MAX_LINES) {
            int tail = MAX_LINES - HEAD_LINES;
            List<String> cut = new ArrayList<>(lines.subList(0, HEAD_LINES));
            cut.add("  ... " + (lines.size() - MAX_LINES) + " lines left out ...");
            cut.addAll(lines.subList(lines.size() - tail, lines.size()));
            lines = cut;
        }
        StringBuilder s = new StringBuilder();
        lines.forEach(l -> s.append(l).append('\n'));
        return s.toString();
    }

    private static boolean sameKind(JournalEvent a, JournalEvent b) {
        return a.type().equals(b.type()) && Objects.equals(a.deviceId(), b.deviceId());
    }

    private static String line(JournalEvent e) {
        String m = e.message() == null ? "" : e.message();
        if (m.length() > MAX_MESSAGE) {
            m = m.substring(0, MAX_MESSAGE) + "...";
        }
        return "  #" + e.seq() + ' ' + e.type() + (e.deviceId() == null ? "" : " [" + e.deviceId() + "]") + ' ' + m;
    }
}
