package org.secureota.workbench.attack;

import java.util.Locale;

/** How a device fared against an armed attack. */
public enum JudgementResult {
    /** The expected verdict, and nothing forbidden happened. */
    RESISTED,
    /** Another verdict, or something forbidden happened (image served, version changed, request answered). */
    NOT_RESISTED,
    /** The device made no update attempt since the attack was armed. */
    NO_ATTEMPT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
