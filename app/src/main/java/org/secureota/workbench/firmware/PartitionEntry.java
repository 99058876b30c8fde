package org.secureota.workbench.firmware;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One 32-byte entry of an ESP-IDF partition table ({@code esp_partition_info_t},
 * {@code struct '<2sBBLL16sL'}): magic {@code AA 50}, type, subtype, offset, size, label (16 bytes,
 * NUL padded), flags.
 *
 * @param label   up to 16 ASCII characters
 * @param type    0x00 app, 0x01 data, 0x40..0xFE custom
 * @param subtype see {@link PartitionTypes}
 * @param offset  flash offset in bytes
 * @param size    size in bytes
 * @param flags   bit 0 encrypted, bit 1 readonly
 */
public record PartitionEntry(String label, int type, int subtype, long offset, long size, int flags) {

    public static final int SIZE = 32;
    public static final int MAGIC = 0x50AA;
    public static final int LABEL_SIZE = 16;
    public static final int FLAG_ENCRYPTED = 0x1;
    public static final int FLAG_READONLY = 0x2;

    public PartitionEntry {
        Objects.requireNonNull(label, "label");
        if (label.getBytes(StandardCharsets.US_ASCII).length > LABEL_SIZE || !label.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("partition label '" + label + "' must be at most 16 printable ASCII characters");
        }
        if (type < 0 || type > 0xFF || subtype < 0 || subtype > 0xFF) {
            throw new IllegalArgumentException("partition type and subtype are bytes, got " + type + "/" + subtype);
        }
        if (offset < 0 || offset > 0xFFFF_FFFFL || size < 0 || size > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("partition offset and size are u32, got " + offset + "/" + size);
        }
    }

    public static PartitionEntry app(String label, int subtype, long offset, long size) {
        return new PartitionEntry(label, PartitionTypes.APP, subtype, offset, size, 0);
    }

    public static PartitionEntry data(String label, int subtype, long offset, long size) {
        return new PartitionEntry(label, PartitionTypes.DATA, subtype, offset, size, 0);
    }

    /** Reads the entry at {@code at}; the caller has checked the magic. Label bytes after the first NUL are ignored, as ESP-IDF does. */
    static PartitionEntry read(byte[] bytes, int at) {
        ByteBuffer b = ByteBuffer.wrap(bytes, at, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.getShort();
        int type = Byte.toUnsignedInt(b.get());
        int subtype = Byte.toUnsignedInt(b.get());
        long offset = Integer.toUnsignedLong(b.getInt());
        long size = Integer.toUnsignedLong(b.getInt());
        int end = at + 12;
        while (end < at + 12 + LABEL_SIZE && bytes[end] != 0) {
            end++;
        }
        StringBuilder label = new StringBuilder();
        for (int i = at + 12; i < end; i++) {
            int c = bytes[i] & 0xFF;
            label.append(c >= 0x20 && c < 0x7F ? (char) c : '?');  // the table reader reports such labels
        }
        int flags = b.getInt(at + 28);
        return new PartitionEntry(label.toString(), type, subtype, offset, size, flags);
    }

    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) MAGIC).put((byte) type).put((byte) subtype).putInt((int) offset).putInt((int) size);
        b.put(label.getBytes(StandardCharsets.US_ASCII));
        b.position(28);
        b.putInt(flags);
        return b.array();
    }

    public long end() {
        return offset + size;
    }

    public boolean isApp() {
        return type == PartitionTypes.APP;
    }

    public boolean isFactory() {
        return isApp() && subtype == PartitionTypes.APP_FACTORY;
    }

    /** The OTA slot number for an {@code ota_N} app partition. */
    public OptionalInt otaSlot() {
        return isApp() && subtype >= PartitionTypes.APP_OTA_MIN && subtype <= PartitionTypes.APP_OTA_MAX
                ? OptionalInt.of(subtype - PartitionTypes.APP_OTA_MIN) : OptionalInt.empty();
    }

    public boolean isOtaData() {
        return type == PartitionTypes.DATA && subtype == PartitionTypes.DATA_OTA;
    }

    public boolean encrypted() {
        return (flags & FLAG_ENCRYPTED) != 0;
    }

    public boolean readonly() {
        return (flags & FLAG_READONLY) != 0;
    }

    public String typeName() {
        return PartitionTypes.typeName(type);
    }

    public String subtypeName() {
        return PartitionTypes.subtypeName(type, subtype);
    }

    @Override
    public String toString() {
        return String.format("%s %s/%s 0x%x+0x%x%s", label, typeName(), subtypeName(), offset, size,
                flags == 0 ? "" : " flags=0x" + Integer.toHexString(flags));
    }
}
