package org.secureota.workbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.secureota.workbench.lab.Lab;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.LanAddress;

/**
 * The server as a real board on the LAN sees it: the URL it must use (this machine's LAN address,
 * never loopback) and a server certificate whose SANs name that address, or the board's TLS check
 * fails with a hostname mismatch.
 */
final class LanServer {

    private LanServer() {
    }

    /** {@code https://LAN-ADDRESS:PORT}, or a usage error saying to give --url when there is no LAN address. */
    static String url(int port) {
        String address = LanAddress.choose().orElseThrow(() -> new UsageException("This machine has no LAN (IPv4,"
                + " non-loopback) address that a board could reach. Connect it to the board's network, or give"
                + " --url https://ADDRESS:PORT."));
        return "https://" + address + ":" + port;
    }

    /** Whether the server listens where other machines can reach it. */
    static boolean reachableFromLan(String bind) {
        return !bind.startsWith("127.") && !bind.equals("localhost") && !bind.equals("::1");
    }

    /**
     * Makes sure the lab's server certificate covers {@code url}'s host: if not, issues a new one from
     * the same lab CA for this machine's names plus that host, and says so on {@code out}.
     */
    static void coverHost(Lab lab, String url, PrintWriter out) {
        String host = URI.create(url).getHost();
        LabPki pki = new LabPki(lab.certs());
        if (host == null || !pki.initialized() || pki.covers(host)) {
            return;
        }
        HostIdentity machine = HostIdentity.ofThisMachine();
        List<String> dns = new ArrayList<>(machine.dnsNames());
        List<String> ips = new ArrayList<>(machine.ipAddresses());
        (host.matches("[0-9.]+") || host.contains(":") ? ips : dns).add(host.replace("[", "").replace("]", ""));
        try {
            pki.reissueServer(new HostIdentity(dns.stream().distinct().toList(), ips.stream().distinct().toList()),
                    Clock.systemUTC());
        } catch (IOException e) {
            throw new UsageException("Cannot issue a server certificate for " + host + " in " + lab.certs() + ": "
                    + e.getMessage() + ". Check that the folder is writable.", e);
        }
        out.println("Issued a new server certificate (same lab CA, so provisioned boards still trust it) whose SANs"
                + " cover " + host + ", the address boards use.");
    }
}
