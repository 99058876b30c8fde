package org.secureota.workbench.firmware;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a format-2 manifest says about the encrypted file it serves (see {@code docs/manifest.md}): the
 * scheme, which product key it was made for, and the served file's exact size and SHA-256. The
 * manifest's own {@code size} and {@code sha256} stay those of the plaintext image, which the device
 * checks before it activates anything.
 *
 * @param scheme  {@code encryption}: {@code ecies-p256} or {@code rsa-3072}
 * @param keyId   {@code encryption_key_id}: the first 16 hex digits of SHA-256 of the product key's SubjectPublicKeyInfo
 * @param size    {@code encrypted_size}: bytes served, 512 + the plaintext size
 * @param sha256  {@code encrypted_sha256}: lowercase hex SHA-256 of the served file
 */
public record ManifestEncryption(EncryptionScheme scheme, String keyId, long size, String sha256) {

    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public ManifestEncryption {
        Objects.requireNonNull(scheme, "encryption");
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("'encryption_key_id' is not 16 lowercase hex digits");
        }
        if (size <= EncryptedImageHeader.SIZE || size > AppImage.MAX_SIZE + EncryptedImageHeader.SIZE) {
            throw new IllegalArgumentException("'encrypted_size' is " + size + ", outside 513..16 MiB + 512");
        }
        if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("'encrypted_sha256' is not 64 lowercase hex digits");
        }
    }
}
