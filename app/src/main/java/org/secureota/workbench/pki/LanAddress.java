package org.secureota.workbench.pki;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The address a real board on the LAN uses to reach this machine: an IPv4 address of an interface
 * that is up, not loopback and not a container or VPN bridge when a better one exists. A board's
 * factory data bakes it in, and the server certificate must name it (see {@link LabPki#covers}).
 */
public final class LanAddress {

    private LanAddress() {
    }

    /** The best candidate, if this machine has any non-loopback IPv4 address. */
    public static Optional<String> choose() {
        return candidates().stream().findFirst();
    }

    /** Every candidate, best first: private (RFC 1918) before other addresses, physical-looking interfaces first. */
    public static List<String> candidates() {
        List<Candidate> found = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback() || nic.isPointToPoint()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        found.add(new Candidate(a.getHostAddress(), rank(nic.getName(), a)));
                    }
                }
            }
        } catch (SocketException e) {
            // Interfaces cannot be listed in some sandboxes: no candidate, and the caller asks for --url.
        }
        return found.stream().sorted(Comparator.comparingInt(Candidate::rank)).map(Candidate::address).toList();
    }

    private static int rank(String nic, InetAddress a) {
        int r = a.isSiteLocalAddress() ? 0 : 10;
        // Docker, libvirt and VPN interfaces are reachable from this machine only, not from a board on Wi-Fi.
        if (nic.startsWith("docker") || nic.startsWith("br-") || nic.startsWith("virbr") || nic.startsWith("veth")
                || nic.startsWith("tun") || nic.startsWith("tap") || nic.startsWith("wg")) {
            r += 5;
        }
        return r;
    }

    private record Candidate(String address, int rank) {
    }
}
