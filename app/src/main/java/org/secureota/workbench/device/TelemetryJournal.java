package org.secureota.workbench.device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.EventType;

/**
 * Writes what a device said into the journal: the raw line ({@code serial.rx}), then the typed
 * event it carries ({@link EventType}), with a one-line message for people and the protocol's
 * members as fields for machines. Heartbeats get no typed event: one every 5 s would bury the
 * timeline, and their raw lines are in {@code serial.rx}.
 */
final class TelemetryJournal {

    private TelemetryJournal() {
    }

    static void received(Journal journal, String deviceId, String port, TelemetryLine line, boolean newBoot,
                         long receivedMs) {
        journal.append(EventType.SERIAL_RX, deviceId, line.raw(), Map.of("port", port, "received_ms", receivedMs));
        if (line instanceof TelemetryLine.Human h) {
            h.codecWarning().ifPresent(w -> journal.append(EventType.DEVICE_TELEMETRY_WARNING, deviceId,
                    "undecodable telemetry line: " + w, Map.of("warning", w, "line", h.raw())));
        } else if (line instanceof TelemetryLine.Ignored i) {
            journal.append(EventType.DEVICE_TELEMETRY_IGNORED, deviceId, i.reason(),
                    Map.of("reason", i.reason()));
        } else if (line instanceof TelemetryLine.Event e) {
            typed(journal, deviceId, e, newBoot);
        }
    }

    private static void typed(Journal journal, String id, TelemetryLine.Event event, boolean newBoot) {
        Map<String, Object> f = new LinkedHashMap<>();
        EventType type;
        String message;
        if (event instanceof TelemetryLine.Boot b) {
            type = EventType.DEVICE_BOOT;
            f.put("slot", b.slot());
            f.put("label", b.label());
            f.put("version", b.version());
            f.put("secure_version", b.secureVersion());
            f.put("project", b.project());
            f.put("reset_reason", b.resetReason());
            f.put("state", b.state());
            f.put("min_secure_version", b.minSecureVersion());
            f.put("provisioned", b.provisioned());
            f.put("device_id", b.deviceId());
            f.put("status_report", !newBoot);
            if (b.profile() != null) {
                // The firmware running now, whatever the board was flashed with at the factory (an update can
                // replace a weakened build by the secure one): the report and the panel's badge follow it.
                f.put("profile", b.profile());
                f.put("missing_defences", b.missingDefences() == null ? "" : b.missingDefences());
            }
            message = (newBoot ? "boot: " : "status: running ") + b.project() + " " + b.version() + " from "
                    + b.slot() + " (" + b.label() + "), reset " + b.resetReason() + ", state " + b.state() + ", "
                    + (b.provisioned() ? "provisioned as " + b.deviceId() : "NOT provisioned");
        } else if (event instanceof TelemetryLine.Partitions p) {
            type = EventType.DEVICE_PARTITIONS;
            List<Map<String, Object>> slots = p.slots().stream().map(TelemetryJournal::slot).toList();
            f.put("slots", slots);
            f.put("partitions", p.table().size());
            message = "slots: " + String.join("; ", p.slots().stream().map(SlotReport::describe).toList());
        } else if (event instanceof TelemetryLine.Lcd l) {
            type = EventType.DEVICE_LCD;
            f.put("rows", l.screen().rows());
            message = "LCD " + l.screen().describe();
        } else if (event instanceof TelemetryLine.Led l) {
            type = EventType.DEVICE_LED;
            LedPattern p = l.pattern();
            f.put("mode", p.mode().wireName());
            f.put("period_ms", p.periodMs());
            f.put("duty", p.duty());
            f.put("flashes", p.flashes());
            f.put("flash_ms", p.flashMs());
            message = "LED " + p.describe();
        } else if (event instanceof TelemetryLine.SelfTest t) {
            type = EventType.DEVICE_SELFTEST;
            f.put("passed", t.passed());
            f.put("detail", t.detail());
            message = "self-test " + (t.passed() ? "passed" : "FAILED") + (t.detail() == null ? "" : ": " + t.detail());
        } else if (event instanceof TelemetryLine.AppState a) {
            type = EventType.DEVICE_APP_STATE;
            f.put("slot", a.slot());
            f.put("state", a.state());
            message = a.slot() + " is now " + a.state();
        } else if (event instanceof TelemetryLine.OtaProgress p) {
            type = EventType.OTA_PROGRESS;
            f.put("phase", p.phase());
            f.put("bytes", p.bytes());
            f.put("total", p.total());
            message = "OTA " + p.phase() + (p.total() > 0 ? " " + p.bytes() + "/" + p.total() + " bytes" : "");
        } else if (event instanceof TelemetryLine.OtaVerdict v) {
            type = EventType.OTA_VERDICT;
            f.put("code", v.code());
            f.put("detail", v.detail());
            f.put("version", v.version());
            message = "OTA verdict " + v.code() + (v.version() == null ? "" : " for " + v.version())
                    + (v.detail() == null ? "" : ": " + v.detail());
        } else if (event instanceof TelemetryLine.ImageTransport t) {
            type = EventType.IMAGE_TRANSPORT;
            f.put("version", t.version());
            f.put("encrypted", t.encrypted());
            f.put("scheme", t.scheme());
            f.put("key_id", t.keyId());
            f.put("decrypted", t.decrypted());
            message = "image " + t.version() + (t.encrypted()
                    ? " travelled encrypted (" + t.scheme() + ", key " + t.keyId() + "), "
                            + (t.decrypted() ? "decrypted by the device" : "NOT decrypted by the device")
                    : " travelled in plaintext");
        } else if (event instanceof TelemetryLine.DeviceError e) {
            type = EventType.DEVICE_ERROR;
            f.put("code", e.code());
            f.put("message", e.message());
            message = "error " + e.code() + (e.message() == null ? "" : ": " + e.message());
        } else if (event instanceof TelemetryLine.TlsSession t) {
            type = EventType.OTA_TLS;
            f.put("for", t.purpose());
            f.put("resumed", t.resumed());
            message = "TLS connection for the " + t.purpose() + ": "
                    + (t.resumed() ? "session resumed" : "full handshake, server certificate verified");
        } else if (event instanceof TelemetryLine.Ack a) {
            type = EventType.DEVICE_ACK;
            f.put("cmd", a.command());
            message = "acknowledged '" + a.command() + "'";
        } else {
            return; // heartbeat: see the class comment
        }
        journal.append(type, id, message, f);
    }

    private static Map<String, Object> slot(SlotReport s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", s.label());
        m.put("slot", s.slot());
        // Where the slot is: the session report draws each device's flash map to scale from these.
        m.put("offset", s.offset());
        m.put("size", s.size());
        m.put("state", s.state().wireName());
        m.put("running", s.running());
        m.put("next_boot", s.nextBoot());
        m.put("valid", s.image().valid());
        m.put("version", s.image().version());
        m.put("error", s.image().error());
        return m;
    }
}
