package org.secureota.workbench.network;

/** How a forwarded connection ended. */
public enum ConnectionEnd {
    /** Both sides closed in order. */
    CLOSED,
    /** One side reset the connection or failed with an I/O error. */
    RESET,
    /** An armed fault cut it. */
    CUT,
    /** The upstream could not be reached; the device's connection was reset at once. */
    UPSTREAM_UNREACHABLE,
    /** The endpoint was stopped while it was open. */
    STOPPED,
    /** The device sent nothing within the endpoint's idle deadline; closed so it holds no thread. */
    IDLE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
