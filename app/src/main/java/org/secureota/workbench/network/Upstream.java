package org.secureota.workbench.network;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where the device endpoint forwards a connection: the lab's OTA server, or whatever an attacker put in
 * its place (a look-alike server). {@code name} is what the journal calls it.
 */
public record Upstream(String name, InetSocketAddress address) {

    public Upstream {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
    }

    public static Upstream loopback(String name, int port) {
        return new Upstream(name, new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
    }

    public String hostPort() {
        return address.getHostString() + ":" + address.getPort();
    }
}
