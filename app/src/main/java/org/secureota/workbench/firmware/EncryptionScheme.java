package org.secureota.workbench.firmware;

import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;

/**
 * The two key-wrapping schemes of Espressif's {@code esp_encrypted_img} (see
 * {@code docs/encrypted-image.md}). The file does not say which one it uses: the device knows from its
 * own key, and so does {@code esp_enc_img_gen.py}, which looks at the key file it is given.
 */
public enum EncryptionScheme {
    /** ECDH P-256 with an ephemeral sender key, HKDF-SHA256, AES-256-GCM. The default: the lab is P-256 throughout. */
    ECIES_P256("ecies-p256"),
    /** A random AES-256-GCM key wrapped with RSA-3072 PKCS#1 v1.5. */
    RSA_3072("rsa-3072");

    private final String id;

    EncryptionScheme(String id) {
        this.id = id;
    }

    /** The name used in manifests and on the command line. */
    public String id() {
        return id;
    }

    public static EncryptionScheme fromId(String id) {
        for (EncryptionScheme s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown encryption scheme '" + id + "'; known: ecies-p256, rsa-3072");
    }

    /**
     * The scheme a public or private key belongs to, as {@code esp_enc_img_gen.py} decides it.
     *
     * @throws IllegalArgumentException for a key that fits neither (P-384, RSA-2048, Ed25519, ...)
     */
    public static EncryptionScheme of(Key key) {
        if (key instanceof ECKey ec && ec.getParams().getOrder().equals(ManifestKeys.P256_ORDER)) {
            return ECIES_P256;
        }
        if (key instanceof RSAKey rsa && rsa.getModulus().bitLength() == 3072) {
            return RSA_3072;
        }
        throw new IllegalArgumentException("an encrypted image needs a P-256 (ECIES) or RSA-3072 key, got "
                + (key == null ? "none" : key.getAlgorithm() + (key instanceof RSAKey r
                ? "-" + r.getModulus().bitLength() : key instanceof ECKey e
                ? " on a " + e.getParams().getOrder().bitLength() + "-bit curve" : ""))
                + ". Make one with './workbench pki init' (or --rsa for RSA-3072).");
    }
}
