package org.secureota.workbench.firmware;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.HexFormat;

/**
 * A product's firmware-decryption key pair: the public half encrypts releases on the workbench, the
 * private half lives only in the factory data of that product's devices.
 */
public final class DecryptionKeys {

    private DecryptionKeys() {
    }

    /** A new key pair: P-256 for ECIES (the default), or RSA-3072 with e = 65537 as Espressif's tool makes. */
    public static KeyPair generate(EncryptionScheme scheme, SecureRandom random) {
        try {
            KeyPairGenerator g;
            if (scheme == EncryptionScheme.ECIES_P256) {
                g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"), random);
            } else {
                g = KeyPairGenerator.getInstance("RSA");
                g.initialize(new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4), random);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK 17 generates P-256 and RSA-3072 keys", e);
        }
    }

    /**
     * The key id a manifest names: the first 16 hex digits of SHA-256 over the SubjectPublicKeyInfo DER,
     * the same rule as the manifest's {@code kid} ({@code openssl pkey -pubin -outform DER | sha256sum}).
     */
    public static String keyId(PublicKey key) {
        EncryptionScheme.of(key);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    /** The public half of a decryption private key (PKCS#8 files carry no public part the JDK keeps). */
    public static PublicKey publicKeyOf(PrivateKey key) {
        if (EncryptionScheme.of(key) == EncryptionScheme.ECIES_P256) {
            return ManifestKeys.publicKeyOf(key);
        }
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new IllegalArgumentException("an RSA private key without its CRT parameters has no known public"
                    + " exponent; write it as PKCS#8 or 'RSA PRIVATE KEY' PEM");
        }
        try {
            BigInteger e = crt.getPublicExponent();
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), e));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot derive the RSA public key: " + e.getMessage(), e);
        }
    }
}
