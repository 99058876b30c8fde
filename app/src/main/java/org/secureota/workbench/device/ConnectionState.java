package org.secureota.workbench.device;

/** Whether the workbench hears the device: the state of its serial link. */
public enum ConnectionState {
    /** No port open: never opened, closed, or the port vanished (board unplugged, process killed). */
    DISCONNECTED,
    /** The port is being opened (first time or after it vanished). */
    CONNECTING,
    /** The port is open and read. A silent device is still CONNECTED: watch its heartbeat. */
    CONNECTED
}
