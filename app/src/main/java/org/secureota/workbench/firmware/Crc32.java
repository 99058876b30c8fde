package org.secureota.workbench.firmware;

/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) with zlib's and the ESP32 ROM's
 * {@code crc32_le(crc, buf, len)} convention: the running value is complemented on entry and on exit.
 *
 * <p>Why not {@link java.util.zip.CRC32}: it always starts from 0 (zlib's {@code crc32(0, ...)}),
 * while otadata uses {@code esp_rom_crc32_le(UINT32_MAX, ...)}, i.e. {@code zlib.crc32(data, 0xFFFFFFFF)},
 * a different starting value that the JDK class cannot take.
 */
final class Crc32 {

    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    private Crc32() {
    }

    /** {@code zlib.crc32(data, initial)}, as an unsigned 32-bit value. */
    static long zlib(long initial, byte[] data) {
        int c = ~(int) initial;
        for (byte b : data) {
            c = TABLE[(c ^ b) & 0xFF] ^ (c >>> 8);
        }
        return Integer.toUnsignedLong(~c);
    }
}
