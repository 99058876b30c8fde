package org.secureota.workbench.pki;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.secureota.workbench.foundation.AtomicFiles;

/**
 * Reads and writes the PEM files of the lab PKI. Private keys are written as unencrypted PKCS#8
 * with mode 0600 from the moment the file exists: the file is created with those permissions and
 * then moved into place, so no other user can open it even briefly.
 */
public final class PemFiles {


    private PemFiles() {
    }

    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        AtomicFiles.write(file, ascii(pem(new JcaPKCS8Generator(key, null))), AtomicFiles.OWNER_ONLY);
    }

    public static void writePublicKey(Path file, PublicKey key) throws IOException {
        AtomicFiles.write(file, ascii(pem(key)), AtomicFiles.PUBLIC_READ);
    }

    public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
        AtomicFiles.write(file, ascii(pem(certificate)), AtomicFiles.PUBLIC_READ);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** PEM text of a certificate, public key or other object that BouncyCastle's writer knows. */
    public static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        List<X509Certificate> all = readCertificates(file);
        if (all.isEmpty()) {
            throw new PkiException(file + " holds no PEM certificate. Run './workbench pki init' to create the lab PKI.");
        }
        return all.get(0);
    }

    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(requireFile(file), StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
                }
            }
        } catch (CertificateException | IOException | RuntimeException e) {
            // BouncyCastle reports bad base64 and bad DER with assorted unchecked exceptions.
            throw new PkiException(file + " holds a damaged certificate (" + e.getMessage()
                    + "). Replace it, or run './workbench pki init --force'.", e);
        }
        return certificates;
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        Object object = readSingle(file);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (object instanceof PrivateKeyInfo info) {
            return converter.getPrivateKey(info);
        }
        if (object instanceof PEMKeyPair pair) {
            return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        throw new PkiException(file + " is not a PEM private key (expected '-----BEGIN PRIVATE KEY-----').");
    }

    public static PublicKey readPublicKey(Path file) throws IOException {
        Object object = readSingle(file);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        if (object instanceof SubjectPublicKeyInfo info) {
            return converter.getPublicKey(info);
        }
        if (object instanceof X509CertificateHolder holder) {
            return converter.getPublicKey(holder.getSubjectPublicKeyInfo());
        }
        throw new PkiException(file + " is not a PEM public key (expected '-----BEGIN PUBLIC KEY-----').");
    }

    private static Object readSingle(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(requireFile(file), StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (object == null) {
                throw new PkiException(file + " holds no PEM object.");
            }
            return object;
        } catch (PkiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PkiException(file + " is not valid PEM (" + e.getMessage()
                    + "). Replace it, or run './workbench pki init --force'.", e);
        }
    }

    private static Path requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new PkiException(file + " does not exist. Run './workbench pki init' to create the lab PKI.");
        }
        return file;
    }
}
