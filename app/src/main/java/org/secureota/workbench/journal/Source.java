package org.secureota.workbench.journal;

/** Which actor of the lab an event comes from; the timeline draws one swimlane per source. */
public enum Source {
    WORKBENCH, SERVER, NETWORK, ATTACKER, DEVICE, SCENARIO;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Source fromWireName(String name) {
        for (Source s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown event source '" + name + "'");
    }
}
