package org.secureota.workbench.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the lab's certificates with BouncyCastle: ECDSA P-256 keys, SHA-256 signatures, and only
 * the extensions a TLS client on an ESP32 (mbedTLS) and the JDK's PKIX validator look at.
 */
public final class CertificateIssuer {

    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private final SecureRandom random = new SecureRandom();

    public KeyPair newP256KeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK cannot generate ECDSA P-256 keys", e);
        }
    }

    /** A positive 127-bit serial, as CAs use, so two certificates never share one by accident. */
    public BigInteger newSerial() {
        return new BigInteger(127, random).setBit(126);
    }

    /** A self-signed root: CA:TRUE (critical), keyCertSign and cRLSign. */
    public X509Certificate rootCa(X500Name subject, KeyPair keys, BigInteger serial, Instant notBefore,
                                  Instant notAfter) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(keys.getPublic()));
            return sign(builder, keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("Cannot build the root CA certificate", e);
        }
    }

    /** A TLS server leaf: CA:FALSE, digitalSignature, serverAuth, and the given names as SANs. */
    public X509Certificate serverLeaf(X500Name subject, PublicKey subjectKey, X509Certificate issuer,
                                      PrivateKey issuerKey, BigInteger serial, Instant notBefore,
                                      Instant notAfter, HostIdentity names) {
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            List<GeneralName> sans = new ArrayList<>();
            names.dnsNames().forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
            names.ipAddresses().forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), serial,
                    Date.from(notBefore), Date.from(notAfter), subject, subjectKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(sans.toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(issuer.getPublicKey()));
            return sign(builder, issuerKey);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("Cannot build the server certificate", e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("Cannot sign with " + SIGNATURE_ALGORITHM, e);
        }
    }
}
