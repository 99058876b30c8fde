package org.secureota.workbench.firmware;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The 512-byte header of an {@code esp_encrypted_img} file (component 2.7.x; layout in
 * {@code docs/encrypted-image.md}). Both schemes share it; only the 384-byte key-parameter block
 * differs: an RSA-3072 wrapped AES key, or the sender's ephemeral P-256 key (X‖Y, 64 bytes), a
 * 32-byte HKDF salt and 288 zero bytes.
 *
 * <p>Espressif's decoder ignores the reserved bytes. This reader requires them to be zero, which
 * every file {@code esp_enc_img_gen.py} writes satisfies: the header is not covered by the GCM tag,
 * so a flipped reserved bit would otherwise pass unnoticed.
 */
public record EncryptedImageHeader(byte[] keyParameters, byte[] iv, long plaintextSize, byte[] tag) {

    public static final int SIZE = 512;
    /** {@code 0x0788b6cf} little-endian: the first 4 bytes of SHA-256("esp_encrypted_img"), as the component writes them. */
    public static final byte[] MAGIC = {(byte) 0xcf, (byte) 0xb6, (byte) 0x88, (byte) 0x07};
    public static final int KEY_PARAMETERS_OFFSET = 4;
    public static final int KEY_PARAMETERS_SIZE = 384;
    public static final int EPHEMERAL_KEY_SIZE = 64;
    public static final int SALT_OFFSET = KEY_PARAMETERS_OFFSET + EPHEMERAL_KEY_SIZE;  // 68
    public static final int SALT_SIZE = 32;
    public static final int IV_OFFSET = 388;
    public static final int IV_SIZE = 16;
    public static final int SIZE_OFFSET = 404;
    public static final int TAG_OFFSET = 408;
    public static final int TAG_SIZE = 16;
    public static final int RESERVED_OFFSET = 424;
    public static final int RESERVED_SIZE = SIZE - RESERVED_OFFSET;  // 88

    public EncryptedImageHeader {
        if (keyParameters.length != KEY_PARAMETERS_SIZE || iv.length != IV_SIZE || tag.length != TAG_SIZE) {
            throw new IllegalArgumentException("key parameters, IV and tag are 384, 16 and 16 bytes");
        }
        if (plaintextSize < 0 || plaintextSize > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("the size is a u32");
        }
        keyParameters = keyParameters.clone();
        iv = iv.clone();
        tag = tag.clone();
    }

    /** True when {@code file} starts with the magic (it may still be damaged). */
    public static boolean hasMagic(byte[] file) {
        return file.length >= MAGIC.length && Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Reads the header at the start of {@code file} and checks what can be checked without a key:
     * magic, length, zero reserved bytes, a non-zero size.
     */
    public static EncryptedImageHeader parse(byte[] file) throws DecryptionException {
        if (!hasMagic(file)) {
            throw new DecryptionException(DecryptionRefusal.NOT_ENCRYPTED, file.length < MAGIC.length
                    ? "the file is " + file.length + " bytes, too short for the magic"
                    : "the file starts with " + HexFormat.ofDelimiter(" ").formatHex(file, 0, MAGIC.length)
                    + ", not the esp_encrypted_img magic cf b6 88 07");
        }
        if (file.length < SIZE) {
            throw new DecryptionException(DecryptionRefusal.TRUNCATED, "the file is " + file.length
                    + " bytes, shorter than the 512-byte header");
        }
        for (int i = RESERVED_OFFSET; i < SIZE; i++) {
            if (file[i] != 0) {
                throw new DecryptionException(DecryptionRefusal.HEADER_INVALID, String.format(
                        "reserved header byte at offset %d is 0x%02x; it must be 0", i, file[i] & 0xff));
            }
        }
        long size = ByteBuffer.wrap(file, SIZE_OFFSET, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
        if (size == 0) {
            throw new DecryptionException(DecryptionRefusal.HEADER_INVALID, "the header's plaintext size is 0");
        }
        return new EncryptedImageHeader(Arrays.copyOfRange(file, KEY_PARAMETERS_OFFSET, IV_OFFSET),
                Arrays.copyOfRange(file, IV_OFFSET, SIZE_OFFSET), size, Arrays.copyOfRange(file, TAG_OFFSET, RESERVED_OFFSET));
    }

    /** The 512 bytes, as the component lays them out. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put(keyParameters).put(iv).putInt((int) plaintextSize).put(tag);
        return b.array();  // the 88 reserved bytes stay 0
    }

    @Override
    public byte[] keyParameters() {
        return keyParameters.clone();
    }

    @Override
    public byte[] iv() {
        return iv.clone();
    }

    @Override
    public byte[] tag() {
        return tag.clone();
    }

    /** ECIES: the sender's ephemeral public key, X‖Y big-endian (the 0x04 prefix of SEC1 is not stored). */
    public byte[] ephemeralPublicKey() {
        return Arrays.copyOfRange(keyParameters, 0, EPHEMERAL_KEY_SIZE);
    }

    /** ECIES: the HKDF-SHA256 salt. */
    public byte[] kdfSalt() {
        return Arrays.copyOfRange(keyParameters, EPHEMERAL_KEY_SIZE, EPHEMERAL_KEY_SIZE + SALT_SIZE);
    }

    /** RSA-3072: the AES key, PKCS#1 v1.5-encrypted. */
    public byte[] wrappedKey() {
        return keyParameters();
    }

    /**
     * The scheme the header looks like, for {@code firmware inspect} only: an ECIES header has 288 zero
     * bytes after its salt, which an RSA ciphertext has with probability 2^-2304. A decryptor never
     * uses this; it takes the scheme from its key.
     */
    public EncryptionScheme apparentScheme() {
        for (int i = EPHEMERAL_KEY_SIZE + SALT_SIZE; i < KEY_PARAMETERS_SIZE; i++) {
            if (keyParameters[i] != 0) {
                return EncryptionScheme.RSA_3072;
            }
        }
        return EncryptionScheme.ECIES_P256;
    }

    /** The file size that goes with this header: 512 bytes plus as many ciphertext bytes as plaintext. */
    public long fileSize() {
        return SIZE + plaintextSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptedImageHeader h && plaintextSize == h.plaintextSize
                && Arrays.equals(keyParameters, h.keyParameters) && Arrays.equals(iv, h.iv) && Arrays.equals(tag, h.tag);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(keyParameters) * 31 + Long.hashCode(plaintextSize);
    }

    @Override
    public String toString() {
        return "EncryptedImageHeader[" + apparentScheme().id() + ", " + plaintextSize + " bytes]";
    }
}
