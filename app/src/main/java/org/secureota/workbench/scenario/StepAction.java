package org.secureota.workbench.scenario;

import java.util.Map;
import org.secureota.workbench.device.CutPoint;

/** What a step does before its expectations are checked; docs/demo-scripts.md lists each with its keys. */
public sealed interface StepAction {

    /** The key that writes this action in a script ({@code deploy}, {@code arm-cut} ...). */
    String key();

    /** A short English description for logs, reports and failure messages. */
    String describe();

    /** Deploys a published version to a product (every device of it) or to one device. */
    record Deploy(String version, String product, String device) implements StepAction {
        public String key() {
            return "deploy";
        }

        public String describe() {
            return "deploy " + version + (device != null ? " to device " + device : " to product " + product);
        }
    }

    /** Arms an attack of the attacker's catalogue, with its parameters by name. */
    record Arm(String attack, Map<String, String> params) implements StepAction {
        public Arm {
            params = Map.copyOf(params);
        }

        public String key() {
            return "arm";
        }

        public String describe() {
            return "arm attack " + attack + (params.isEmpty() ? "" : " " + params);
        }
    }

    record Disarm(String attack) implements StepAction {
        public String key() {
            return "disarm";
        }

        public String describe() {
            return "disarm attack " + attack;
        }
    }

    /** Asks a device (or {@code all}) to check for an update now. */
    record Check(String device) implements StepAction {
        public String key() {
            return "check";
        }

        public String describe() {
            return "check now on " + device;
        }
    }

    record PowerOn(String device) implements StepAction {
        public String key() {
            return "power-on";
        }

        public String describe() {
            return "power on " + device;
        }
    }

    record Reset(String device) implements StepAction {
        public String key() {
            return "reset";
        }

        public String describe() {
            return "reset " + device;
        }
    }

    record PowerCut(String device) implements StepAction {
        public String key() {
            return "power-cut";
        }

        public String describe() {
            return "cut the power of " + device;
        }
    }

    /** Flash operations 1..operation complete, the next one is cut at {@code point}. */
    record ArmCut(String device, long operation, CutPoint point) implements StepAction {
        public String key() {
            return "arm-cut";
        }

        public String describe() {
            return "arm a power cut of " + device + " after flash operation " + operation + " (" + point.wireName() + ")";
        }
    }

    record DisarmCut(String device) implements StepAction {
        public String key() {
            return "disarm-cut";
        }

        public String describe() {
            return "disarm the power cut of " + device;
        }
    }

    /** Waits for a journal event of a type (from the catalogue), optionally of a device and with field values. */
    record WaitFor(String event, String device, Map<String, String> fields) implements StepAction {
        public WaitFor {
            fields = Map.copyOf(fields);
        }

        public String key() {
            return "wait";
        }

        public String describe() {
            return "wait for " + event + (device == null ? "" : " from " + device) + (fields.isEmpty() ? "" : " " + fields);
        }
    }

    /** Waits for the presenter ("next") in play and step modes; headless runs go straight on. */
    record Pause() implements StepAction {
        public String key() {
            return "pause";
        }

        public String describe() {
            return "pause for the presenter";
        }
    }

    /** No action: the step only checks its expectations. */
    record ExpectOnly() implements StepAction {
        public String key() {
            return "expect";
        }

        public String describe() {
            return "check expectations";
        }
    }

    /**
     * One update cut at every {@code every}-th flash operation in turn: arm the cut, check, wait for the
     * cut, power on, require a valid app, and again one operation further, until the update completes.
     */
    record PowerCutSweep(String device, String version, CutPoint point, long every, int maxCuts) implements StepAction {
        public String key() {
            return "power-cut-sweep";
        }

        public String describe() {
            return "power-cut sweep of " + device + " updating to " + version + " (" + point.wireName() + ", every " + every + " operation"
                    + (every == 1 ? "" : "s") + ")";
        }
    }
}
