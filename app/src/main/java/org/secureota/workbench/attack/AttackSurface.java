package org.secureota.workbench.attack;

import java.util.Locale;

/** Where an attack acts: where a real attacker stands, never inside the device. */
public enum AttackSurface {
    /** The path between the device and its server (DNS, Wi-Fi, a hostile router). */
    NETWORK,
    /** The server's file store and release history (a compromised or careless server). */
    STORE,
    /** The time source the device trusts (a spoofed NTP answer). */
    TIME;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
