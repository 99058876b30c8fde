package org.secureota.workbench.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.secureota.workbench.device.DeviceSnapshot;

/**
 * Everything a view needs of a lab session at one moment; immutable, so any thread may hold it.
 *
 * @param state   opening, open, closing or closed
 * @param server  the OTA server
 * @param boards  each device's power supply, by device id, in creation order
 * @param devices each device's model, by device id, in creation order
 */
public record SessionSnapshot(SessionState state, ServerSnapshot server, Map<String, BoardSnapshot> boards,
                              Map<String, DeviceSnapshot> devices) {

    public SessionSnapshot {
        boards = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(boards));
        devices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(devices));
    }

    SessionSnapshot withState(SessionState s) {
        return new SessionSnapshot(s, server, boards, devices);
    }

    SessionSnapshot withServer(UnaryOperator<ServerSnapshot> change) {
        return new SessionSnapshot(state, change.apply(server), boards, devices);
    }

    SessionSnapshot withBoard(String id, UnaryOperator<BoardSnapshot> change) {
        Map<String, BoardSnapshot> b = new LinkedHashMap<>(boards);
        b.put(id, change.apply(b.getOrDefault(id, BoardSnapshot.off(id))));
        return new SessionSnapshot(state, server, b, devices);
    }

    SessionSnapshot withDevice(String id, DeviceSnapshot d) {
        Map<String, DeviceSnapshot> m = new LinkedHashMap<>(devices);
        m.put(id, d);
        return new SessionSnapshot(state, server, boards, m);
    }

    SessionSnapshot without(String id) {
        Map<String, BoardSnapshot> b = new LinkedHashMap<>(boards);
        Map<String, DeviceSnapshot> m = new LinkedHashMap<>(devices);
        b.remove(id);
        m.remove(id);
        return new SessionSnapshot(state, server, b, m);
    }
}
