package org.secureota.workbench.cli;

import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Set;
import org.secureota.workbench.device.BoardEvent;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Printable;
import org.secureota.workbench.journal.Source;

/** One readable console line per journal event worth a person's eye; machine lines show through their typed event. */
final class JournalPrinter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /**
     * Lab events shown besides the devices' own; requests and time queries are too many to read live. The
     * attacker's judgements are printed by the attack commands as the attacker publishes them, not here.
     */
    private static final Set<EventType> LAB_EVENTS = EnumSet.of(EventType.SESSION_FAILED, EventType.SESSION_LISTENER_ERROR,
            EventType.SERVER_STARTED, EventType.SERVER_STOPPED, EventType.SERVER_DEPLOYMENT, EventType.SERVER_RELEASE,
            EventType.SERVER_MANIFEST, EventType.SERVER_ERROR, EventType.SERVER_SLOW_CLIENT, EventType.DEVICE_REPORT,
            EventType.TIME_OFFSET, EventType.ENDPOINT_STARTED, EventType.ROUTE_CHANGED, EventType.FAULT_ARMED,
            EventType.FAULT_DISARMED, EventType.FAULT_STRUCK, EventType.THROTTLE_CHANGED, EventType.ATTACK_RETARGETED,
            EventType.SERVER_AUTH_THROTTLED, EventType.SESSION_ADDRESSES, EventType.JOURNAL_BUDGET_REACHED,
            EventType.CONNECTION_REFUSED);
    // attacker.armed, .disarmed and .judged are left out: in the lab only its console arms, and it prints
    // each outcome and each published judgement itself, so they would show twice.

    private JournalPrinter() {
    }

    /**
     * Prints {@code e} if it is worth it: every device event, and with {@code lab} the server's and
     * session's notable ones (a refused key, a failed request).
     */
    static void print(PrintWriter w, JournalEvent e, boolean lab) {
        print(w, e, lab, e.wallClock());
    }

    /** As {@link #print(PrintWriter, JournalEvent, boolean)}, stamped {@code at} (when it happened: see ConsoleOrder). */
    static void print(PrintWriter w, JournalEvent e, boolean lab, java.time.Instant at) {
        String text = e.source() == Source.DEVICE ? deviceText(e) : lab ? labText(e) : null;
        if (text == null) {
            return;
        }
        synchronized (w) {
            w.println(TIME.format(at) + " " + (e.deviceId() == null ? "" : Printable.of(e.deviceId()) + " ")
                    + Printable.of(text));
            w.flush();
        }
    }

    /** The last progress quarter printed per device and phase: a download of 400 KB is 70 events. */
    private static final java.util.Map<String, Long> QUARTERS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String deviceText(JournalEvent e) {
        if (EventType.OTA_PROGRESS.is(e)) {
            String key = e.deviceId() + " " + e.fields().get("phase");
            long bytes = e.fields().get("bytes") instanceof Number n ? n.longValue() : 0;
            long total = e.fields().get("total") instanceof Number n ? n.longValue() : 0;
            long quarter = total > 0 ? bytes * 4 / total : 0;
            Long before = QUARTERS.put(key, quarter);
            if (before != null && before == quarter && bytes > 0) {
                return null;
            }
            if (bytes >= total) {
                QUARTERS.remove(key); // the next update of this device starts from 0 again
            }
            return e.message();
        }
        if (EventType.SERIAL_RX.is(e)) {
            return e.message().startsWith("@ota") ? null : "  | " + e.message();
        }
        if (EventType.SERIAL_TX.is(e)) {
            return "  > " + e.message();
        }
        if (EventType.BOARD_COMMAND.is(e)) {
            return "board < " + e.message();
        }
        if (e.type().startsWith(EventType.BOARD_PREFIX)) {
            return BoardEvent.PREFIX + e.message();
        }
        if (EventType.DEVICE_TELEMETRY_WARNING.is(e) || EventType.DEVICE_TELEMETRY_IGNORED.is(e)) {
            return "warning: " + e.message();
        }
        return e.message();
    }

    private static String labText(JournalEvent e) {
        EventType type = EventType.fromWireName(e.type()).orElse(null);
        if (type == EventType.SERVER_AUTH) {
            return "accepted".equals(e.fields().get("outcome")) ? null : "server: " + e.message();
        }
        if (type == EventType.HTTP_REQUEST) {
            Object status = e.fields().get("status");
            return status instanceof Number n && n.intValue() >= 400 ? "server: " + e.message() : null;
        }
        if (type == null || !LAB_EVENTS.contains(type)) {
            return null;
        }
        return e.source().wireName() + ": " + e.message();
    }
}
