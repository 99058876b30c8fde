package org.secureota.workbench.scenario;

import java.time.Duration;

/**
 * How long a played script waits after a step, so that an audience can read its narration before the
 * next step changes the screen. Reading aloud on stage goes at about three words a second; a pause is
 * never shorter than the presenter's chosen minimum, and a minimum of 0 means full speed (no pause).
 */
public final class ReadingPause {

    /** Words an audience reads per second, on a projector, while the presenter speaks. */
    static final double WORDS_PER_SECOND = 3.0;

    private ReadingPause() {
    }

    /**
     * @param narration      the step's narration as shown (may be null or blank)
     * @param minimumSeconds the presenter's setting; 0 for no pause
     */
    public static Duration after(String narration, int minimumSeconds) {
        if (minimumSeconds <= 0) {
            return Duration.ZERO;
        }
        int words = narration == null || narration.isBlank() ? 0 : narration.trim().split("\\s+").length;
        long reading = Math.round(words / WORDS_PER_SECOND * 1000);
        return Duration.ofMillis(Math.max(minimumSeconds * 1000L, reading));
    }
}
