package org.secureota.workbench.pki;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/** What a person checks when reading a certificate: names, validity and fingerprint. */
public record CertificateSummary(String subject, String issuer, List<String> subjectAltNames,
                                 Instant notBefore, Instant notAfter, String sha256Fingerprint,
                                 boolean certificateAuthority) {

    public static CertificateSummary of(X509Certificate certificate) {
        return new CertificateSummary(
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                subjectAltNames(certificate),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                fingerprint(certificate),
                certificate.getBasicConstraints() >= 0);
    }

    /** SHA-256 over the DER encoding, as {@code openssl x509 -fingerprint -sha256} prints it. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("Cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** SANs as {@code DNS:name} and {@code IP:address}, in certificate order. */
    public static List<String> subjectAltNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    int kind = (Integer) entry.get(0);
                    String value = String.valueOf(entry.get(1));
                    names.add(switch (kind) {
                        case 2 -> "DNS:" + value;
                        case 7 -> "IP:" + value;
                        default -> "other(" + kind + "):" + value;
                    });
                }
            }
        } catch (CertificateParsingException e) {
            names.add("unreadable SAN extension: " + e.getMessage());
        }
        return names;
    }
}
