package org.secureota.workbench.scenario;

import java.util.ArrayList;
import java.util.List;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.device.FlashLayout;

/**
 * Devices a script needs: {@code count} virtual boards of one product, factory-flashed with the
 * starting version, with the secure firmware unless {@code variant:} names a weakened lab build
 * (built for V1 and V3 only). One device is called {@code id}; several are {@code id-01}, {@code id-02} ...
 */
public record DeviceSpec(String id, int count, String product, String startingVersion, FlashLayout layout,
                         ScriptPosition position, FirmwareVariant variant) {

    /** A device with the secure firmware (every script device's default). */
    public DeviceSpec(String id, int count, String product, String startingVersion, FlashLayout layout,
                      ScriptPosition position) {
        this(id, count, product, startingVersion, layout, position, FirmwareVariant.SECURE);
    }

    public List<String> ids() {
        if (count == 1) {
            return List.of(id);
        }
        List<String> ids = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            ids.add(String.format("%s-%02d", id, i));
        }
        return ids;
    }
}
