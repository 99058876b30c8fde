package org.secureota.workbench.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

/**
 * Randomized robustness checks with fixed seeds, so that every normal test run exercises the parsers
 * with thousands of hostile inputs (the Jazzer targets in {@link ParserFuzzTest} only replay their
 * seeds unless JAZZER_FUZZ=1). Inputs are mutations of valid images, tables and manifests, which
 * reach deeper than pure noise. Every input must give a clean report, never an exception.
 */
@Tag("unit")
class ParserRobustnessTest {

    static final int ROUNDS = 3000;

    @Test
    void mutatedAndTruncatedImagesGiveProblemsNotExceptions() {
        byte[] valid = TestImages.esp32("1.0.0", 600);
        Random random = new Random(20261124);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = mutate(valid, random);
            assertThatCode(() -> {
                AppImage image = AppImage.parse(input);
                if (!Arrays.equals(input, valid)) {
                    assertThat(image.problems()).isNotEmpty();
                }
                AppImage.parseInPartition(input);
            }).as("round %d", round).doesNotThrowAnyException();
        }
        for (int round = 0; round < ROUNDS; round++) {
            byte[] noise = new byte[random.nextInt(2048)];
            random.nextBytes(noise);
            if (noise.length > 0 && random.nextBoolean()) {
                noise[0] = (byte) 0xE9;  // past the magic check, into the segment walk
            }
            assertThat(AppImage.parse(noise).valid()).isFalse();
        }
    }

    @Test
    void mutatedTablesAndOtadataGiveProblemsNotExceptions() {
        byte[] table = PartitionTable.arduinoDefault().toBinary();
        byte[] otadata = OtaData.erased().withBootSlot(0, 2, OtaState.VALID).toBytes();
        String csv = PartitionTable.espIdfTwoOta().toCsv();
        Random random = new Random(8000);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] t = mutate(table, random);
            assertThatCode(() -> {
                PartitionTable read = PartitionTable.fromBinary(t);
                if (!Arrays.equals(t, table) && read.valid()) {
                    // A change that keeps the table valid can only be in the filler after the MD5 record.
                    assertThat(read.entries()).isEqualTo(PartitionTable.arduinoDefault().entries());
                }
            }).as("table round %d", round).doesNotThrowAnyException();
            byte[] o = mutate(otadata, random);
            if (o.length >= OtaData.SECTOR_SIZE + OtaDataEntry.SIZE) {
                assertThatCode(() -> OtaData.fromPartition(o).selectForBoot(2, true)).doesNotThrowAnyException();
            }
            String c = new String(mutate(csv.getBytes(StandardCharsets.US_ASCII), random), StandardCharsets.ISO_8859_1);
            try {
                PartitionTable.fromCsv(c);
            } catch (FirmwareFormatException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void mutatedManifestsAreRefusedWithACode() {
        KeyPair key = TestKeys.p256();
        Instant issued = Instant.parse("2026-11-24T10:00:00Z");
        byte[] image = TestImages.small();
        Manifest m = new Manifest(1, "shop-display", "2.0.0", 1, "/firmware/shop-display-2.0.0.bin", image.length,
                AppImage.parse(image).sha256(), issued, issued.plus(Duration.ofDays(1)), 1);
        String jws = new ManifestSigner(key.getPrivate()).sign(m).compact();
        ManifestVerifier verifier = new ManifestVerifier(key.getPublic());
        assertThat(verifier.verify(jws, issued).isAccepted()).isTrue();
        Random random = new Random(77);
        for (int round = 0; round < ROUNDS; round++) {
            String mutated = new String(mutate(jws.getBytes(StandardCharsets.US_ASCII), random), StandardCharsets.ISO_8859_1);
            ManifestVerification v = verifier.verify(mutated, issued);
            if (mutated.strip().equals(jws)) {
                continue;  // whitespace around the token is allowed
            }
            assertThat(v.isAccepted()).as("round %d: %s", round, mutated).isFalse();
            assertThat(v.reason()).isNotBlank();
        }
    }

    /** One to four random edits: flip, set, insert, delete, truncate, or overwrite a u32 with a boundary value. */
    static byte[] mutate(byte[] original, Random random) {
        byte[] b = original.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
                case 3 -> {
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
                }
                case 4 -> b = Arrays.copyOf(b, at);
                default -> {
                    if (at + 4 <= b.length) {
                        int[] boundaries = {0, 1, 3, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x10000, 255};
                        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, boundaries[random.nextInt(boundaries.length)]);
                    }
                }
            }
        }
        return b;
    }
}
