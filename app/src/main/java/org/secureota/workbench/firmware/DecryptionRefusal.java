package org.secureota.workbench.firmware;

/**
 * Why an encrypted image was not decrypted: stable codes, the same names the device reports (as
 * {@code DECRYPT_*} verdicts, see {@code docs/telemetry.md}). Each comes with a one-sentence reason.
 */
public enum DecryptionRefusal {
    /** The file does not start with the magic {@code cf b6 88 07}: not an esp_encrypted_img file. */
    NOT_ENCRYPTED,
    /** A header field that no valid file has: non-zero reserved bytes, an ephemeral key off the curve, a size of 0. */
    HEADER_INVALID,
    /** The file was made for another key (the manifest names another key id, or RSA cannot unwrap the AES key). */
    WRONG_KEY,
    /** AES-GCM's tag does not match: ciphertext, IV, salt, ephemeral key or tag was altered (or, without a key id, another key). */
    BAD_TAG,
    /** The file ends before its header or before the plaintext size the header announces. */
    TRUNCATED,
    /** Bytes after the ciphertext, or sizes that disagree with the signed manifest. */
    SIZE_MISMATCH,
    /** The decrypted image's or the encrypted file's SHA-256 differs from the signed manifest. */
    HASH_MISMATCH
}
