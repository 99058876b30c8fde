package org.secureota.workbench.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class AppImageTest {

    @Test
    void builtImageIsValidAndCarriesItsDescriptor() {
        byte[] bytes = TestImages.small("2.1.0", 3);
        AppImage image = AppImage.parse(bytes);

        assertThat(image.problems()).isEmpty();
        assertThat(image.chip()).contains(ChipId.HOST);
        assertThat(image.segments()).hasSize(2);
        assertThat(image.checksumOk()).isTrue();
        assertThat(image.hashAppended()).isTrue();
        assertThat(image.hashOk()).isTrue();
        assertThat(image.descriptor()).hasValueSatisfying(d -> {
            assertThat(d.version()).isEqualTo("2.1.0");
            assertThat(d.secureVersion()).isEqualTo(3);
            assertThat(d.projectName()).isEqualTo("shop-display");
            assertThat(d.idfVersion()).isEqualTo("v5.1.4");
        });
        assertThat(image.sha256()).isEqualTo(HexFormat.of().formatHex(sha256(bytes)));
        assertThat(image.imageLength()).isEqualTo(bytes.length);
    }

    @Test
    void layoutIsByteExact() {
        byte[] bytes = TestImages.small();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes[0] & 0xFF).isEqualTo(0xE9);
        assertThat(bytes[1]).isEqualTo((byte) 2);
        assertThat(bytes[8] & 0xFF).isEqualTo(0xEE);
        assertThat(b.getShort(12) & 0xFFFF).isEqualTo(0xFFFF);
        assertThat(bytes[23]).isEqualTo((byte) 1);
        // Segment 0's header at 24, descriptor magic at 0x20 and version at 0x20 + 16.
        assertThat(Integer.toUnsignedLong(b.getInt(24))).isEqualTo(0x3F40_0020L);
        assertThat(b.getInt(28)).isEqualTo(256);
        assertThat(b.getInt(0x20)).isEqualTo(0xABCD5432);
        assertThat(b.getInt(0x24)).isEqualTo(1);
        assertThat(new String(bytes, 0x30, 5)).isEqualTo("2.0.0");
        // 24 + (8 + 256) + (8 + 64) = 360; padding to 367, checksum at 367 (367 + 1 = 368 = 23 * 16), hash after.
        int checksumAt = 367;
        assertThat(bytes.length).isEqualTo(checksumAt + 1 + 32);
        int checksum = 0xEF;
        for (int i = 32; i < 32 + 256; i++) {
            checksum ^= bytes[i] & 0xFF;
        }
        for (int i = 296; i < 296 + 64; i++) {
            checksum ^= bytes[i] & 0xFF;
        }
        assertThat(bytes[checksumAt] & 0xFF).isEqualTo(checksum);
        assertThat(Arrays.copyOfRange(bytes, checksumAt + 1, bytes.length))
                .isEqualTo(sha256(Arrays.copyOf(bytes, checksumAt + 1)));
    }

    @Test
    void writingWhatWasReadGivesTheSameBytes() {
        for (byte[] bytes : List.of(TestImages.small(), TestImages.esp32("1.0.0", 1000), TestImages.esp32("1.0.1", 4096))) {
            AppImage image = AppImage.parse(bytes);
            assertThat(image.valid()).isTrue();
            assertThat(AppImage.encode(image.header().orElseThrow(), image.segments())).isEqualTo(bytes);
            assertThat(image.header().orElseThrow().toBytes()).isEqualTo(Arrays.copyOf(bytes, 24));
            assertThat(image.descriptor().orElseThrow().toBytes()).isEqualTo(Arrays.copyOfRange(bytes, 0x20, 0x120));
        }
    }

    @Test
    void imageWithoutAppendedHashHasNoHashButIsValid() {
        byte[] bytes = AppImageBuilder.forChip(ChipId.ESP32_S3).descriptor(AppDescriptor.of("p", "1.0.0", 0))
                .hashAppended(false).build();
        AppImage image = AppImage.parse(bytes);
        assertThat(image.problems()).isEmpty();
        assertThat(image.hashAppended()).isFalse();
        assertThat(image.hashOk()).isFalse();
        assertThat((bytes.length) % 16).isZero();
    }

    @Test
    void badMagicIsReported() {
        byte[] bytes = TestImages.small();
        bytes[0] = 0x7F;
        assertThat(fields(bytes)).contains("magic");
        assertThat(problem(bytes, "magic").offset()).isZero();
        assertThat(problem(bytes, "magic").message()).contains("0x7f", "0xE9");
    }

    @Test
    void moreThanSixteenSegmentsIsReported() {
        byte[] bytes = TestImages.small();
        bytes[1] = 17;
        ImageProblem p = problem(bytes, "segment_count");
        assertThat(p.offset()).isEqualTo(1);
        assertThat(p.message()).contains("17", "at most 16");
    }

    @Test
    void segmentRunningPastTheEndIsReported() {
        byte[] bytes = TestImages.small();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 8 + 256 + 4, 0x10000);
        ImageProblem p = problem(bytes, "segment[1].data_len");
        assertThat(p.offset()).isEqualTo(24 + 8 + 256 + 4);
        assertThat(p.message()).contains("65536", "run past the end");
    }

    @Test
    void segmentLengthNotAMultipleOfFourIsReported() {
        // Shorten segment 1 by two bytes and move the rest up: the structure is still followable.
        byte[] bytes = TestImages.small();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 8 + 256 + 4, 62);
        ImageProblem p = problem(bytes, "segment[1].data_len");
        assertThat(p.message()).contains("62 is not a multiple of 4");
    }

    @Test
    void wrongChecksumIsReportedAtItsOffset() {
        byte[] bytes = TestImages.small();
        bytes[367] ^= 0x5A;
        ImageProblem p = problem(bytes, "checksum");
        assertThat(p.offset()).isEqualTo(367);
        assertThat(p.message()).contains("0xEF XOR");
        assertThat(AppImage.parse(bytes).checksumOk()).isFalse();
    }

    @Test
    void changedSegmentDataBreaksChecksumAndHash() {
        byte[] bytes = TestImages.small();
        bytes[300] ^= 0x01;
        AppImage image = AppImage.parse(bytes);
        assertThat(fields(bytes)).contains("checksum", "sha256");
        assertThat(image.checksumOk()).isFalse();
        assertThat(image.hashOk()).isFalse();
    }

    @Test
    void wrongAppendedHashIsReported() {
        byte[] bytes = TestImages.small();
        bytes[bytes.length - 1] ^= 0x01;
        ImageProblem p = problem(bytes, "sha256");
        assertThat(p.offset()).isEqualTo(368);
        assertThat(p.message()).contains("modified or damaged");
        assertThat(fields(bytes)).containsExactly("sha256");
    }

    @Test
    void missingOrBadAppDescriptorIsReported() {
        byte[] noMagic = TestImages.small();
        noMagic[0x20] = 0;
        assertThat(problem(noMagic, "app_desc.magic_word").offset()).isEqualTo(0x20);

        byte[] noNul = TestImages.small();
        Arrays.fill(noNul, 0x20 + 16, 0x20 + 48, (byte) 'A');
        assertThat(problem(noNul, "app_desc.version").message()).contains("no terminating NUL");

        byte[] emptyVersion = AppImageBuilder.forChip(ChipId.HOST).descriptor(AppDescriptor.of("p", "", 0)).build();
        assertThat(problem(emptyVersion, "app_desc.version").message()).contains("empty");

        byte[] tooShort = AppImage.encode(ImageHeader.standard(ChipId.HOST, 1, 0),
                List.of(ImageSegment.of(0x3F40_0020L, new byte[64])));
        assertThat(problem(tooShort, "segment[0].data_len").message()).contains("too short");

        byte[] noSegments = AppImage.encode(ImageHeader.standard(ChipId.HOST, 0, 0), List.of());
        assertThat(fields(noSegments)).contains("segment_count", "app_desc");
    }

    @Test
    void trailingGarbageIsReported() {
        byte[] bytes = Arrays.copyOf(TestImages.small(), 400 + 7);
        ImageProblem p = problem(bytes, "trailing");
        assertThat(p.offset()).isEqualTo(400);
        assertThat(p.message()).contains("7 bytes follow");
    }

    @Test
    void secureBootV2SignatureSectorIsRecognizedNotReported() {
        byte[] image = TestImages.small();
        byte[] signed = new byte[0x2000];
        Arrays.fill(signed, (byte) 0xFF);
        System.arraycopy(image, 0, signed, 0, image.length);
        signed[0x1000] = (byte) 0xE7;
        signed[0x1001] = 3;
        AppImage parsed = AppImage.parse(signed);
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.signatureSectorOffset()).hasValue(0x1000);
    }

    @Test
    void unknownChipIdAndHashAppendedValueAreReported() {
        byte[] bytes = TestImages.small();
        bytes[12] = 0x34;
        bytes[13] = 0x12;
        assertThat(problem(bytes, "chip_id").message()).contains("0x1234");
        byte[] other = TestImages.small();
        other[23] = 7;
        assertThat(problem(other, "hash_appended").offset()).isEqualTo(23);
    }

    @Test
    void truncatedImagesReportTruncationAtEveryLength() {
        byte[] bytes = TestImages.small();
        for (int length = 0; length < bytes.length; length++) {
            AppImage image = AppImage.parse(Arrays.copyOf(bytes, length));
            assertThat(image.problems()).as("length %d", length).isNotEmpty();
            assertThat(image.problems().toString()).as("length %d", length).containsAnyOf("truncated", "24-byte");
        }
    }

    @Test
    void imageInAPartitionIgnoresWhatFollowsIt() {
        byte[] image = TestImages.small();
        byte[] slot = new byte[0x10000];
        Arrays.fill(slot, (byte) 0xA5);  // leftovers of an older, larger image
        System.arraycopy(image, 0, slot, 0, image.length);
        AppImage parsed = AppImage.parseInPartition(slot);
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.bytes()).isEqualTo(image);
        assertThat(parsed.sha256()).isEqualTo(AppImage.parse(image).sha256());
    }

    @Test
    void flippingAnyByteOfASmallImageIsReported() {
        byte[] original = TestImages.small();
        assertThat(AppImage.parse(original).problems()).isEmpty();
        for (int i = 0; i < original.length; i++) {
            byte[] changed = original.clone();
            changed[i] ^= 0x01;
            assertThat(AppImage.parse(changed).problems()).as("byte %d (0x%x) flipped", i, i).isNotEmpty();
        }
    }

    @Test
    void builderRefusesDescriptorStringsThatDoNotFit() {
        assertThatThrownBy(() -> AppDescriptor.of("p", "1.0.0-" + "x".repeat(30), 0).toBytes())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> AppImageBuilder.forChip(ChipId.HOST).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("descriptor");
    }

    @Test
    void chipIdsByNameAndNumber() {
        assertThat(ChipId.fromId(0x0009)).contains(ChipId.ESP32_S3);
        assertThat(ChipId.fromId(0xFFFF)).contains(ChipId.HOST);
        assertThat(ChipId.fromName("esp32-c3")).contains(ChipId.ESP32_C3);
        assertThat(ChipId.fromId(0x0001)).isEmpty();
    }

    static ImageProblem problem(byte[] bytes, String field) {
        return AppImage.parse(bytes).problems().stream().filter(p -> p.field().equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem in field " + field + ", got "
                        + AppImage.parse(bytes).problems()));
    }

    static List<String> fields(byte[] bytes) {
        return AppImage.parse(bytes).problems().stream().map(ImageProblem::field).toList();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
