package org.secureota.workbench.device;

import java.util.Locale;

/** The commands the workbench sends to a device (docs/telemetry.md, <i>Commands</i>). */
public enum SerialCommand {
    /** Check for an update now: {@code ack}, then {@code ota} events ending in one verdict. */
    CHECK,
    /** Software restart; the next {@code boot} has reset reason {@code sw}. */
    REBOOT,
    /** Report again: {@code ack}, then {@code boot}, {@code partitions}, {@code lcd} and {@code led}. */
    STATUS;

    /** The {@code cmd} member's value. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
