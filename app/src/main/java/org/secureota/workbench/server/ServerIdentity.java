package org.secureota.workbench.server;

import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import org.secureota.workbench.pki.LabPki;

/**
 * The key and certificate chain the server presents in the TLS handshake.
 *
 * <p>The server never decides on its own which identity it has: the lab's real server certificate
 * by default, or, for the rogue-server scenario, the attacker's look-alike certificate, which has
 * the same names but chains to another CA. A device that pins the lab CA must refuse the second.
 *
 * @param name     what the journal and the console call this identity
 * @param keyStore an in-memory key store with one private key entry and its chain
 * @param password the password of that key entry; random per process, never written anywhere
 */
public record ServerIdentity(String name, KeyStore keyStore, char[] password) {

    /** The lab's OTA server certificate ({@code certs/server.pem}), issued by the lab CA. */
    public static ServerIdentity labServer(LabPki pki) {
        char[] password = randomPassword();
        return new ServerIdentity("lab server certificate (certs/server.pem)", pki.serverKeyStore(password), password);
    }

    /** The attacker's look-alike certificate ({@code certs/rogue.pem}), issued by the rogue CA. */
    public static ServerIdentity rogue(LabPki pki) {
        char[] password = randomPassword();
        return new ServerIdentity("rogue certificate (certs/rogue.pem)", pki.rogueKeyStore(password), password);
    }

    /** A certificate from the lab CA for another host name ({@link LabPki#otherHostKeyStore}), held in memory only. */
    public static ServerIdentity otherHost(LabPki pki, String dnsName) {
        char[] password = randomPassword();
        return new ServerIdentity("lab-CA certificate for " + dnsName, pki.otherHostKeyStore(dnsName, password),
                password);
    }

    private static char[] randomPassword() {
        // The key store lives only in memory; its password just has to be unguessable within the process.
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).toCharArray();
    }
}
