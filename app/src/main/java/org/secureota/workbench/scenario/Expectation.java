package org.secureota.workbench.scenario;

import java.util.Map;

/**
 * Something that must hold after a step's action: read from the journal and the device models,
 * never from the script's own bookkeeping. docs/demo-scripts.md lists each with its keys.
 * {@code device} may be {@code all}: every device of the script.
 */
public sealed interface Expectation {

    ScriptPosition position();

    /** What must hold, in English, for reports ({@code esp32-lab-01 runs version 2.0.0}). */
    String describe();

    record Version(String device, String version, ScriptPosition position) implements Expectation {
        public String describe() {
            return device + " runs version " + version;
        }
    }

    record RunningSlot(String device, String slot, ScriptPosition position) implements Expectation {
        public String describe() {
            return device + " runs from slot " + slot;
        }
    }

    /** Each named slot's otadata state ({@code ota_1: valid}). */
    record SlotStates(String device, Map<String, String> states, ScriptPosition position) implements Expectation {
        public SlotStates {
            states = Map.copyOf(states);
        }

        public String describe() {
            return device + " slot states " + states;
        }
    }

    /** The text appears on the display (rows joined with a line break, trailing spaces ignored). */
    record Lcd(String device, String text, ScriptPosition position) implements Expectation {
        public String describe() {
            return device + " shows \"" + text + "\"";
        }
    }

    record Led(String device, String mode, ScriptPosition position) implements Expectation {
        public String describe() {
            return device + " LED " + mode;
        }
    }

    /** The device's last OTA verdict code. */
    record Verdict(String device, String code, ScriptPosition position) implements Expectation {
        public String describe() {
            return device + " last verdict " + code;
        }
    }

    /** The attacker's judgement of an attack, from the journal: resisted. */
    record AttackResisted(String attack, ScriptPosition position) implements Expectation {
        public String describe() {
            return "attack " + attack + " resisted";
        }
    }

    /** Image bytes the server sent (firmware downloads) since the step began. */
    record ImageBytesServed(Count count, ScriptPosition position) implements Expectation {
        public String describe() {
            return "image bytes served " + count;
        }
    }

    /** HTTP requests of a kind that reached the server since the step began. */
    record HttpRequests(RequestKind kind, Count count, ScriptPosition position) implements Expectation {
        public String describe() {
            return kind.wireName() + " requests " + count;
        }
    }

    /** A firmware download resumed with a Range starting above 0 since the step began. */
    record ResumedAboveZero(ScriptPosition position) implements Expectation {
        public String describe() {
            return "a download resumed at an offset above 0";
        }
    }

    /** Every device is powered and runs an app whose image verified. */
    record NoDeviceBricked(ScriptPosition position) implements Expectation {
        public String describe() {
            return "no device bricked";
        }
    }

    /** Journal events of a type (optionally of a device, with field values) since the step began. */
    record Events(String event, String device, Map<String, String> fields, Count count, ScriptPosition position)
            implements Expectation {
        public Events {
            fields = Map.copyOf(fields);
        }

        public String describe() {
            return event + (device == null ? "" : " from " + device) + (fields.isEmpty() ? "" : " " + fields)
                    + " count " + count;
        }
    }
}
