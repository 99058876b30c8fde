package org.secureota.workbench.session;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.LanAddress;

/**
 * The server as a real board on the LAN sees it: the URL it must use (this machine's LAN address,
 * never loopback) and a server certificate whose SANs name that address, or the board's TLS check
 * fails with a hostname mismatch.
 */
public final class LanServer {

    /** The server port a board's factory data names when nobody chose one. */
    public static final int DEFAULT_PORT = 8443;

    private LanServer() {
    }

    /** {@code https://LAN-ADDRESS:PORT}, or empty when this machine has no address a board could reach. */
    public static Optional<String> url(int port) {
        return LanAddress.choose().map(address -> "https://" + address + ":" + port);
    }

    /** {@link #url}, or an error saying to give a URL when there is no LAN address. */
    public static String urlOrExplain(int port) {
        return url(port).orElseThrow(() -> new LabSessionException("This machine has no LAN (IPv4, non-loopback)"
                + " address that a board could reach. Connect it to the board's network, or give the server URL"
                + " yourself (--url https://ADDRESS:PORT)."));
    }

    /** Whether the server listens where other machines can reach it. */
    public static boolean reachableFromLan(String bind) {
        return !bind.startsWith("127.") && !bind.equals("localhost") && !bind.equals("::1");
    }

    /**
     * Makes sure the lab's server certificate covers {@code url}'s host: if not, issues a new one from
     * the same lab CA for this machine's names plus that host.
     *
     * @return whether a new certificate was issued
     */
    public static boolean coverHost(LabFolder lab, String url) {
        String host = URI.create(url).getHost();
        LabPki pki = new LabPki(lab.certs());
        if (host == null || !pki.initialized() || pki.covers(host)) {
            return false;
        }
        HostIdentity machine = HostIdentity.ofThisMachine();
        List<String> dns = new ArrayList<>(machine.dnsNames());
        List<String> ips = new ArrayList<>(machine.ipAddresses());
        (host.matches("[0-9.]+") || host.contains(":") ? ips : dns).add(host.replace("[", "").replace("]", ""));
        try {
            pki.reissueServer(new HostIdentity(dns.stream().distinct().toList(), ips.stream().distinct().toList()),
                    Clock.systemUTC());
        } catch (IOException e) {
            throw new LabSessionException("Cannot issue a server certificate for " + host + " in " + lab.certs() + ": "
                    + e.getMessage() + ". Check that the folder is writable.", e);
        }
        return true;
    }

    /** What {@link #coverHost} did, in a sentence for people. */
    public static String reissuedNote(String url) {
        return "Issued a new server certificate (same lab CA, so provisioned boards still trust it) whose SANs"
                + " cover " + URI.create(url).getHost() + ", the address boards use.";
    }
}
