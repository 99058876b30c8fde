package org.secureota.workbench.pki;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * The lab's PKI in one folder: the root CA, the OTA server's certificate, the attacker's look-alike
 * pair and the manifest-signing key. See {@link PkiFile} for the files.
 */
public final class LabPki {

    public static final X500Name CA_NAME =
            new X500Name("C=FR,O=Secure OTA Workbench Lab,CN=Secure OTA Lab Root CA");
    public static final X500Name SERVER_NAME =
            new X500Name("C=FR,O=Secure OTA Workbench Lab,OU=OTA Server,CN=ota.lab.local");
    /** CA/Browser Forum ceiling for a TLS server certificate. */
    public static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    public static final Duration CA_VALIDITY = Duration.ofDays(3652);
    /** Devices whose clock runs a little behind must still accept a fresh certificate. */
    private static final Duration BACKDATE = Duration.ofHours(1);

    private final Path certs;

    public LabPki(Path certsDirectory) {
        this.certs = certsDirectory.toAbsolutePath().normalize();
    }

    public Path directory() {
        return certs;
    }

    public Path path(PkiFile file) {
        return certs.resolve(file.fileName());
    }

    /** The files of the PKI that already exist. */
    public List<Path> existingFiles() {
        List<Path> found = new ArrayList<>();
        for (PkiFile f : PkiFile.values()) {
            if (Files.exists(path(f))) {
                found.add(path(f));
            }
        }
        return found;
    }

    public boolean initialized() {
        return existingFiles().size() == PkiFile.values().length;
    }

    /**
     * Creates the whole PKI. Refuses, without writing anything, when a file exists and
     * {@code force} is false, so a demo's keys are never replaced by accident.
     */
    public void init(boolean force, HostIdentity names, Clock clock) throws IOException {
        List<Path> existing = existingFiles();
        if (!existing.isEmpty() && !force) {
            throw new PkiException("The lab PKI already exists in " + certs + " (" + existing.size()
                    + " files, e.g. " + existing.get(0).getFileName() + "). Use 'pki init --force' to replace it.");
        }
        CertificateIssuer issuer = new CertificateIssuer();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notBefore = now.minus(BACKDATE);
        Instant caNotAfter = now.plus(CA_VALIDITY);
        Instant serverNotAfter = now.plus(SERVER_VALIDITY).minus(BACKDATE);
        BigInteger caSerial = issuer.newSerial();
        BigInteger serverSerial = issuer.newSerial();

        KeyPair caKeys = issuer.newP256KeyPair();
        X509Certificate ca = issuer.rootCa(CA_NAME, caKeys, caSerial, notBefore, caNotAfter);
        KeyPair serverKeys = issuer.newP256KeyPair();
        X509Certificate server = issuer.serverLeaf(SERVER_NAME, serverKeys.getPublic(), ca, caKeys.getPrivate(),
                serverSerial, notBefore, serverNotAfter, names);

        // The rogue pair copies every visible field (names, serials, dates, SANs); only the keys differ,
        // which is exactly what a client pinning the lab CA detects and a human reading it does not.
        KeyPair rogueCaKeys = issuer.newP256KeyPair();
        X509Certificate rogueCa = issuer.rootCa(CA_NAME, rogueCaKeys, caSerial, notBefore, caNotAfter);
        KeyPair rogueKeys = issuer.newP256KeyPair();
        X509Certificate rogue = issuer.serverLeaf(SERVER_NAME, rogueKeys.getPublic(), rogueCa,
                rogueCaKeys.getPrivate(), serverSerial, notBefore, serverNotAfter, names);

        KeyPair signing = issuer.newP256KeyPair();

        Files.createDirectories(certs);
        PemFiles.writePrivateKey(path(PkiFile.CA_KEY), caKeys.getPrivate());
        PemFiles.writeCertificate(path(PkiFile.CA_CERT), ca);
        PemFiles.writePrivateKey(path(PkiFile.SERVER_KEY), serverKeys.getPrivate());
        PemFiles.writeCertificate(path(PkiFile.SERVER_CERT), server);
        PemFiles.writePrivateKey(path(PkiFile.ROGUE_CA_KEY), rogueCaKeys.getPrivate());
        PemFiles.writeCertificate(path(PkiFile.ROGUE_CA_CERT), rogueCa);
        PemFiles.writePrivateKey(path(PkiFile.ROGUE_KEY), rogueKeys.getPrivate());
        PemFiles.writeCertificate(path(PkiFile.ROGUE_CERT), rogue);
        PemFiles.writePrivateKey(path(PkiFile.SIGNING_KEY), signing.getPrivate());
        PemFiles.writePublicKey(path(PkiFile.SIGNING_PUB), signing.getPublic());
    }

    /** The server certificate's subjectAltNames (DNS names and IP addresses, as text). */
    public List<String> serverNames() {
        try {
            Collection<List<?>> sans = certificate(PkiFile.SERVER_CERT).getSubjectAlternativeNames();
            List<String> names = new ArrayList<>();
            if (sans != null) {
                sans.forEach(san -> names.add(String.valueOf(san.get(1))));
            }
            return names;
        } catch (java.security.cert.CertificateParsingException e) {
            throw new PkiException("Cannot read the SANs of " + path(PkiFile.SERVER_CERT) + ": " + e.getMessage(), e);
        }
    }

    /** Whether a device connecting to {@code host} (a name or an IP address) accepts the server certificate. */
    public boolean covers(String host) {
        String h = host.replace("[", "").replace("]", "");
        for (String name : serverNames()) {
            if (name.equalsIgnoreCase(h) || (name.contains(":") && h.contains(":") && sameIp(name, h))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameIp(String a, String b) {
        try {
            return java.net.InetAddress.getByName(a).equals(java.net.InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * Issues a new server certificate (and key) from the existing lab CA for {@code names}, and the
     * rogue leaf that mirrors it. The CA and the signing key stay: boards already provisioned trust
     * the new certificate as they did the old one.
     */
    public void reissueServer(HostIdentity names, Clock clock) throws IOException {
        if (!initialized()) {
            throw new PkiException("No lab PKI in " + certs + " to issue a server certificate from. Run 'pki init' first.");
        }
        CertificateIssuer issuer = new CertificateIssuer();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notBefore = now.minus(BACKDATE);
        Instant notAfter = now.plus(SERVER_VALIDITY).minus(BACKDATE);
        BigInteger serial = issuer.newSerial();
        X509Certificate ca = certificate(PkiFile.CA_CERT);
        KeyPair serverKeys = issuer.newP256KeyPair();
        X509Certificate server = issuer.serverLeaf(SERVER_NAME, serverKeys.getPublic(), ca, privateKey(PkiFile.CA_KEY),
                serial, notBefore, notAfter, names);
        KeyPair rogueKeys = issuer.newP256KeyPair();
        X509Certificate rogue = issuer.serverLeaf(SERVER_NAME, rogueKeys.getPublic(), certificate(PkiFile.ROGUE_CA_CERT),
                privateKey(PkiFile.ROGUE_CA_KEY), serial, notBefore, notAfter, names);
        PemFiles.writePrivateKey(path(PkiFile.SERVER_KEY), serverKeys.getPrivate());
        PemFiles.writeCertificate(path(PkiFile.SERVER_CERT), server);
        PemFiles.writePrivateKey(path(PkiFile.ROGUE_KEY), rogueKeys.getPrivate());
        PemFiles.writeCertificate(path(PkiFile.ROGUE_CERT), rogue);
    }

    public X509Certificate certificate(PkiFile file) {
        if (file.secret()) {
            throw new IllegalArgumentException(file + " is a private key, not a certificate");
        }
        try {
            return PemFiles.readCertificate(path(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path(file) + ": " + e.getMessage(), e);
        }
    }

    public PrivateKey privateKey(PkiFile file) {
        if (!file.secret()) {
            throw new IllegalArgumentException(file + " is not a private key");
        }
        try {
            return PemFiles.readPrivateKey(path(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path(file) + ": " + e.getMessage(), e);
        }
    }

    public PublicKey signingPublicKey() {
        try {
            return PemFiles.readPublicKey(path(PkiFile.SIGNING_PUB));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path(PkiFile.SIGNING_PUB) + ": " + e.getMessage(), e);
        }
    }

    public PrivateKey signingKey() {
        return privateKey(PkiFile.SIGNING_KEY);
    }

    /** An in-memory key store holding the real server's key and chain, for the TLS server. */
    public KeyStore serverKeyStore(char[] password) {
        return keyStore(PkiFile.SERVER_KEY, PkiFile.SERVER_CERT, PkiFile.CA_CERT, password);
    }

    /** An in-memory key store holding the attacker's look-alike key and chain. */
    public KeyStore rogueKeyStore(char[] password) {
        return keyStore(PkiFile.ROGUE_KEY, PkiFile.ROGUE_CERT, PkiFile.ROGUE_CA_CERT, password);
    }

    /**
     * An in-memory key store with a fresh key and a leaf <em>issued by the lab CA</em> for {@code dnsName} only
     * (no IP address): a genuine certificate for another host, as a CA that misissued or a sibling service
     * would hold. A device that checks the host name refuses it; one that checks only the chain accepts it.
     * Nothing is written to disk.
     */
    public KeyStore otherHostKeyStore(String dnsName, char[] password) {
        CertificateIssuer issuer = new CertificateIssuer();
        X509Certificate ca = certificate(PkiFile.CA_CERT);
        KeyPair keys = issuer.newP256KeyPair();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X509Certificate leaf = issuer.serverLeaf(new X500Name("CN=" + dnsName + ",O=Secure OTA Workbench Lab"),
                keys.getPublic(), ca, privateKey(PkiFile.CA_KEY), issuer.newSerial(), now.minus(BACKDATE),
                now.plus(Duration.ofDays(30)), new HostIdentity(List.of(dnsName), List.of()));
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", keys.getPrivate(), password, new Certificate[] {leaf, ca});
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot build a key store for " + dnsName, e);
        }
    }

    /** A trust store holding only the lab CA: what a device pins. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("lab-ca", certificate(PkiFile.CA_CERT));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot build the lab trust store", e);
        }
    }

    private KeyStore keyStore(PkiFile key, PkiFile leaf, PkiFile ca, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", privateKey(key), password,
                    new Certificate[] {certificate(leaf), certificate(ca)});
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot build a key store from " + path(leaf), e);
        }
    }
}
