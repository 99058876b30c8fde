package org.secureota.workbench.ui;

import java.util.HashMap;
import java.util.Map;
import org.secureota.workbench.attack.Judgement;
import org.secureota.workbench.attack.JudgementResult;
import org.secureota.workbench.device.DeviceSnapshot;

/**
 * The devices that installed an image an attack made: the judge found the attack NOT RESISTED on an
 * {@code UPDATED} verdict. Disarming the attack changes nothing on the device: it runs the attacker's image
 * until a genuine release replaces it (an update to another version, a rollback of the forged image, or a
 * factory-fresh board after Reset demo). Until then the device's banner keeps that judgement, whatever the
 * attack cards say. It judges nothing: it keeps the judge's {@link Judgement} while the device runs its subject,
 * as the device's own snapshots tell. FX thread.
 */
final class ForgedImages {

    /** What one device installed: the judgement, the version its verdict installed (null: not seen yet), booted or not. */
    private record Installed(Judgement judgement, String version, boolean booted) {
    }

    private final Map<String, Installed> byDevice = new HashMap<>();

    /** Whether {@code j} says the device installed what the attack made. */
    static boolean installs(Judgement j) {
        return j != null && j.deviceId() != null && j.result() == JudgementResult.NOT_RESISTED && "UPDATED".equals(j.verdict());
    }

    /** A judgement published: one that installs a forged image is kept for its device. */
    void judged(Judgement j) {
        if (installs(j)) {
            byDevice.put(j.deviceId(), new Installed(j, null, false));
        }
    }

    /** The judgement of the forged image {@code deviceId} still runs (or boots next), or null. */
    Judgement running(String deviceId) {
        Installed i = byDevice.get(deviceId);
        return i == null ? null : i.judgement();
    }

    /**
     * The device's latest snapshot. Returns the judgement it no longer runs the subject of (the device moved on
     * to a genuine image), or null when nothing changed.
     */
    Judgement follow(String deviceId, DeviceSnapshot s) {
        Installed i = byDevice.get(deviceId);
        if (i == null || s == null) {
            return null;
        }
        if (s.lastVerdict() == null) {
            // A factory-fresh board (Reset demo re-flashes it): no attempt since, so no forged image either.
            return drop(deviceId);
        }
        Installed now = i;
        if (now.version() == null) {
            if (!"UPDATED".equals(s.lastVerdict().code()) || s.lastVerdict().version() == null) {
                return null; // the verdict judged has not reached this snapshot yet
            }
            now = new Installed(i.judgement(), s.lastVerdict().version(), false);
        }
        if (s.version() != null) {
            if (s.version().equals(now.version())) {
                now = new Installed(now.judgement(), now.version(), true);
            } else if (now.booted() || OutcomeViewModel.rolledBack(s, now.version())) {
                // It ran the forged image and now runs another one, or the forged image failed and it went back.
                return drop(deviceId);
            }
        }
        byDevice.put(deviceId, now);
        return null;
    }

    private Judgement drop(String deviceId) {
        Installed i = byDevice.remove(deviceId);
        return i == null ? null : i.judgement();
    }

    /** Reset demo: every device is factory-fresh again. */
    void forget() {
        byDevice.clear();
    }
}
