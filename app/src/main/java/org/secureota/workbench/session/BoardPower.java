package org.secureota.workbench.session;

/** A board's power as the session sees it. */
public enum BoardPower {
    /** No power: not started, powered off, halted or exited. */
    OFF,
    /** Powered, not yet reported a boot. */
    BOOTING,
    /** Reported a boot on this power-up. */
    RUNNING,
    /** Stopped by a power cut (now, or armed at a flash operation); stays off until powered on. */
    CUT
}
