package org.secureota.workbench.firmware;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The application description ({@code esp_app_desc_t}, 256 bytes) that ESP-IDF places at the start
 * of the first segment's data, file offset 0x20 of the image. The OTA code reads the version and
 * {@code secure_version} from here, so it is what a manifest must agree with.
 *
 * <pre>
 *  @0   magic_word u32 = 0xABCD5432     @4   secure_version u32    @8  reserv1[2] u32
 *  @16  version char[32]                @48  project_name char[32]
 *  @80  time char[16]                   @96  date char[16]         @112 idf_ver char[32]
 *  @144 app_elf_sha256[32]              @176 reserved up to 256
 * </pre>
 *
 * Strings are NUL-terminated ASCII; the writer refuses values that would not leave room for the NUL,
 * because ESP-IDF code prints them with {@code %s}.
 */
public record AppDescriptor(long secureVersion, String version, String projectName, String time, String date,
                            String idfVersion, byte[] elfSha256) {

    public static final int SIZE = 256;
    public static final int MAGIC = 0xABCD5432;
    public static final int OFFSET_SECURE_VERSION = 4;
    public static final int OFFSET_VERSION = 16;
    public static final int OFFSET_PROJECT_NAME = 48;
    public static final int OFFSET_TIME = 80;
    public static final int OFFSET_DATE = 96;
    public static final int OFFSET_IDF_VER = 112;
    public static final int OFFSET_ELF_SHA256 = 144;

    public AppDescriptor {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(projectName, "projectName");
        time = time == null ? "" : time;
        date = date == null ? "" : date;
        idfVersion = idfVersion == null ? "" : idfVersion;
        elfSha256 = elfSha256 == null ? new byte[32] : elfSha256.clone();
        if (elfSha256.length != 32) {
            throw new IllegalArgumentException("app_elf_sha256 must be 32 bytes, got " + elfSha256.length);
        }
        if (secureVersion < 0 || secureVersion > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("secure_version must fit in a u32, got " + secureVersion);
        }
    }

    /** A descriptor with the fields that matter for OTA; time, date and IDF version left empty. */
    public static AppDescriptor of(String projectName, String version, long secureVersion) {
        return new AppDescriptor(secureVersion, version, projectName, "", "", "", null);
    }

    @Override
    public byte[] elfSha256() {
        return elfSha256.clone();
    }

    public String elfSha256Hex() {
        return HexFormat.of().formatHex(elfSha256);
    }

    /** The 256 bytes, reserved fields zero. Throws if a string does not fit with its NUL. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC);
        b.putInt((int) secureVersion);
        putString(b, OFFSET_VERSION, 32, "version", version);
        putString(b, OFFSET_PROJECT_NAME, 32, "project_name", projectName);
        putString(b, OFFSET_TIME, 16, "time", time);
        putString(b, OFFSET_DATE, 16, "date", date);
        putString(b, OFFSET_IDF_VER, 32, "idf_ver", idfVersion);
        b.put(OFFSET_ELF_SHA256, elfSha256);
        return b.array();
    }

    private static void putString(ByteBuffer b, int offset, int capacity, String field, String value) {
        byte[] ascii = value.getBytes(StandardCharsets.US_ASCII);
        if (ascii.length >= capacity || !isPrintableAscii(value)) {
            throw new IllegalArgumentException("esp_app_desc_t." + field + " must be printable ASCII of at most "
                    + (capacity - 1) + " characters (char[" + capacity + "] with its NUL), got '" + value + "'");
        }
        b.put(offset, ascii);
    }

    /**
     * Reads a descriptor at {@code offset}, adding every problem (with its absolute file offset) to
     * {@code problems}. Returns null when the magic word is wrong, since the rest is then not a
     * descriptor at all.
     */
    static AppDescriptor read(byte[] bytes, int offset, List<ImageProblem> problems) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(offset);
        if (magic != MAGIC) {
            problems.add(new ImageProblem(offset, "app_desc.magic_word", String.format(
                    "is 0x%08x, expected 0x%08x: segment 0 does not start with an esp_app_desc_t, so the image"
                            + " has no readable version (was it built with ESP-IDF or the workbench image builder?)",
                    magic, MAGIC)));
            return null;
        }
        long secure = Integer.toUnsignedLong(b.getInt(offset + OFFSET_SECURE_VERSION));
        List<ImageProblem> found = new ArrayList<>();
        String version = string(bytes, offset, OFFSET_VERSION, 32, "version", found);
        String project = string(bytes, offset, OFFSET_PROJECT_NAME, 32, "project_name", found);
        String time = string(bytes, offset, OFFSET_TIME, 16, "time", found);
        String date = string(bytes, offset, OFFSET_DATE, 16, "date", found);
        String idf = string(bytes, offset, OFFSET_IDF_VER, 32, "idf_ver", found);
        if (version.isEmpty()) {
            found.add(new ImageProblem(offset + OFFSET_VERSION, "app_desc.version",
                    "is empty: OTA compares versions, so an image must carry one"));
        }
        problems.addAll(found);
        byte[] elf = Arrays.copyOfRange(bytes, offset + OFFSET_ELF_SHA256, offset + OFFSET_ELF_SHA256 + 32);
        return new AppDescriptor(secure, version, project, time, date, idf, elf);
    }

    private static String string(byte[] bytes, int base, int fieldOffset, int capacity, String field,
                                 List<ImageProblem> problems) {
        int start = base + fieldOffset;
        int end = start;
        while (end < start + capacity && bytes[end] != 0) {
            end++;
        }
        String value = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
        if (end == start + capacity) {
            problems.add(new ImageProblem(start, "app_desc." + field,
                    "char[" + capacity + "] has no terminating NUL; ESP-IDF would read past it"));
        } else if (!isPrintableAscii(value)) {
            problems.add(new ImageProblem(start, "app_desc." + field, "holds non-printable or non-ASCII bytes"));
        }
        return value;
    }

    private static boolean isPrintableAscii(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AppDescriptor d && d.secureVersion == secureVersion && d.version.equals(version)
                && d.projectName.equals(projectName) && d.time.equals(time) && d.date.equals(date)
                && d.idfVersion.equals(idfVersion) && Arrays.equals(d.elfSha256, elfSha256);
    }

    @Override
    public int hashCode() {
        return Objects.hash(secureVersion, version, projectName, time, date, idfVersion) * 31
                + Arrays.hashCode(elfSha256);
    }

    @Override
    public String toString() {
        return "AppDescriptor[project_name=" + projectName + ", version=" + version + ", secure_version="
                + secureVersion + ", date=" + date + ", time=" + time + ", idf_ver=" + idfVersion + "]";
    }
}
