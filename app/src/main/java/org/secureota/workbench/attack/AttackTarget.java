package org.secureota.workbench.attack;

import java.nio.file.Path;
import java.util.Objects;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.network.DeviceEndpoint;
import org.secureota.workbench.network.LabTimeServer;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.server.ServerState;

/**
 * What the attacker can reach, and nothing more: the network path (the device endpoint), the server's
 * store (releases, deployments) and the time source. The device itself is out of reach.
 *
 * @param journal        where arming, disarming and judgements are written (source attacker)
 * @param pki            the lab PKI: its rogue certificate, and the lab CA for a certificate naming another host
 *                       (the lab CA's key stands for a CA that misissued; the device's trust anchor is untouched)
 * @param state          the server's release store and deployments
 * @param endpoint       the device-facing endpoint
 * @param time           the lab time source
 * @param defaultProduct the product store attacks act on unless told otherwise
 * @param sessionFolder  where the attacker keeps what it takes (a stolen image), or null outside a session
 */
public record AttackTarget(Journal journal, LabPki pki, ServerState state, DeviceEndpoint endpoint, LabTimeServer time,
                           String defaultProduct, Path sessionFolder) {

    /** A target with no session folder: attacks that keep a copy are refused. */
    public AttackTarget(Journal journal, LabPki pki, ServerState state, DeviceEndpoint endpoint, LabTimeServer time,
                        String defaultProduct) {
        this(journal, pki, state, endpoint, time, defaultProduct, null);
    }

    public AttackTarget {
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(pki, "pki");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(defaultProduct, "defaultProduct");
    }
}
