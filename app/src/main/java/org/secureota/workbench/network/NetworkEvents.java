package org.secureota.workbench.network;

/** The endpoint's journal event types (source network). */
final class NetworkEvents {
    static final String ENDPOINT_STARTED = "network.endpoint_started";
    static final String ENDPOINT_STOPPED = "network.endpoint_stopped";
    static final String CONNECTION_OPENED = "network.connection_opened";
    static final String CONNECTION_CLOSED = "network.connection_closed";
    static final String ROUTE_CHANGED = "network.route_changed";
    static final String FAULT_ARMED = "network.fault_armed";
    static final String FAULT_DISARMED = "network.fault_disarmed";
    static final String FAULT_STRUCK = "network.fault_struck";
    static final String THROTTLE_CHANGED = "network.throttle_changed";

    private NetworkEvents() {
    }
}
