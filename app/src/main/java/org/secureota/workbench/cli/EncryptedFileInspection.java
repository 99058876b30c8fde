package org.secureota.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.secureota.workbench.firmware.DecryptionException;
import org.secureota.workbench.firmware.EncryptedImageHeader;
import org.secureota.workbench.firmware.EncryptionScheme;

/** What {@code firmware inspect} prints for an esp_encrypted_img file: the header, never a decrypted byte. */
final class EncryptedFileInspection {

    private static final HexFormat HEX = HexFormat.of();

    private EncryptedFileInspection() {
    }

    static void print(PrintWriter out, Path file, byte[] bytes, boolean json) {
        EncryptedImageHeader header;
        try {
            header = EncryptedImageHeader.parse(bytes);
        } catch (DecryptionException e) {
            out.println(file + "  (" + bytes.length + " bytes): esp_encrypted_img magic, but " + e.getMessage());
            out.flush();
            throw new CheckFailedException(file + " is a damaged encrypted image: " + e.refusal());
        }
        long ciphertext = bytes.length - (long) EncryptedImageHeader.SIZE;
        String sizeVerdict = ciphertext == header.plaintextSize() ? "OK"
                : ciphertext < header.plaintextSize() ? "TRUNCATED (" + ciphertext + " bytes of ciphertext)"
                : "EXTRA BYTES (" + (ciphertext - header.plaintextSize()) + " after the ciphertext)";
        EncryptionScheme scheme = header.apparentScheme();
        if (json) {
            ObjectNode root = new ObjectMapper().createObjectNode();
            root.put("file", file.toString());
            root.put("format", "esp_encrypted_img");
            root.put("size", bytes.length);
            root.put("sha256", sha256(bytes));
            root.put("scheme", scheme.id());
            if (scheme == EncryptionScheme.ECIES_P256) {
                root.put("ephemeral_public_key", HEX.formatHex(header.ephemeralPublicKey()));
                root.put("kdf_salt", HEX.formatHex(header.kdfSalt()));
            } else {
                root.put("wrapped_key", HEX.formatHex(header.wrappedKey()));
            }
            root.put("iv", HEX.formatHex(header.iv()));
            root.put("plaintext_size", header.plaintextSize());
            root.put("tag", HEX.formatHex(header.tag()));
            root.put("length_ok", ciphertext == header.plaintextSize());
            out.println(root.toPrettyString());
        } else {
            out.println(file + "  (" + bytes.length + " bytes)");
            out.println("  SHA-256 of the file: " + sha256(bytes));
            out.println("  format:        esp_encrypted_img (magic cf b6 88 07), 512-byte header");
            out.println("  scheme:        " + (scheme == EncryptionScheme.ECIES_P256
                    ? "ECIES-P256 (key parameters: ephemeral key, salt, 288 zero bytes)"
                    : "RSA-3072 (key parameters: a 384-byte PKCS#1 v1.5 wrapped AES-256 key)"));
            if (scheme == EncryptionScheme.ECIES_P256) {
                out.println("  ephemeral key: X " + HEX.formatHex(header.ephemeralPublicKey(), 0, 32));
                out.println("                 Y " + HEX.formatHex(header.ephemeralPublicKey(), 32, 64));
                out.println("  HKDF salt:     " + HEX.formatHex(header.kdfSalt()));
            } else {
                out.println("  wrapped key:   " + HEX.formatHex(header.wrappedKey(), 0, 16) + "... (384 bytes)");
            }
            out.println("  GCM IV:        " + HEX.formatHex(header.iv()));
            out.println("  plaintext:     " + header.plaintextSize() + " bytes");
            out.println("  GCM tag:       " + HEX.formatHex(header.tag()));
            out.println("  length:        " + sizeVerdict);
            out.println("ENCRYPTED: the image inside is checked only after 'firmware decrypt --key PRIV.pem'");
        }
        out.flush();
        if (ciphertext != header.plaintextSize()) {
            throw new CheckFailedException(file + ": the ciphertext length does not match the header: " + sizeVerdict);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
