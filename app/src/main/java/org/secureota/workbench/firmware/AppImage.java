package org.secureota.workbench.firmware;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An ESP32 app image (the {@code .bin} that OTA writes into a slot), read and checked the way the
 * ESP-IDF bootloader and {@code esptool image_info} read it:
 *
 * <pre>
 *  header (24 bytes) | segment* (8-byte header + data) | zero padding | checksum byte | [SHA-256, 32 bytes]
 * </pre>
 *
 * The padding makes {@code (offset of checksum + 1) % 16 == 0}; the checksum is {@code 0xEF} XOR every
 * byte of segment data (segment headers excluded); when {@code hash_appended == 1} the SHA-256 covers
 * every byte from offset 0 through the checksum. {@code esp_app_desc_t} starts segment 0's data.
 *
 * <p>{@link #parse} never throws on bad input: a truncated, random or hostile file gives an image
 * whose {@link #problems()} say what is wrong, at which offset and in which field. Every check runs,
 * so one read reports everything (a changed byte typically shows as both a checksum and a hash problem).
 */
public final class AppImage {

    /** The largest ESP32 flash is 16 MiB; no app image can be larger, so nothing larger is read into memory. */
    public static final int MAX_SIZE = 16 * 1024 * 1024;
    public static final int CHECKSUM_SEED = 0xEF;
    public static final int HASH_SIZE = 32;
    /** Secure Boot V2 puts its signature sector on the next 4 KiB boundary after the image. */
    public static final int SIGNATURE_SECTOR_SIZE = 0x1000;
    static final int SIGNATURE_BLOCK_MAGIC = 0xE7;

    private final byte[] bytes;
    private final ImageHeader header;
    private final List<ImageSegment> segments;
    private final AppDescriptor descriptor;
    private final int storedChecksum;
    private final int computedChecksum;
    private final byte[] storedHash;
    private final byte[] computedHash;
    private final long imageLength;
    private final long signatureSectorOffset;
    private final String sha256;
    private final List<ImageProblem> problems;

    private AppImage(Reader r) {
        this.bytes = r.bytes;
        this.header = r.header;
        this.segments = List.copyOf(r.segments);
        this.descriptor = r.descriptor;
        this.storedChecksum = r.storedChecksum;
        this.computedChecksum = r.computedChecksum;
        this.storedHash = r.storedHash;
        this.computedHash = r.computedHash;
        this.imageLength = r.imageLength;
        this.signatureSectorOffset = r.signatureSectorOffset;
        this.sha256 = HexFormat.of().formatHex(sha256(bytes, 0, bytes.length));
        List<ImageProblem> sorted = new ArrayList<>(r.problems);
        sorted.sort(Comparator.comparingLong(ImageProblem::offset));
        this.problems = List.copyOf(sorted);
    }

    /** Reads a whole image file: every byte must belong to the image (or to a Secure Boot V2 signature sector). */
    public static AppImage parse(byte[] file) {
        return new AppImage(new Reader(file.clone(), false).read());
    }

    /**
     * Reads the image at the start of a flash partition. What follows the image end is ignored, as
     * the bootloader ignores it: a slot keeps old bytes after a smaller new image. {@link #bytes()}
     * and {@link #sha256()} then cover the image only.
     */
    public static AppImage parseInPartition(byte[] partition) {
        Reader r = new Reader(partition, true).read();
        long end = r.imageLength > 0 ? r.imageLength : Math.min(partition.length, ImageHeader.SIZE);
        r.bytes = Arrays.copyOf(partition, (int) end);
        return new AppImage(r);
    }

    /** Reads a file; a file too large to be an app image is refused before it is read. */
    public static AppImage read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_SIZE) {
            throw new FirmwareFormatException(file + " is " + size + " bytes, larger than the largest ESP32 flash"
                    + " (16 MiB), so it cannot be an app image.");
        }
        return parse(Files.readAllBytes(file));
    }

    /**
     * Writes an image: the header (its segment count set from {@code segments}), the segments, the
     * padding, the checksum and, when {@code header.hashAppended() == 1}, the SHA-256. Reading the
     * result and writing its header and segments again gives the same bytes.
     */
    public static byte[] encode(ImageHeader header, List<ImageSegment> segments) {
        if (segments.size() > ImageHeader.MAX_SEGMENTS) {
            throw new IllegalArgumentException("an image holds at most 16 segments, got " + segments.size());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.withSegmentCount(segments.size()).toBytes());
        int checksum = CHECKSUM_SEED;
        ByteBuffer segmentHeader = ByteBuffer.allocate(ImageSegment.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (ImageSegment s : segments) {
            if (s.length() % 4 != 0) {
                throw new IllegalArgumentException(String.format(
                        "segment at 0x%08x is %d bytes; segment lengths must be multiples of 4", s.loadAddress(), s.length()));
            }
            segmentHeader.clear();
            segmentHeader.putInt((int) s.loadAddress()).putInt(s.length());
            out.writeBytes(segmentHeader.array());
            out.writeBytes(s.dataUnsafe());
            for (byte b : s.dataUnsafe()) {
                checksum ^= b & 0xFF;
            }
        }
        out.writeBytes(new byte[paddingBeforeChecksum(out.size())]);
        out.write(checksum);
        if (header.hashAppended() == 1) {
            byte[] soFar = out.toByteArray();
            out.writeBytes(sha256(soFar, 0, soFar.length));
        }
        return out.toByteArray();
    }

    /**
     * The same image under another {@code esp_app_desc_t.project_name} (the product it is built for), its
     * checksum and appended SHA-256 computed again: the same firmware built for another product.
     */
    public static byte[] withProjectName(byte[] image, String projectName) {
        AppImage parsed = parse(image);
        if (!parsed.valid() || parsed.header().isEmpty() || parsed.segments().isEmpty()) {
            throw new IllegalArgumentException("not a valid app image: " + parsed.problems());
        }
        return withDescriptorText(parsed, AppDescriptor.OFFSET_PROJECT_NAME, 32, "project name", projectName);
    }

    /**
     * The same image with another {@code esp_app_desc_t.idf_ver} (32 bytes, read by no check), its checksum and appended SHA-256
     * computed again, as esptool would write it: an image altered after its manifest was signed and sealed
     * again, which only the signed hash tells from the genuine one.
     */
    public static byte[] withIdfVersion(byte[] image, String idfVersion) {
        AppImage parsed = parse(image);
        if (!parsed.valid() || parsed.header().isEmpty() || parsed.segments().isEmpty()) {
            throw new IllegalArgumentException("not a valid app image: " + parsed.problems());
        }
        return withDescriptorText(parsed, AppDescriptor.OFFSET_IDF_VER, 32, "idf_ver", idfVersion);
    }

    private static byte[] withDescriptorText(AppImage parsed, int offset, int size, String field, String text) {
        byte[] value = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (value.length >= size) {
            throw new IllegalArgumentException(field + " '" + text + "' is longer than " + (size - 1) + " characters");
        }
        List<ImageSegment> segments = new java.util.ArrayList<>(parsed.segments());
        ImageSegment first = segments.get(0);
        byte[] data = first.data();
        java.util.Arrays.fill(data, offset, offset + size, (byte) 0);
        System.arraycopy(value, 0, data, offset, value.length);
        segments.set(0, ImageSegment.of(first.loadAddress(), data));
        return encode(parsed.header().get(), segments);
    }

    /** Zero bytes between the last segment ending at {@code position} and the checksum byte (esptool's 16-byte alignment). */
    static int paddingBeforeChecksum(long position) {
        return (int) (15 - (position % 16));
    }

    static byte[] sha256(byte[] data, int from, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, from, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }

    /** The bytes that were read (for {@link #parseInPartition}, the image only). */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    /** Lowercase hex SHA-256 of {@link #bytes()}: what a manifest's {@code sha256} names. */
    public String sha256() {
        return sha256;
    }

    /** Empty only when the input is shorter than a header. */
    public Optional<ImageHeader> header() {
        return Optional.ofNullable(header);
    }

    public Optional<ChipId> chip() {
        return header().flatMap(ImageHeader::chip);
    }

    /** The segments that could be read completely, in file order. */
    public List<ImageSegment> segments() {
        return segments;
    }

    public Optional<AppDescriptor> descriptor() {
        return Optional.ofNullable(descriptor);
    }

    /** The image's version from {@code esp_app_desc_t}, if readable. */
    public Optional<String> version() {
        return descriptor().map(AppDescriptor::version);
    }

    /** The checksum byte as stored, or -1 when the image ends before it. */
    public int storedChecksum() {
        return storedChecksum;
    }

    /** 0xEF XOR every segment data byte that could be read. */
    public int computedChecksum() {
        return computedChecksum;
    }

    public boolean checksumOk() {
        return storedChecksum >= 0 && storedChecksum == computedChecksum;
    }

    public boolean hashAppended() {
        return header != null && header.hashAppended() == 1;
    }

    /** True when a SHA-256 is appended and matches; false when absent, truncated or wrong. */
    public boolean hashOk() {
        return storedHash != null && MessageDigest.isEqual(storedHash, computedHash);
    }

    public Optional<String> storedHashHex() {
        return Optional.ofNullable(storedHash).map(HexFormat.of()::formatHex);
    }

    public Optional<String> computedHashHex() {
        return Optional.ofNullable(computedHash).map(HexFormat.of()::formatHex);
    }

    /** Where the image ends (after the checksum or the appended hash), or 0 when the structure could not be followed that far. */
    public long imageLength() {
        return imageLength;
    }

    /** File offset of a Secure Boot V2 signature sector after the image (recognized, not verified). */
    public OptionalLong signatureSectorOffset() {
        return signatureSectorOffset < 0 ? OptionalLong.empty() : OptionalLong.of(signatureSectorOffset);
    }

    /** Every problem found, by file offset; empty for a valid image. */
    public List<ImageProblem> problems() {
        return problems;
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** One line: what a person wants to know first. */
    public String summary() {
        return String.format("%s, %d segment(s), version %s, %s", header == null ? "no header" : header.chipName(),
                segments.size(), version().orElse("?"), valid() ? "valid" : problems.size() + " problem(s)");
    }

    /** The parser's working state; kept out of the public value. */
    private static final class Reader {
        byte[] bytes;
        final boolean inPartition;
        final List<ImageProblem> problems = new ArrayList<>();
        final List<ImageSegment> segments = new ArrayList<>();
        ImageHeader header;
        AppDescriptor descriptor;
        int storedChecksum = -1;
        int computedChecksum = CHECKSUM_SEED;
        byte[] storedHash;
        byte[] computedHash;
        long imageLength;
        long signatureSectorOffset = -1;

        Reader(byte[] bytes, boolean inPartition) {
            this.bytes = bytes;
            this.inPartition = inPartition;
        }

        private void problem(long offset, String field, String message) {
            problems.add(new ImageProblem(offset, field, message));
        }

        Reader read() {
            int length = bytes.length;
            if (length < ImageHeader.SIZE) {
                problem(0, "header", "the input is " + length + " bytes; an ESP32 app image starts with a 24-byte"
                        + " esp_image_header_t. The file is truncated or is not an app image.");
                return this;
            }
            header = ImageHeader.read(bytes, 0);
            checkHeader();
            long pos = readSegments();
            if (pos >= 0) {
                readTail(pos);
            }
            readDescriptor();
            return this;
        }

        private void checkHeader() {
            if (header.magic() != ImageHeader.MAGIC) {
                problem(0, "magic", String.format("is 0x%02x, expected 0xE9 (ESP_IMAGE_HEADER_MAGIC): this is not an"
                        + " ESP32 app image%s", header.magic(),
                        header.magic() == 0xFF ? " (0xFF is erased flash: the slot is empty)" : ""));
            }
            if (header.segmentCount() > ImageHeader.MAX_SEGMENTS) {
                problem(ImageHeader.OFFSET_SEGMENT_COUNT, "segment_count", "is " + header.segmentCount()
                        + "; the bootloader loads at most 16 segments (ESP_IMAGE_MAX_SEGMENTS) and refuses the image");
            } else if (header.segmentCount() == 0) {
                problem(ImageHeader.OFFSET_SEGMENT_COUNT, "segment_count", "is 0: the image holds no code and no app"
                        + " descriptor");
            }
            if (header.chip().isEmpty()) {
                problem(ImageHeader.OFFSET_CHIP_ID, "chip_id", String.format("0x%04x is not a known chip id"
                        + " (ESP32 0x0000, S2 0x0002, C3 0x0005, S3 0x0009, C2 0x000c, C6 0x000d, H2 0x0010,"
                        + " P4 0x0012, host 0xffff); no bootloader would load it", header.chipId()));
            }
            if (header.hashAppended() > 1) {
                problem(ImageHeader.OFFSET_HASH_APPENDED, "hash_appended", "is " + header.hashAppended()
                        + ", expected 0 or 1");
            }
        }

        /** Returns the offset after the last segment, or -1 when the segments do not fit in the input. */
        private long readSegments() {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int length = bytes.length;
            long pos = ImageHeader.SIZE;
            for (int i = 0; i < header.segmentCount(); i++) {
                String field = "segment[" + i + "]";
                if (pos + ImageSegment.HEADER_SIZE > length) {
                    problem(pos, field, String.format("the header declares %d segments, but the input ends at 0x%x"
                            + " before segment %d's 8-byte header: the image is truncated", header.segmentCount(),
                            length, i));
                    return -1;
                }
                long load = Integer.toUnsignedLong(b.getInt((int) pos));
                long dataLength = Integer.toUnsignedLong(b.getInt((int) pos + 4));
                if (dataLength % 4 != 0) {
                    problem(pos + 4, field + ".data_len", dataLength + " is not a multiple of 4; ESP-IDF refuses"
                            + " the image (esptool pads every segment to 4 bytes)");
                }
                long dataStart = pos + ImageSegment.HEADER_SIZE;
                if (dataLength > length - dataStart) {
                    problem(pos + 4, field + ".data_len", String.format("%d bytes from 0x%x run past the end of"
                            + " the input (0x%x) by %d bytes: the image is truncated or the length is corrupt",
                            dataLength, dataStart, length, dataLength - (length - dataStart)));
                    return -1;
                }
                byte[] data = Arrays.copyOfRange(bytes, (int) dataStart, (int) (dataStart + dataLength));
                for (byte x : data) {
                    computedChecksum ^= x & 0xFF;
                }
                segments.add(new ImageSegment(load, pos, data));
                pos = dataStart + dataLength;
            }
            return pos;
        }

        private void readTail(long afterSegments) {
            int length = bytes.length;
            long checksumAt = afterSegments + paddingBeforeChecksum(afterSegments);
            if (checksumAt >= length) {
                problem(afterSegments, "checksum", String.format("the input ends at 0x%x, before the padding and the"
                        + " checksum byte at 0x%x: the image is truncated", length, checksumAt));
                return;
            }
            for (long i = afterSegments; i < checksumAt; i++) {
                if (bytes[(int) i] != 0) {
                    problem(i, "padding", String.format("is 0x%02x; the bytes between the last segment and the"
                            + " checksum are zero in every image esptool writes", bytes[(int) i] & 0xFF));
                    break;
                }
            }
            storedChecksum = bytes[(int) checksumAt] & 0xFF;
            if (storedChecksum != computedChecksum) {
                problem(checksumAt, "checksum", String.format("is 0x%02x but the segment data gives 0x%02x (0xEF XOR"
                        + " every data byte): segment data changed after the image was built",
                        storedChecksum, computedChecksum));
            }
            long end = checksumAt + 1;
            if (header.hashAppended() == 1) {
                if (end + HASH_SIZE > length) {
                    problem(end, "sha256", String.format("hash_appended is 1, but only %d of the 32 bytes of the"
                            + " appended SHA-256 are present: the image is truncated", length - end));
                    imageLength = length;
                    return;
                }
                storedHash = Arrays.copyOfRange(bytes, (int) end, (int) end + HASH_SIZE);
                computedHash = sha256(bytes, 0, (int) end);
                if (!MessageDigest.isEqual(storedHash, computedHash)) {
                    problem(end, "sha256", String.format("the appended SHA-256 is %s, but bytes 0x0..0x%x hash to %s:"
                            + " the image was modified or damaged after it was built",
                            HexFormat.of().formatHex(storedHash), end - 1, HexFormat.of().formatHex(computedHash)));
                }
                end += HASH_SIZE;
            }
            imageLength = end;
            if (!inPartition && end < length) {
                checkTrailing(end);
            }
        }

        private void checkTrailing(long end) {
            int length = bytes.length;
            long sector = (end + SIGNATURE_SECTOR_SIZE - 1) / SIGNATURE_SECTOR_SIZE * SIGNATURE_SECTOR_SIZE;
            boolean paddedWithFf = true;
            for (long i = end; i < Math.min(sector, length); i++) {
                paddedWithFf &= bytes[(int) i] == (byte) 0xFF;
            }
            if (paddedWithFf && length == sector + SIGNATURE_SECTOR_SIZE
                    && (bytes[(int) sector] & 0xFF) == SIGNATURE_BLOCK_MAGIC
                    && (bytes[(int) sector + 1] == 2 || bytes[(int) sector + 1] == 3)) {
                signatureSectorOffset = sector;
                return;
            }
            problem(end, "trailing", String.format("%d bytes follow the end of the image at 0x%x. An image file must"
                    + " hold the image only (for a whole flash dump use 'firmware partitions')", length - end, end));
        }

        private void readDescriptor() {
            if (segments.isEmpty()) {
                if (header.segmentCount() == 0) {
                    problem(0x20, "app_desc", "missing: there is no segment to hold esp_app_desc_t");
                }
                return;
            }
            ImageSegment first = segments.get(0);
            if (first.length() < AppDescriptor.SIZE) {
                problem(first.fileOffset() + 4, "segment[0].data_len", "is " + first.length() + " bytes, too short"
                        + " for the 256-byte esp_app_desc_t that must start it");
                return;
            }
            descriptor = AppDescriptor.read(bytes, (int) first.dataOffset(), problems);
        }
    }
}
