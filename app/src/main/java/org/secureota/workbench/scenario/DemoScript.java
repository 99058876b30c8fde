package org.secureota.workbench.scenario;

import java.util.List;

/** A parsed, checked demo script (docs/demo-scripts.md). Built only by {@link ScriptReader}. */
public record DemoScript(String file, LocalizedText title, LocalizedText summary, List<DeviceSpec> devices,
                         List<ReleaseSpec> releases, List<Step> steps) {

    public DemoScript {
        devices = List.copyOf(devices);
        releases = List.copyOf(releases);
        steps = List.copyOf(steps);
    }

    /** Every device id, in declaration order. */
    public List<String> deviceIds() {
        return devices.stream().flatMap(d -> d.ids().stream()).toList();
    }
}
