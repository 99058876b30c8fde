package org.secureota.workbench.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

@Tag("integration")
class LabPkiTest {

    @TempDir
    static Path lab;
    static LabPki pki;
    static final HostIdentity NAMES = new HostIdentity(List.of("localhost", "lab-host"),
            List.of("127.0.0.1", "::1", "192.0.2.7"));

    @BeforeAll
    static void createPki() throws Exception {
        pki = new LabPki(lab.resolve("certs"));
        pki.init(false, NAMES, Clock.systemUTC());
    }

    @Test
    void serverChainVerifiesThroughThePkixValidatorAndRogueDoesNot() {
        X509Certificate ca = pki.certificate(PkiFile.CA_CERT);
        assertThat(PkiCheck.pkixFailure(pki.certificate(PkiFile.SERVER_CERT), ca, Instant.now())).isEmpty();
        assertThat(PkiCheck.pkixFailure(pki.certificate(PkiFile.ROGUE_CERT), ca, Instant.now()))
                .hasValueSatisfying(reason -> assertThat(reason).isNotBlank());
        assertThat(PkiCheck.problems(pki, Instant.now())).isEmpty();
    }

    @Test
    void rogueCertificateReadsTheSameAsTheRealOneButHasOtherKeys() {
        CertificateSummary real = CertificateSummary.of(pki.certificate(PkiFile.SERVER_CERT));
        CertificateSummary rogue = CertificateSummary.of(pki.certificate(PkiFile.ROGUE_CERT));
        assertThat(rogue.subject()).isEqualTo(real.subject());
        assertThat(rogue.issuer()).isEqualTo(real.issuer());
        assertThat(rogue.subjectAltNames()).isEqualTo(real.subjectAltNames());
        assertThat(rogue.notBefore()).isEqualTo(real.notBefore());
        assertThat(rogue.notAfter()).isEqualTo(real.notAfter());
        assertThat(pki.certificate(PkiFile.ROGUE_CERT).getSerialNumber())
                .isEqualTo(pki.certificate(PkiFile.SERVER_CERT).getSerialNumber());
        assertThat(rogue.sha256Fingerprint()).isNotEqualTo(real.sha256Fingerprint());
        assertThat(pki.certificate(PkiFile.ROGUE_CERT).getPublicKey())
                .isNotEqualTo(pki.certificate(PkiFile.SERVER_CERT).getPublicKey());
        assertThat(CertificateSummary.of(pki.certificate(PkiFile.ROGUE_CA_CERT)).subject())
                .isEqualTo(CertificateSummary.of(pki.certificate(PkiFile.CA_CERT)).subject());
    }

    @Test
    void certificatesCarryTheExpectedExtensions() throws Exception {
        X509Certificate ca = pki.certificate(PkiFile.CA_CERT);
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getCriticalExtensionOIDs()).contains("2.5.29.19"); // basicConstraints
        boolean[] caUsage = ca.getKeyUsage();
        assertThat(caUsage[5]).as("keyCertSign").isTrue();
        assertThat(caUsage[6]).as("cRLSign").isTrue();
        assertThat(Duration.between(ca.getNotBefore().toInstant(), ca.getNotAfter().toInstant()).toDays())
                .isBetween(3650L, 3660L);

        X509Certificate server = pki.certificate(PkiFile.SERVER_CERT);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(CertificateSummary.subjectAltNames(server)).containsExactly(
                "DNS:localhost", "DNS:lab-host", "IP:127.0.0.1", "IP:0:0:0:0:0:0:0:1", "IP:192.0.2.7");
        assertThat(Duration.between(server.getNotBefore().toInstant(), server.getNotAfter().toInstant()).toDays())
                .isLessThanOrEqualTo(397L);
        assertThat(server.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(server.getSigAlgName()).isEqualTo("SHA256withECDSA");
    }

    @Test
    void privateKeysAreOwnerOnlyPkcs8AndPublicFilesAreReadable() throws Exception {
        for (PkiFile f : PkiFile.values()) {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.path(f)));
            if (f.secret()) {
                assertThat(mode).as(f.fileName()).isEqualTo("rw-------");
                assertThat(Files.readString(pki.path(f))).startsWith("-----BEGIN PRIVATE KEY-----");
            } else {
                assertThat(mode).as(f.fileName()).isEqualTo("rw-r--r--");
            }
        }
        assertThat(pki.signingPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(pki.signingPublicKey()).isNotEqualTo(pki.certificate(PkiFile.SERVER_CERT).getPublicKey());
    }

    @Test
    void reinitWithoutForceRefusesAndChangesNothing() throws Exception {
        String before = Files.readString(pki.path(PkiFile.CA_CERT));
        assertThatThrownBy(() -> pki.init(false, NAMES, Clock.systemUTC()))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("already exists")
                .hasMessageContaining("--force");
        assertThat(Files.readString(pki.path(PkiFile.CA_CERT))).isEqualTo(before);
    }

    @Test
    void forceReplacesEveryKey(@TempDir Path other) throws Exception {
        LabPki fresh = new LabPki(other);
        fresh.init(false, NAMES, Clock.systemUTC());
        String oldCa = Files.readString(fresh.path(PkiFile.CA_CERT));
        fresh.init(true, NAMES, Clock.systemUTC());
        assertThat(Files.readString(fresh.path(PkiFile.CA_CERT))).isNotEqualTo(oldCa);
        assertThat(PkiCheck.problems(fresh, Instant.now())).isEmpty();
    }

    @Test
    void checkReportsExpiryAndMissingFiles(@TempDir Path other) throws Exception {
        assertThat(PkiCheck.problems(new LabPki(other), Instant.now()))
                .anySatisfy(p -> assertThat(p).contains("ca.pem is missing"));
        assertThat(PkiCheck.problems(pki, Instant.now().plus(Duration.ofDays(400))))
                .anySatisfy(p -> assertThat(p).contains("server.pem expired"));
    }

    @Test
    void aDamagedPemFileGetsAClearError(@TempDir Path other) throws Exception {
        Path bad = other.resolve("ca.pem");
        Files.writeString(bad, "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PemFiles.readCertificate(bad))
                .hasMessageContaining(bad.toString());
        assertThatThrownBy(() -> PemFiles.readPrivateKey(other.resolve("absent.pem")))
                .isInstanceOf(PkiException.class).hasMessageContaining("pki init");
    }
}
