package org.secureota.workbench.device;

import java.util.Locale;

/** Where an armed power cut strikes the flash operation it targets (virtual board, {@code fail-after}). */
public enum CutPoint {
    /** The operation never starts. */
    BEFORE,
    /** Half of the operation's bytes (or half of its sector) are written, then the power goes. */
    HALFWAY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
