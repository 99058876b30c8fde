package org.secureota.workbench.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;

/**
 * Jazzer fuzz targets for the parsers that read untrusted bytes. In the normal test run they replay
 * the seed inputs in {@code ParserFuzzTestInputs/} without instrumentation (the pom sets
 * {@code jazzer.hooks=false}, which saves about 30 s of agent setup). For a real, coverage-guided
 * fuzzing run of one target (it stops after 5 minutes, or at the first finding, which Jazzer saves
 * as a {@code crash-*} file; copy it into {@code ParserFuzzTestInputs/<target>/} so every run replays it):
 *
 * <pre>JAZZER_FUZZ=1 mvn -Dfirmware.skip=true -Djazzer.hooks=true test -Dtest=ParserFuzzTest#appImage</pre>
 *
 * Jazzer reports any exception escaping the parser as a finding; the assertions add the invariants
 * a clean error report must keep.
 */
class ParserFuzzTest {

    private static final KeyPair KEY = TestKeys.p256();
    private static final ManifestVerifier VERIFIER = new ManifestVerifier(KEY.getPublic());

    @FuzzTest(maxDuration = "5m")
    void appImage(byte[] data) {
        AppImage image = AppImage.parse(data);
        assertThat(image.valid()).isEqualTo(image.problems().isEmpty());
        if (image.valid()) {
            // Whatever parses as valid must write back to exactly the same bytes.
            assertThat(AppImage.encode(image.header().orElseThrow(), image.segments())).isEqualTo(data);
        }
        for (ImageProblem p : image.problems()) {
            assertThat(p.offset()).isBetween(0L, (long) Math.max(data.length, 1) + 32);
        }
        AppImage.parseInPartition(data);
    }

    @FuzzTest(maxDuration = "5m")
    void partitionTableAndOtadata(byte[] data) {
        PartitionTable table = PartitionTable.fromBinary(data);
        if (table.valid()) {
            assertThat(PartitionTable.fromBinary(table.toBinary()).entries()).isEqualTo(table.entries());
        }
        if (data.length >= OtaData.SECTOR_SIZE + OtaDataEntry.SIZE) {
            OtaData.fromPartition(data).bootSlot(2);
        }
        try {
            PartitionTable.fromCsv(new String(data, StandardCharsets.ISO_8859_1));
        } catch (FirmwareFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "5m")
    void manifest(byte[] data) {
        ManifestVerification v = VERIFIER.verify(new String(data, StandardCharsets.ISO_8859_1), Instant.EPOCH);
        // Random bytes never carry a valid signature by the lab key.
        assertThat(v.isAccepted()).isFalse();
        assertThat(v.reason()).isNotBlank();
        assertThat(v.refusal()).isIn(ManifestRefusal.MALFORMED, ManifestRefusal.ALGORITHM_NOT_ALLOWED,
                ManifestRefusal.WRONG_KEY, ManifestRefusal.BAD_SIGNATURE);
        try {
            Manifest.fromJson(data);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
