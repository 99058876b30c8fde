package org.secureota.workbench.network;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which lab device each of the endpoint's upstream connections carries, for the server in the same
 * session: the server keys its per-connection limits on the device, not on the address, so that where
 * every device comes from 127.0.0.1 (no loopback aliases) a flood from that address cannot take a
 * device's place.
 *
 * <p>Nothing on the wire says it, so nothing on the network can forge it: the endpoint binds its upstream
 * socket, records the socket's own address and port here, and only then connects. While that socket is
 * open no other socket can have the same address and port, so a connection the server accepts from it
 * is the endpoint's. The endpoint forgets the entry before it closes the socket, so the port can never
 * speak for a device once another program may hold it.
 */
public final class EndpointPeers {

    private final Map<InetSocketAddress, String> devices = new ConcurrentHashMap<>();

    /** The endpoint's upstream socket bound at {@code local} carries {@code deviceId}'s connection. */
    void register(InetSocketAddress local, String deviceId) {
        devices.put(local, deviceId);
    }

    /** The socket at {@code local} is about to close. */
    void forget(InetSocketAddress local) {
        if (local != null) {
            devices.remove(local);
        }
    }

    /** The device whose connection the endpoint forwards from {@code peer} (the server's remote address), if any. */
    public Optional<String> deviceAt(SocketAddress peer) {
        return peer instanceof InetSocketAddress inet ? Optional.ofNullable(devices.get(inet)) : Optional.empty();
    }

    /** Upstream connections registered right now. */
    public int size() {
        return devices.size();
    }
}
