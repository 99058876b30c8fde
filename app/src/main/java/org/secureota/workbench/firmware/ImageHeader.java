package org.secureota.workbench.firmware;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * The 24-byte header that starts every ESP32 app image ({@code esp_image_header_t}), little-endian.
 *
 * <pre>
 *  @0  magic 0xE9           @1  segment_count        @2  spi_mode        @3  spi_speed (low nibble) | spi_size (high nibble)
 *  @4  entry_addr u32       @8  wp_pin (0xEE)        @9  spi_pin_drv[3]  @12 chip_id u16
 *  @14 min_chip_rev u8      @15 min_chip_rev_full u16                    @17 max_chip_rev_full u16
 *  @19 reserved[4]          @23 hash_appended
 * </pre>
 *
 * The record keeps every byte as read (reserved bytes included), so writing a parsed header gives
 * back the same 24 bytes.
 */
public record ImageHeader(int magic, int segmentCount, int spiMode, int spiSpeedSize, long entryAddress,
                          int wpPin, int spiPinDrv0, int spiPinDrv1, int spiPinDrv2, int chipId,
                          int minChipRev, int minChipRevFull, int maxChipRevFull, long reserved,
                          int hashAppended) {

    public static final int SIZE = 24;
    public static final int MAGIC = 0xE9;
    /** ESP-IDF's {@code ESP_IMAGE_MAX_SEGMENTS}. */
    public static final int MAX_SEGMENTS = 16;
    /** {@code wp_pin} value meaning "write-protect pin not used", what every ESP-IDF build writes. */
    public static final int WP_PIN_DISABLED = 0xEE;

    public static final int OFFSET_SEGMENT_COUNT = 1;
    public static final int OFFSET_ENTRY_ADDR = 4;
    public static final int OFFSET_CHIP_ID = 12;
    public static final int OFFSET_HASH_APPENDED = 23;

    /** The header ESP-IDF writes for a 4 MB DIO flash at 40 MHz, with an appended SHA-256 and no maximum chip revision. */
    public static ImageHeader standard(ChipId chip, int segmentCount, long entryAddress) {
        return new ImageHeader(MAGIC, segmentCount, 2, 0x20, entryAddress, WP_PIN_DISABLED, 0, 0, 0,
                chip.id(), 0, 0, 0xFFFF, 0, 1);
    }

    /** Reads 24 bytes at {@code offset}; the caller has checked that they exist. */
    public static ImageHeader read(byte[] bytes, int offset) {
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int magic = Byte.toUnsignedInt(b.get());
        int count = Byte.toUnsignedInt(b.get());
        int spiMode = Byte.toUnsignedInt(b.get());
        int speedSize = Byte.toUnsignedInt(b.get());
        long entry = Integer.toUnsignedLong(b.getInt());
        int wp = Byte.toUnsignedInt(b.get());
        int d0 = Byte.toUnsignedInt(b.get());
        int d1 = Byte.toUnsignedInt(b.get());
        int d2 = Byte.toUnsignedInt(b.get());
        int chip = Short.toUnsignedInt(b.getShort());
        int minRev = Byte.toUnsignedInt(b.get());
        int minRevFull = Short.toUnsignedInt(b.getShort());
        int maxRevFull = Short.toUnsignedInt(b.getShort());
        long reserved = Integer.toUnsignedLong(b.getInt());
        int hashAppended = Byte.toUnsignedInt(b.get());
        return new ImageHeader(magic, count, spiMode, speedSize, entry, wp, d0, d1, d2, chip, minRev,
                minRevFull, maxRevFull, reserved, hashAppended);
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) magic).put((byte) segmentCount).put((byte) spiMode).put((byte) spiSpeedSize);
        b.putInt((int) entryAddress);
        b.put((byte) wpPin).put((byte) spiPinDrv0).put((byte) spiPinDrv1).put((byte) spiPinDrv2);
        b.putShort((short) chipId);
        b.put((byte) minChipRev);
        b.putShort((short) minChipRevFull).putShort((short) maxChipRevFull);
        b.putInt((int) reserved);
        b.put((byte) hashAppended);
        return b.array();
    }

    /** The same header with another segment count (the writer sets it from the segments it writes). */
    public ImageHeader withSegmentCount(int count) {
        return new ImageHeader(magic, count, spiMode, spiSpeedSize, entryAddress, wpPin, spiPinDrv0, spiPinDrv1,
                spiPinDrv2, chipId, minChipRev, minChipRevFull, maxChipRevFull, reserved, hashAppended);
    }

    public Optional<ChipId> chip() {
        return ChipId.fromId(chipId);
    }

    /** "ESP32-S3 (0x0009)", or "unknown (0x1234)". */
    public String chipName() {
        return chip().map(ChipId::displayName).orElse("unknown") + String.format(" (0x%04x)", chipId);
    }

    public boolean hashIsAppended() {
        return hashAppended == 1;
    }

    /** Flash size coded in the high nibble of byte 3, as esptool names it. */
    public String flashSizeName() {
        String[] names = {"1MB", "2MB", "4MB", "8MB", "16MB", "32MB", "64MB", "128MB"};
        int code = spiSpeedSize >>> 4;
        return code < names.length ? names[code] : "unknown (" + code + ")";
    }

    /** SPI mode as esptool names it (byte 2). */
    public String spiModeName() {
        String[] names = {"QIO", "QOUT", "DIO", "DOUT", "FAST_READ", "SLOW_READ"};
        return spiMode < names.length ? names[spiMode] : "unknown (" + spiMode + ")";
    }
}
