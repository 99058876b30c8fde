package org.secureota.workbench.device;

import java.util.Locale;

/**
 * The status LED as the device reports it: a pattern, never each toggle (docs/telemetry.md,
 * {@code led}). Numbers that do not apply to the mode are 0.
 *
 * @param mode      what the LED does
 * @param periodMs  length of one cycle ({@code blink}, {@code strobe})
 * @param duty      percent of the period the LED is lit ({@code blink})
 * @param flashes   flashes at the start of every period ({@code strobe})
 * @param flashMs   length of one flash and of the dark gap after it ({@code strobe})
 */
public record LedPattern(Mode mode, long periodMs, long duty, long flashes, long flashMs) {

    /** The LED modes of protocol version 1; {@code UNKNOWN} keeps a newer firmware's mode visible. */
    public enum Mode {
        OFF, ON, BLINK, STROBE, UNKNOWN;

        /** The protocol's name for the mode ({@code blink}). */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Mode fromWire(String name) {
            for (Mode m : values()) {
                if (m != UNKNOWN && m.wireName().equals(name)) {
                    return m;
                }
            }
            return UNKNOWN;
        }
    }

    public static final LedPattern OFF = new LedPattern(Mode.OFF, 0, 0, 0, 0);

    /** A short description for people: {@code blink 1000 ms, 50 % lit}. */
    public String describe() {
        return switch (mode) {
            case OFF -> "off";
            case ON -> "on";
            case BLINK -> "blink " + periodMs + " ms, " + duty + " % lit";
            case STROBE -> "strobe " + flashes + " x " + flashMs + " ms every " + periodMs + " ms";
            case UNKNOWN -> "unknown mode";
        };
    }
}
