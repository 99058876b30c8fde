package org.secureota.workbench.ui.widget;

import org.secureota.workbench.device.LedPattern;

/** Whether an LED following a reported pattern is lit at a moment (docs/telemetry.md, {@code led}). */
public final class LedBlink {

    private LedBlink() {
    }

    /** @param millis time since the pattern was reported, which is when the device restarted its cycle */
    public static boolean lit(LedPattern pattern, long millis) {
        return switch (pattern.mode()) {
            case OFF, UNKNOWN -> false;
            case ON -> true;
            case BLINK -> pattern.periodMs() <= 0 ? pattern.duty() > 0
                    : Math.floorMod(millis, pattern.periodMs()) * 100 < pattern.duty() * pattern.periodMs();
            case STROBE -> {
                if (pattern.periodMs() <= 0 || pattern.flashMs() <= 0) {
                    yield false;
                }
                long t = Math.floorMod(millis, pattern.periodMs());
                long slot = t / pattern.flashMs();
                yield slot < 2 * pattern.flashes() && slot % 2 == 0;
            }
        };
    }

    /** Whether the LED changes over time at all (an animation is needed). */
    public static boolean animated(LedPattern pattern) {
        return pattern.mode() == LedPattern.Mode.BLINK || pattern.mode() == LedPattern.Mode.STROBE;
    }
}
