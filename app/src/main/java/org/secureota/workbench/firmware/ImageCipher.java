package org.secureota.workbench.firmware;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.math.ec.ECCurve;

/**
 * Encrypts and decrypts whole images in Espressif's {@code esp_encrypted_img} format, byte-compatible
 * with {@code esp_enc_img_gen.py} (see {@code docs/encrypted-image.md}). The scheme comes from the key:
 * P-256 is ECIES, RSA-3072 is RSA, exactly as the tool decides.
 *
 * <p>Encryption gives confidentiality only. Whoever holds the public key (the workbench, and anyone it
 * was shown to) can make a valid file, so a decrypted image is trusted because the signed manifest
 * names its SHA-256, never because it decrypted.
 */
public final class ImageCipher {

    /** The component's HKDF {@code info}: these 16 ASCII bytes, no terminator. */
    static final byte[] HKDF_INFO = "_esp_enc_img_ecc".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int AES_KEY_SIZE = 32;
    private static final int TAG_BITS = 128;

    private ImageCipher() {
    }

    /** {@code plaintext} encrypted for the holder of {@code recipient}'s private key: 512-byte header, then ciphertext. */
    public static byte[] encrypt(byte[] plaintext, PublicKey recipient, SecureRandom random) {
        if (plaintext.length == 0) {
            throw new IllegalArgumentException("an empty image cannot be encrypted (the header's size would be 0)");
        }
        EncryptionScheme scheme = EncryptionScheme.of(recipient);
        byte[] keyParameters = new byte[EncryptedImageHeader.KEY_PARAMETERS_SIZE];
        byte[] aesKey;
        try {
            if (scheme == EncryptionScheme.ECIES_P256) {
                KeyPair ephemeral = DecryptionKeys.generate(EncryptionScheme.ECIES_P256, random);
                byte[] salt = new byte[EncryptedImageHeader.SALT_SIZE];
                random.nextBytes(salt);
                aesKey = hkdf(ecdh(ephemeral.getPrivate(), recipient), salt);
                ECPoint w = ((ECPublicKey) ephemeral.getPublic()).getW();
                System.arraycopy(unsigned32(w.getAffineX()), 0, keyParameters, 0, 32);
                System.arraycopy(unsigned32(w.getAffineY()), 0, keyParameters, 32, 32);
                System.arraycopy(salt, 0, keyParameters, EncryptedImageHeader.EPHEMERAL_KEY_SIZE, salt.length);
            } else {
                aesKey = new byte[AES_KEY_SIZE];
                random.nextBytes(aesKey);
                Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
                rsa.init(Cipher.ENCRYPT_MODE, recipient, random);
                byte[] wrapped = rsa.doFinal(aesKey);
                System.arraycopy(wrapped, 0, keyParameters, 0, wrapped.length);
            }
            byte[] iv = new byte[EncryptedImageHeader.IV_SIZE];
            random.nextBytes(iv);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = gcm.doFinal(plaintext);  // ciphertext || tag
            Arrays.fill(aesKey, (byte) 0);
            byte[] tag = Arrays.copyOfRange(sealed, plaintext.length, sealed.length);
            byte[] header = new EncryptedImageHeader(keyParameters, iv, plaintext.length, tag).toBytes();
            byte[] out = new byte[header.length + plaintext.length];
            System.arraycopy(header, 0, out, 0, header.length);
            System.arraycopy(sealed, 0, out, header.length, plaintext.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM, ECDH and RSA are in every JDK 17: " + e.getMessage(), e);
        }
    }

    /** Decrypts without knowing which key the file was made for: see {@link #decrypt(byte[], PrivateKey, String)}. */
    public static byte[] decrypt(byte[] file, PrivateKey key) throws DecryptionException {
        return decrypt(file, key, null);
    }

    /**
     * Decrypts and authenticates a whole file.
     *
     * @param expectedKeyId the key id the signed manifest names, or null. With it, a file made for
     *                      another key is {@link DecryptionRefusal#WRONG_KEY} before any decryption; without
     *                      it, ECIES cannot tell another key from tampering (both fail the tag).
     * @throws DecryptionException naming the first rule the file breaks
     */
    public static byte[] decrypt(byte[] file, PrivateKey key, String expectedKeyId) throws DecryptionException {
        EncryptionScheme scheme = EncryptionScheme.of(key);
        EncryptedImageHeader header = EncryptedImageHeader.parse(file);
        if (expectedKeyId != null) {
            String own = DecryptionKeys.keyId(DecryptionKeys.publicKeyOf(key));
            if (!own.equals(expectedKeyId)) {
                throw new DecryptionException(DecryptionRefusal.WRONG_KEY, "the release was encrypted for key "
                        + expectedKeyId + ", this key is " + own);
            }
        }
        if (file.length < header.fileSize()) {
            throw new DecryptionException(DecryptionRefusal.TRUNCATED, "the header announces " + header.plaintextSize()
                    + " bytes of ciphertext after the 512-byte header; the file has " + (file.length - EncryptedImageHeader.SIZE));
        }
        if (file.length > header.fileSize()) {
            throw new DecryptionException(DecryptionRefusal.SIZE_MISMATCH, (file.length - header.fileSize())
                    + " extra bytes after the " + header.plaintextSize() + " bytes of ciphertext the header announces");
        }
        byte[] aesKey = scheme == EncryptionScheme.ECIES_P256 ? eciesKey(header, key)
                : rsaKey(header, key, expectedKeyId != null);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(TAG_BITS, header.iv()));
            gcm.update(file, EncryptedImageHeader.SIZE, (int) header.plaintextSize());
            return gcm.doFinal(header.tag());
        } catch (AEADBadTagException e) {
            throw new DecryptionException(DecryptionRefusal.BAD_TAG, "the AES-GCM tag does not match: the ciphertext,"
                    + " IV, tag or key parameters were altered" + (expectedKeyId == null && scheme == EncryptionScheme.ECIES_P256
                    ? ", or the file was encrypted for another key (a manifest's key id tells which)" : ""));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is in every JDK 17: " + e.getMessage(), e);
        } finally {
            Arrays.fill(aesKey, (byte) 0);
        }
    }

    private static byte[] eciesKey(EncryptedImageHeader header, PrivateKey key)
            throws DecryptionException {
        byte[] parameters = header.keyParameters();
        for (int i = EncryptedImageHeader.EPHEMERAL_KEY_SIZE + EncryptedImageHeader.SALT_SIZE; i < parameters.length; i++) {
            if (parameters[i] != 0) {  // unused by ECIES and not under the tag: a flipped bit must not pass
                throw new DecryptionException(DecryptionRefusal.HEADER_INVALID, String.format(
                        "reserved key-parameter byte at offset %d is 0x%02x; it must be 0 in an ECIES header",
                        EncryptedImageHeader.KEY_PARAMETERS_OFFSET + i, parameters[i] & 0xff));
            }
        }
        byte[] xy = header.ephemeralPublicKey();
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(xy, 0, 32));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(xy, 32, 64));
        // The JDK would run ECDH on a point off the curve: an invalid-curve attack leaks the private key.
        ECCurve curve = NISTNamedCurves.getByName("P-256").getCurve();
        try {
            curve.validatePoint(x, y);
        } catch (IllegalArgumentException e) {
            throw new DecryptionException(DecryptionRefusal.HEADER_INVALID,
                    "the ephemeral public key (header bytes 4-67) is not a point on P-256");
        }
        try {
            PublicKey ephemeral = KeyFactory.getInstance("EC").generatePublic(
                    new ECPublicKeySpec(new ECPoint(x, y), ((ECPrivateKey) key).getParams()));
            return hkdf(ecdh(key, ephemeral), header.kdfSalt());
        } catch (GeneralSecurityException e) {
            throw new DecryptionException(DecryptionRefusal.HEADER_INVALID, "ECDH with the ephemeral public key failed: "
                    + e.getMessage());
        }
    }

    private static byte[] rsaKey(EncryptedImageHeader header, PrivateKey key, boolean keyKnownRight)
            throws DecryptionException {
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
            rsa.init(Cipher.DECRYPT_MODE, key);
            byte[] aesKey = rsa.doFinal(header.wrappedKey());
            if (aesKey.length == AES_KEY_SIZE) {
                return aesKey;
            }
            Arrays.fill(aesKey, (byte) 0);
        } catch (BadPaddingException | InvalidKeyException e) {
            // Falls through: the same answer whatever went wrong inside the padding (see the doc on PKCS#1 v1.5).
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA PKCS#1 v1.5 is in every JDK 17: " + e.getMessage(), e);
        }
        throw keyKnownRight
                ? new DecryptionException(DecryptionRefusal.HEADER_INVALID,
                        "the wrapped AES key (header bytes 4-387) does not unwrap with the right key: it was altered")
                : new DecryptionException(DecryptionRefusal.WRONG_KEY,
                        "the wrapped AES key (header bytes 4-387) does not unwrap with this RSA key: the file was"
                        + " encrypted for another key, or its wrapped key was altered");
    }

    private static byte[] ecdh(PrivateKey own, PublicKey peer) throws GeneralSecurityException {
        KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
        agreement.init(own);
        agreement.doPhase(peer, true);
        return agreement.generateSecret();  // the shared point's X, 32 bytes big-endian, as mbedTLS writes it
    }

    private static byte[] hkdf(byte[] sharedSecret, byte[] salt) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(sharedSecret, salt, HKDF_INFO));
        byte[] key = new byte[AES_KEY_SIZE];
        hkdf.generateBytes(key, 0, key.length);
        Arrays.fill(sharedSecret, (byte) 0);
        return key;
    }

    private static byte[] unsigned32(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return out;
    }
}
