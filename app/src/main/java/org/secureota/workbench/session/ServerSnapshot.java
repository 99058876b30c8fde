package org.secureota.workbench.session;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.server.Deployments;

/**
 * The OTA server at one moment.
 *
 * @param status            stopped, starting, running or failed
 * @param role              the lab's server or the rogue one
 * @param url               its base URL, null until it listens
 * @param tlsProvider       the JSSE provider serving TLS (SunJSSE or Conscrypt)
 * @param certificateSha256 SHA-256 of the certificate it presents (hex, lower case), null when unknown
 * @param certificateNotAfter when that certificate expires, null when unknown
 * @param releases          the published releases
 * @param deployments       which version each product and device should run
 * @param lastTlsVersion    the TLS version of the last request, null before the first
 * @param lastCipherSuite   the cipher suite of the last request, null before the first
 * @param failure           why it failed, null unless {@link ServerStatus#FAILED}
 */
public record ServerSnapshot(ServerStatus status, ServerRole role, URI url, String tlsProvider,
                             String certificateSha256, Instant certificateNotAfter, List<Release> releases,
                             Deployments.Snapshot deployments, String lastTlsVersion, String lastCipherSuite,
                             String failure) {

    public ServerSnapshot {
        releases = List.copyOf(releases);
    }

    static ServerSnapshot stopped() {
        return new ServerSnapshot(ServerStatus.STOPPED, ServerRole.LAB, null, null, null, null, List.of(),
                new Deployments.Snapshot(java.util.Map.of(), java.util.Map.of()), null, null, null);
    }

    ServerSnapshot withStatus(ServerStatus s, String why) {
        return new ServerSnapshot(s, role, url, tlsProvider, certificateSha256, certificateNotAfter, releases,
                deployments, lastTlsVersion, lastCipherSuite, why);
    }

    ServerSnapshot withReleases(List<Release> r, Deployments.Snapshot d) {
        return new ServerSnapshot(status, role, url, tlsProvider, certificateSha256, certificateNotAfter, r, d,
                lastTlsVersion, lastCipherSuite, failure);
    }

    ServerSnapshot withTls(String version, String cipher) {
        return new ServerSnapshot(status, role, url, tlsProvider, certificateSha256, certificateNotAfter, releases,
                deployments, version, cipher, failure);
    }
}
