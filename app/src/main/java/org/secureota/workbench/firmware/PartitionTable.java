package org.secureota.workbench.firmware;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An ESP-IDF partition table, binary and CSV, as {@code gen_esp32part.py} reads and writes it.
 *
 * <p>Binary (at flash offset 0x8000, {@value #BINARY_SIZE} bytes): the 32-byte entries, then one MD5
 * record ({@code EB EB}, 14 × {@code FF}, the MD5 of every preceding entry byte), then {@code FF} up
 * to {@value #BINARY_SIZE} bytes. CSV: {@code Name, Type, SubType, Offset, Size, Flags}, with sizes
 * such as {@code 1M} or {@code 0x140000} and empty offsets filled in.
 *
 * <p>An immutable value: {@link #entries()} is unmodifiable, and {@link #problems()} holds what is
 * wrong with the table as read (bad MD5, bad magic) and as a layout (overlaps, misalignment,
 * duplicate labels).
 */
public record PartitionTable(List<PartitionEntry> entries, List<ImageProblem> problems) {

    /** Flash offset of the table in every ESP-IDF layout (CONFIG_PARTITION_TABLE_OFFSET default). */
    public static final long FLASH_OFFSET = 0x8000;
    /** gen_esp32part's MAX_PARTITION_LENGTH: entries, MD5 record and 0xFF filler. */
    public static final int BINARY_SIZE = 0xC00;
    /** The first offset after the table's sector, where automatic offsets start. */
    public static final long FIRST_FREE_OFFSET = FLASH_OFFSET + 0x1000;
    public static final int APP_ALIGNMENT = 0x10000;
    public static final int DATA_ALIGNMENT = 0x1000;
    public static final int OTADATA_SIZE = 0x2000;
    static final byte[] MD5_MAGIC = {(byte) 0xEB, (byte) 0xEB};

    public PartitionTable {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }

    /** A table built in code; {@link #problems()} holds its layout problems. */
    public static PartitionTable of(List<PartitionEntry> entries) {
        return new PartitionTable(entries, layoutProblems(entries));
    }

    /** ESP-IDF's {@code partitions_two_ota.csv} on 4 MB flash (factory + ota_0 + ota_1, 1 MB each). */
    public static PartitionTable espIdfTwoOta() {
        return of(List.of(
                PartitionEntry.data("nvs", PartitionTypes.DATA_NVS, 0x9000, 0x4000),
                PartitionEntry.data("otadata", PartitionTypes.DATA_OTA, 0xD000, 0x2000),
                PartitionEntry.data("phy_init", PartitionTypes.DATA_PHY, 0xF000, 0x1000),
                PartitionEntry.app("factory", PartitionTypes.APP_FACTORY, 0x10000, 0x100000),
                PartitionEntry.app("ota_0", PartitionTypes.APP_OTA_MIN, 0x110000, 0x100000),
                PartitionEntry.app("ota_1", PartitionTypes.APP_OTA_MIN + 1, 0x210000, 0x100000)));
    }

    /** Arduino-ESP32's {@code tools/partitions/default.csv} (app0/app1 of 1.25 MB, spiffs, coredump). */
    public static PartitionTable arduinoDefault() {
        return of(List.of(
                PartitionEntry.data("nvs", PartitionTypes.DATA_NVS, 0x9000, 0x5000),
                PartitionEntry.data("otadata", PartitionTypes.DATA_OTA, 0xE000, 0x2000),
                PartitionEntry.app("app0", PartitionTypes.APP_OTA_MIN, 0x10000, 0x140000),
                PartitionEntry.app("app1", PartitionTypes.APP_OTA_MIN + 1, 0x150000, 0x140000),
                PartitionEntry.data("spiffs", PartitionTypes.DATA_SPIFFS, 0x290000, 0x160000),
                PartitionEntry.data("coredump", PartitionTypes.DATA_COREDUMP, 0x3F0000, 0x10000)));
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    // ---------------------------------------------------------------- binary

    /** The {@value #BINARY_SIZE}-byte binary: entries, MD5 record, 0xFF filler. */
    public byte[] toBinary() {
        int needed = (entries.size() + 1) * PartitionEntry.SIZE;
        if (needed > BINARY_SIZE) {
            throw new IllegalStateException("a partition table holds at most " + (BINARY_SIZE / PartitionEntry.SIZE - 1)
                    + " entries, got " + entries.size());
        }
        byte[] out = new byte[BINARY_SIZE];
        Arrays.fill(out, (byte) 0xFF);
        int at = 0;
        for (PartitionEntry e : entries) {
            System.arraycopy(e.toBytes(), 0, out, at, PartitionEntry.SIZE);
            at += PartitionEntry.SIZE;
        }
        out[at] = MD5_MAGIC[0];
        out[at + 1] = MD5_MAGIC[1];
        System.arraycopy(md5(out, 0, at), 0, out, at + 16, 16);
        return out;
    }

    /** Hex MD5 of the entry bytes: what the MD5 record holds. */
    public String md5Hex() {
        byte[] bin = toBinary();
        return HexFormat.of().formatHex(bin, entries.size() * PartitionEntry.SIZE + 16, (entries.size() + 1) * PartitionEntry.SIZE);
    }

    /**
     * Reads a binary table (from a {@code partitions.bin} or from flash at 0x8000). Never throws:
     * problems are reported with their offset in {@code bytes}. Reading stops at the end marker
     * (an entry whose magic is {@code FF FF}), as the bootloader's {@code esp_partition_table_verify} does.
     */
    public static PartitionTable fromBinary(byte[] bytes) {
        List<PartitionEntry> entries = new ArrayList<>();
        List<ImageProblem> problems = new ArrayList<>();
        boolean md5Seen = false;
        boolean ended = false;
        int limit = Math.min(bytes.length, BINARY_SIZE);
        int at = 0;
        for (; at + PartitionEntry.SIZE <= limit; at += PartitionEntry.SIZE) {
            int b0 = bytes[at] & 0xFF;
            int b1 = bytes[at + 1] & 0xFF;
            if (b0 == 0xFF && b1 == 0xFF) {
                ended = true;
                break;
            }
            if (b0 == 0xEB && b1 == 0xEB) {
                byte[] stored = Arrays.copyOfRange(bytes, at + 16, at + 32);
                byte[] computed = md5(bytes, 0, at);
                if (!MessageDigest.isEqual(stored, computed)) {
                    problems.add(new ImageProblem(at + 16, "md5", "the MD5 record holds " + HexFormat.of().formatHex(stored)
                            + " but the " + entries.size() + " entries before it hash to " + HexFormat.of().formatHex(computed)
                            + ": the table was modified or damaged; the bootloader refuses it"));
                }
                md5Seen = true;
                continue;
            }
            if (b0 != 0xAA || b1 != 0x50) {
                problems.add(new ImageProblem(at, "entry[" + entries.size() + "].magic", String.format(
                        "is %02x %02x, expected AA 50 (a partition), EB EB (the MD5 record) or FF FF (end of table)%s",
                        b0, b1, at == 0 ? ": this is not a partition table" : "")));
                break;
            }
            if (md5Seen) {
                problems.add(new ImageProblem(at, "entry[" + entries.size() + "]", "follows the MD5 record; the MD5"
                        + " does not cover it, and gen_esp32part never writes it"));
            }
            PartitionEntry entry = PartitionEntry.read(bytes, at);
            for (int i = at + 12; i < at + 28 && bytes[i] != 0; i++) {
                if ((bytes[i] & 0xFF) < 0x20 || (bytes[i] & 0xFF) >= 0x7F) {
                    problems.add(new ImageProblem(at + 12, "entry[" + entries.size() + "].label",
                            "holds non-printable bytes (shown as '?')"));
                    break;
                }
            }
            if ((entry.flags() & ~(PartitionEntry.FLAG_ENCRYPTED | PartitionEntry.FLAG_READONLY)) != 0) {
                problems.add(new ImageProblem(at + 28, "entry[" + entries.size() + "].flags",
                        String.format("0x%08x sets bits other than encrypted (bit 0) and readonly (bit 1)", entry.flags())));
            }
            entries.add(entry);
        }
        if (!ended && problems.stream().noneMatch(p -> p.field().endsWith(".magic"))) {
            problems.add(new ImageProblem(at, "end", "no end-of-table marker (FF FF) within the first "
                    + limit + " bytes: the table is truncated"));
        }
        if (!md5Seen && !entries.isEmpty()) {
            problems.add(new ImageProblem(at, "md5", "the table has no MD5 record; ESP-IDF's bootloader"
                    + " (CONFIG_PARTITION_TABLE_MD5, the default) refuses it. Regenerate it without --disable-md5sum."));
        }
        if (entries.isEmpty() && problems.isEmpty()) {
            problems.add(new ImageProblem(0, "entries", "the table is empty (erased flash?)"));
        }
        problems.addAll(layoutProblems(entries));
        return new PartitionTable(entries, problems);
    }

    // ---------------------------------------------------------------- layout

    /**
     * What gen_esp32part's verify() insists on (IDF 5: data partitions aligned to 4 KiB, app
     * partitions to 64 KiB, nothing below 0x9000, no overlaps, unique names, one otadata of 0x2000),
     * plus what makes a table useless to the bootloader (two apps of one subtype, OTA slots without
     * otadata, empty partitions). {@link ImageProblem#offset()} is the entry's offset in the table.
     */
    static List<ImageProblem> layoutProblems(List<PartitionEntry> entries) {
        List<ImageProblem> problems = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        Set<Integer> appSubtypes = new HashSet<>();
        int otadata = 0;
        for (int i = 0; i < entries.size(); i++) {
            PartitionEntry e = entries.get(i);
            long at = (long) i * PartitionEntry.SIZE;
            String field = "entry[" + i + "] (" + e.label() + ")";
            if (e.label().isEmpty()) {
                problems.add(new ImageProblem(at + 12, field + ".label", "is empty; every partition needs a name"));
            } else if (!labels.add(e.label())) {
                problems.add(new ImageProblem(at + 12, field + ".label", "is used twice; esp_partition_find_first"
                        + " would only ever find the first"));
            }
            int alignment = e.isApp() ? APP_ALIGNMENT : DATA_ALIGNMENT;
            if (e.offset() % alignment != 0) {
                problems.add(new ImageProblem(at + 4, field + ".offset", String.format("0x%x is not aligned to 0x%x%s",
                        e.offset(), alignment, e.isApp() ? " (app partitions are mapped by the MMU in 64 KiB pages)" : "")));
            }
            if (e.size() == 0) {
                problems.add(new ImageProblem(at + 8, field + ".size", "is 0: the partition holds nothing"));
            }
            if (e.offset() < FIRST_FREE_OFFSET) {
                problems.add(new ImageProblem(at + 4, field + ".offset", String.format(
                        "0x%x overlaps the bootloader or the partition table (0x0..0x9000)", e.offset())));
            }
            if (e.isApp() && !appSubtypes.add(e.subtype())) {
                problems.add(new ImageProblem(at + 3, field + ".subtype", "app/" + e.subtypeName()
                        + " appears twice; the bootloader would boot only one of them"));
            }
            if (e.isOtaData()) {
                otadata++;
                if (e.size() != OTADATA_SIZE) {
                    problems.add(new ImageProblem(at + 8, field + ".size", String.format(
                            "0x%x; otadata is exactly 0x2000 (two 4 KiB sectors, one entry each)", e.size())));
                }
            }
        }
        if (otadata > 1) {
            problems.add(new ImageProblem(0, "otadata", "the table has " + otadata + " data/ota partitions; ESP-IDF uses one"));
        }
        boolean hasOtaSlots = entries.stream().anyMatch(e -> e.otaSlot().isPresent());
        if (hasOtaSlots && otadata == 0) {
            problems.add(new ImageProblem(0, "otadata", "the table has ota_N app partitions but no data/ota"
                    + " partition: the bootloader could never switch to them"));
        }
        List<PartitionEntry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(PartitionEntry::offset));
        for (int i = 1; i < byOffset.size(); i++) {
            PartitionEntry previous = byOffset.get(i - 1);
            PartitionEntry e = byOffset.get(i);
            if (e.offset() < previous.end()) {
                problems.add(new ImageProblem((long) entries.indexOf(e) * PartitionEntry.SIZE + 4,
                        "entry[" + entries.indexOf(e) + "] (" + e.label() + ").offset", String.format(
                        "0x%x overlaps '%s' (0x%x..0x%x)", e.offset(), previous.label(), previous.offset(), previous.end())));
            }
        }
        return problems;
    }

    /** Problems of this layout on a flash of {@code flashSize} bytes (partitions past its end). */
    public List<ImageProblem> problemsOnFlash(long flashSize) {
        List<ImageProblem> found = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            PartitionEntry e = entries.get(i);
            if (e.end() > flashSize) {
                found.add(new ImageProblem((long) i * PartitionEntry.SIZE + 8, "entry[" + i + "] (" + e.label() + ").size",
                        String.format("the partition ends at 0x%x, past the end of the %d MB flash (0x%x)",
                                e.end(), flashSize >> 20, flashSize)));
            }
        }
        return found;
    }

    // ---------------------------------------------------------------- queries

    public Optional<PartitionEntry> byLabel(String label) {
        return entries.stream().filter(e -> e.label().equals(label)).findFirst();
    }

    public Optional<PartitionEntry> otaData() {
        return entries.stream().filter(PartitionEntry::isOtaData).findFirst();
    }

    public Optional<PartitionEntry> factory() {
        return entries.stream().filter(PartitionEntry::isFactory).findFirst();
    }

    /** The ota_N partitions, by slot number. */
    public List<PartitionEntry> otaSlots() {
        return entries.stream().filter(e -> e.otaSlot().isPresent())
                .sorted(Comparator.comparingInt(e -> e.otaSlot().getAsInt())).toList();
    }

    public Optional<PartitionEntry> otaSlot(int slot) {
        return entries.stream().filter(e -> e.otaSlot().isPresent() && e.otaSlot().getAsInt() == slot).findFirst();
    }

    /** Every app partition (factory, ota_N, test), in table order. */
    public List<PartitionEntry> apps() {
        return entries.stream().filter(PartitionEntry::isApp).toList();
    }

    // ---------------------------------------------------------------- CSV

    /** gen_esp32part's CSV: its two comment lines, then one line per entry, sizes as {@code 1M}/{@code 20K} when exact. */
    public String toCsv() {
        StringBuilder csv = new StringBuilder("# ESP-IDF Partition Table\n# Name, Type, SubType, Offset, Size, Flags\n");
        for (PartitionEntry e : entries) {
            List<String> flags = new ArrayList<>();
            if (e.encrypted()) {
                flags.add("encrypted");
            }
            if (e.readonly()) {
                flags.add("readonly");
            }
            csv.append(String.join(",", e.label(), e.typeName(), e.subtypeName(), "0x" + Long.toHexString(e.offset()),
                    sizeText(e.size()), String.join(":", flags))).append('\n');
        }
        return csv.toString();
    }

    private static String sizeText(long size) {
        if (size % 0x100000 == 0) {
            return size / 0x100000 + "M";
        }
        if (size % 0x400 == 0) {
            return size / 0x400 + "K";
        }
        return "0x" + Long.toHexString(size);
    }

    /**
     * Reads an ESP-IDF partition CSV. Empty offsets follow the previous partition (app partitions
     * aligned to 64 KiB), starting after the table at 0x9000, as gen_esp32part places them.
     *
     * @throws FirmwareFormatException naming the line and column that cannot be read
     */
    public static PartitionTable fromCsv(String csv) {
        List<PartitionEntry> entries = new ArrayList<>();
        long lastEnd = FIRST_FREE_OFFSET;
        String[] lines = csv.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "line " + (n + 1);
            String[] cells = line.split(",", -1);
            if (cells.length < 5 || cells.length > 6) {
                throw new FirmwareFormatException(where + ": expected 5 or 6 columns (Name, Type, SubType, Offset,"
                        + " Size[, Flags]), found " + cells.length + ": '" + line + "'");
            }
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].strip();
            }
            String label = cells[0];
            if (label.isEmpty() || label.length() > PartitionEntry.LABEL_SIZE) {
                throw new FirmwareFormatException(where + ": the name '" + label + "' must be 1 to 16 characters");
            }
            int type = PartitionTypes.typeByName(cells[1])
                    .orElseGet(() -> (int) number(cells[1], where, "Type", 0xFE));
            if (cells[2].isEmpty() && type == PartitionTypes.APP) {
                throw new FirmwareFormatException(where + ": an app partition needs a SubType (factory, ota_0..ota_15, test)");
            }
            // gen_esp32part gives every other partition with an empty SubType data/undefined (0x06).
            int subtype = cells[2].isEmpty() ? PartitionTypes.DATA_UNDEFINED
                    : PartitionTypes.subtypeByName(type, cells[2])
                    .orElseGet(() -> (int) number(cells[2], where, "SubType", 0xFF));
            long size = number(cells[4], where, "Size", 0xFFFF_FFFFL);
            long offset;
            if (cells[3].isEmpty()) {
                long alignment = type == PartitionTypes.APP ? APP_ALIGNMENT : DATA_ALIGNMENT;
                offset = (lastEnd + alignment - 1) / alignment * alignment;
            } else {
                offset = number(cells[3], where, "Offset", 0xFFFF_FFFFL);
            }
            int flags = 0;
            if (cells.length == 6 && !cells[5].isEmpty()) {
                for (String flag : cells[5].split(":")) {
                    switch (flag.strip().toLowerCase(Locale.ROOT)) {
                        case "encrypted" -> flags |= PartitionEntry.FLAG_ENCRYPTED;
                        case "readonly" -> flags |= PartitionEntry.FLAG_READONLY;
                        default -> throw new FirmwareFormatException(where + ": unknown flag '" + flag
                                + "' (known: encrypted, readonly)");
                    }
                }
            }
            try {
                entries.add(new PartitionEntry(label, type, subtype, offset, size, flags));
            } catch (IllegalArgumentException e) {
                throw new FirmwareFormatException(where + ": " + e.getMessage());
            }
            lastEnd = offset + size;
        }
        if (entries.isEmpty()) {
            throw new FirmwareFormatException("the CSV holds no partition");
        }
        return of(entries);
    }

    /** gen_esp32part's parse_int: decimal, 0x hex, or a K/M suffix (binary multiples). */
    static long number(String text, String where, String column, long max) {
        String t = text.strip();
        long multiplier = 1;
        if (t.endsWith("K") || t.endsWith("k")) {
            multiplier = 1024;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("M") || t.endsWith("m")) {
            multiplier = 1024 * 1024;
            t = t.substring(0, t.length() - 1);
        }
        long value;
        try {
            value = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new FirmwareFormatException(where + ": " + column + " '" + text + "' is not a number (use decimal,"
                    + " 0x hex, or a K/M suffix such as 1M)");
        }
        if (value < 0 || value > max / multiplier) {
            throw new FirmwareFormatException(where + ": " + column + " '" + text + "' is out of range");
        }
        return value * multiplier;
    }

    static byte[] md5(byte[] data, int from, int length) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(data, from, length);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides MD5", e);
        }
    }
}
