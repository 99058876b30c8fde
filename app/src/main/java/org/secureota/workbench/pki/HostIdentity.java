package org.secureota.workbench.pki;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names and addresses by which a device may reach the OTA server: the loopback names for the
 * virtual ESP32, and this machine's host name and LAN addresses for a real board on Wi-Fi.
 *
 * @param dnsNames    DNS subjectAltNames
 * @param ipAddresses IP subjectAltNames, in textual form
 */
public record HostIdentity(List<String> dnsNames, List<String> ipAddresses) {

    public HostIdentity {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
    }

    /** localhost, 127.0.0.1 and ::1, plus this machine's host name and non-loopback addresses. */
    public static HostIdentity ofThisMachine() {
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host != null && !host.isBlank() && !host.matches("[0-9.:]+")) {
                dns.add(host);
            }
        } catch (UnknownHostException e) {
            // A machine without a resolvable host name is still a valid lab; the loopback names suffice.
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address.isLinkLocalAddress() || address.isLoopbackAddress()) {
                        continue;
                    }
                    String text = address.getHostAddress();
                    int zone = text.indexOf('%');
                    ips.add(zone >= 0 ? text.substring(0, zone) : text);
                }
            }
        } catch (SocketException e) {
            // Interfaces cannot be listed in some sandboxes: keep the loopback identity.
        }
        return new HostIdentity(new ArrayList<>(dns), new ArrayList<>(ips));
    }
}
