package org.secureota.workbench.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.secureota.workbench.device.Device;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.TelemetryCodec;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.EventType;

/**
 * Rebuilds what each device showed at a moment of a recorded session: the raw telemetry lines of
 * the journal ({@code serial.rx}) are decoded again and applied to fresh {@link Device} models, the
 * same code the live link runs, so a replayed panel shows what the live one showed.
 */
public final class DeviceReplay {

    private final TelemetryCodec codec = new TelemetryCodec();

    /** The devices' snapshots after every event up to {@code untilNanos} (inclusive), by device id. */
    public Map<String, DeviceSnapshot> at(List<JournalEvent> events, long untilNanos) {
        Map<String, Device> devices = new LinkedHashMap<>();
        for (JournalEvent e : events) {
            if (e.monotonicNanos() > untilNanos) {
                break;
            }
            if (e.deviceId() == null || !EventType.SERIAL_RX.wireName().equals(e.type())) {
                continue;
            }
            devices.computeIfAbsent(e.deviceId(), Device::new).apply(codec.decode(e.message()));
        }
        Map<String, DeviceSnapshot> snapshots = new LinkedHashMap<>();
        devices.forEach((id, d) -> snapshots.put(id, d.snapshot()));
        return snapshots;
    }
}
