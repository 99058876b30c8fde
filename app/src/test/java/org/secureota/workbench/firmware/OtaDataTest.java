package org.secureota.workbench.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class OtaDataTest {

    @Test
    void crcGoldenVectors() {
        assertThat(OtaDataEntry.crcOf(1)).isEqualTo(0x4743989AL);
        assertThat(OtaDataEntry.crcOf(2)).isEqualTo(0x55F63774L);
        assertThat(OtaDataEntry.crcOf(3)).isEqualTo(0xED4A5011L);
    }

    @Test
    void entryLayoutIsByteExact() {
        byte[] bytes = OtaDataEntry.of(2, OtaState.NEW).toBytes();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes).hasSize(32);
        assertThat(b.getInt(0)).isEqualTo(2);
        for (int i = 4; i < 24; i++) {
            assertThat(bytes[i]).isEqualTo((byte) 0xFF);
        }
        assertThat(b.getInt(24)).isZero();
        assertThat(Integer.toUnsignedLong(b.getInt(28))).isEqualTo(0x55F63774L);
    }

    @Test
    void partitionRoundTripAndSectors() {
        OtaData data = new OtaData(OtaDataEntry.of(3, OtaState.VALID), OtaDataEntry.of(2, OtaState.ABORTED));
        byte[] bytes = data.toBytes();
        assertThat(bytes).hasSize(0x2000);
        assertThat(Arrays.copyOfRange(bytes, 0x1000, 0x1020)).isEqualTo(OtaDataEntry.of(2, OtaState.ABORTED).toBytes());
        assertThat(bytes[0x20]).isEqualTo((byte) 0xFF);
        assertThat(OtaData.fromPartition(bytes)).isEqualTo(data);
        assertThat(OtaData.fromPartition(bytes).toBytes()).isEqualTo(bytes);
        assertThat(OtaData.erased().first().isErased()).isTrue();
    }

    @Test
    void validityFollowsTheBootloader() {
        assertThat(OtaDataEntry.erased().isValid()).isFalse();
        assertThat(OtaDataEntry.of(1, OtaState.NEW).isValid()).isTrue();
        assertThat(OtaDataEntry.of(1, OtaState.UNDEFINED).isValid()).isTrue();
        assertThat(OtaDataEntry.of(1, OtaState.PENDING_VERIFY).isValid()).isTrue();
        assertThat(OtaDataEntry.of(1, OtaState.INVALID).isValid()).isFalse();
        assertThat(OtaDataEntry.of(1, OtaState.ABORTED).isValid()).isFalse();
        OtaDataEntry badCrc = new OtaDataEntry(1, OtaDataEntry.of(1, OtaState.VALID).seqLabel(), 2, 0x12345678L);
        assertThat(badCrc.isValid()).isFalse();
        assertThat(badCrc.whyInvalid()).hasValueSatisfying(s -> assertThat(s).contains("0x4743989a"));
    }

    @Test
    void activeEntryAndBootSlot() {
        OtaData none = OtaData.erased();
        assertThat(none.activeIndex()).isEmpty();
        assertThat(none.bootSlot(2)).isEmpty();

        OtaData two = new OtaData(OtaDataEntry.of(1, OtaState.VALID), OtaDataEntry.of(2, OtaState.NEW));
        assertThat(two.activeIndex()).hasValue(1);
        assertThat(two.bootSlot(2)).hasValue(1);

        OtaData three = two.withEntry(0, OtaDataEntry.of(3, OtaState.VALID));
        assertThat(three.activeIndex()).hasValue(0);
        assertThat(three.bootSlot(2)).hasValue(0);

        // A newer entry that the app marked INVALID no longer counts: back to the older one.
        OtaData rolledBack = two.withEntry(1, OtaDataEntry.of(2, OtaState.INVALID));
        assertThat(rolledBack.activeIndex()).hasValue(0);
        assertThat(rolledBack.bootSlot(2)).hasValue(0);

        // Equal seqs: entry 0 wins, as in bootloader_common_select_otadata.
        OtaData tie = new OtaData(OtaDataEntry.of(5, OtaState.VALID), OtaDataEntry.of(5, OtaState.VALID));
        assertThat(tie.activeIndex()).hasValue(0);
        // u32 arithmetic: seq 0 gives (0 - 1) mod 2^32 = 0xFFFFFFFF, odd, so slot 1 of 2.
        assertThat(new OtaData(OtaDataEntry.of(0, OtaState.VALID), OtaDataEntry.erased()).bootSlot(2)).hasValue(1);
    }

    @Test
    void setBootPartitionWritesTheNextSeqInTheInactiveSector() {
        OtaData data = OtaData.erased().withBootSlot(0, 2, OtaState.NEW);
        assertThat(data.first().seq()).isEqualTo(1);
        assertThat(data.bootSlot(2)).hasValue(0);

        data = data.withBootSlot(1, 2, OtaState.NEW);
        assertThat(data.second().seq()).isEqualTo(2);
        assertThat(data.first().seq()).isEqualTo(1);
        assertThat(data.bootSlot(2)).hasValue(1);

        data = data.withBootSlot(0, 2, OtaState.NEW);
        assertThat(data.first().seq()).isEqualTo(3);
        assertThat(data.bootSlot(2)).hasValue(0);

        // Four slots, running ota_1 (seq 2), switching to ota_3: seq 4.
        OtaData four = new OtaData(OtaDataEntry.of(2, OtaState.VALID), OtaDataEntry.erased()).withBootSlot(3, 4, OtaState.NEW);
        assertThat(four.second().seq()).isEqualTo(4);
        assertThat(four.bootSlot(4)).hasValue(3);
    }

    @Test
    void bootloaderRollbackRules() {
        // A new update: NEW becomes PENDING_VERIFY and boots.
        OtaData updated = new OtaData(OtaDataEntry.of(1, OtaState.VALID), OtaDataEntry.of(2, OtaState.NEW));
        BootChoice first = updated.selectForBoot(2, true);
        assertThat(first.target()).isEqualTo("ota_1");
        assertThat(first.otaDataAfter().second().state()).contains(OtaState.PENDING_VERIFY);

        // Rebooted without confirming: ABORTED, back to ota_0.
        BootChoice second = first.otaDataAfter().selectForBoot(2, true);
        assertThat(second.otaDataAfter().second().state()).contains(OtaState.ABORTED);
        assertThat(second.target()).isEqualTo("ota_0");
        assertThat(second.reason()).contains("PENDING_VERIFY", "ABORTED");

        // Nothing valid: factory if present, else ota_0.
        assertThat(OtaData.erased().selectForBoot(2, true).target()).isEqualTo("factory");
        assertThat(OtaData.erased().selectForBoot(2, false).target()).isEqualTo("ota_0");
    }
}
