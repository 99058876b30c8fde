package org.secureota.workbench.pki;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Checks that the lab PKI is fit for a demo: the server chain validates through the JDK's PKIX
 * validator, nothing has expired, the names devices use are present, each key matches its
 * certificate, and the rogue certificate does not chain to the lab CA.
 */
public final class PkiCheck {

    private static final List<String> REQUIRED_SANS = List.of("DNS:localhost", "IP:127.0.0.1");
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private PkiCheck() {
    }

    /** Every problem found, each a sentence naming the file and what is wrong; empty when fit. */
    public static List<String> problems(LabPki pki, Instant now) {
        List<String> problems = new ArrayList<>();
        for (PkiFile f : PkiFile.values()) {
            if (!java.nio.file.Files.isRegularFile(pki.path(f))) {
                problems.add(f.fileName() + " is missing: run './workbench pki init'.");
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        X509Certificate ca = pki.certificate(PkiFile.CA_CERT);
        X509Certificate server = pki.certificate(PkiFile.SERVER_CERT);
        X509Certificate rogue = pki.certificate(PkiFile.ROGUE_CERT);

        checkValidity("ca.pem", ca, now, problems);
        checkValidity("server.pem", server, now, problems);
        if (ca.getBasicConstraints() < 0) {
            problems.add("ca.pem is not a CA certificate (basicConstraints CA:TRUE is missing).");
        }
        pkixFailure(server, ca, now).ifPresent(reason ->
                problems.add("server.pem does not chain to ca.pem: " + reason));
        if (pkixFailure(rogue, ca, now).isEmpty()) {
            problems.add("rogue.pem chains to the lab CA: the rogue-server attack would not be refused. "
                    + "Run './workbench pki init --force'.");
        }
        List<String> sans = CertificateSummary.subjectAltNames(server);
        for (String required : REQUIRED_SANS) {
            if (!sans.contains(required)) {
                problems.add("server.pem lacks the SAN " + required + ", so the virtual ESP32 would refuse it.");
            }
        }
        try {
            List<String> eku = server.getExtendedKeyUsage();
            if (eku == null || !eku.contains(SERVER_AUTH)) {
                problems.add("server.pem lacks the serverAuth extended key usage.");
            }
        } catch (GeneralSecurityException e) {
            problems.add("server.pem has an unreadable extended key usage: " + e.getMessage());
        }
        keyMismatch(pki, PkiFile.SERVER_KEY, server).ifPresent(problems::add);
        keyMismatch(pki, PkiFile.CA_KEY, ca).ifPresent(problems::add);
        keyMismatch(pki, PkiFile.ROGUE_KEY, rogue).ifPresent(problems::add);
        return problems;
    }

    /** Why PKIX rejects {@code leaf} under the single anchor {@code anchor}, or empty if it accepts it. */
    public static java.util.Optional<String> pkixFailure(X509Certificate leaf, X509Certificate anchor, Instant at) {
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(List.of(leaf)), params);
            return java.util.Optional.empty();
        } catch (CertPathValidatorException e) {
            String reason = e.getReason() == null ? "" : " [" + e.getReason() + "]";
            return java.util.Optional.of(e.getMessage() + reason);
        } catch (InvalidAlgorithmParameterException e) {
            return java.util.Optional.of("the anchor is unusable: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    private static void checkValidity(String name, X509Certificate cert, Instant now, List<String> problems) {
        if (now.isAfter(cert.getNotAfter().toInstant())) {
            problems.add(name + " expired on " + cert.getNotAfter().toInstant()
                    + ": run './workbench pki init --force'.");
        } else if (now.isBefore(cert.getNotBefore().toInstant())) {
            problems.add(name + " is not valid before " + cert.getNotBefore().toInstant()
                    + ": check this machine's clock.");
        }
    }

    private static java.util.Optional<String> keyMismatch(LabPki pki, PkiFile keyFile, X509Certificate cert) {
        try {
            byte[] probe = "lab-pki-key-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(pki.privateKey(keyFile));
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature) ? java.util.Optional.empty()
                    : java.util.Optional.of(keyFile.fileName() + " does not match its certificate.");
        } catch (GeneralSecurityException | RuntimeException e) {
            return java.util.Optional.of(keyFile.fileName() + " cannot be checked: " + e.getMessage());
        }
    }
}
