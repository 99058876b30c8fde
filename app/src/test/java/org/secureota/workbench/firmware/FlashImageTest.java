package org.secureota.workbench.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class FlashImageTest {

    /** A 4 MB flash with ESP-IDF's two-OTA table, the given otadata and images (null = erased slot). */
    static byte[] flash(OtaData otaData, byte[] factory, byte[] ota0, byte[] ota1) {
        byte[] flash = new byte[FlashImage.SIZE_4MB];
        Arrays.fill(flash, (byte) 0xFF);
        System.arraycopy(PartitionTable.espIdfTwoOta().toBinary(), 0, flash, 0x8000, PartitionTable.BINARY_SIZE);
        System.arraycopy(otaData.toBytes(), 0, flash, 0xD000, OtaData.PARTITION_SIZE);
        put(flash, 0x10000, factory);
        put(flash, 0x110000, ota0);
        put(flash, 0x210000, ota1);
        return flash;
    }

    static void put(byte[] flash, int at, byte[] image) {
        if (image != null) {
            System.arraycopy(image, 0, flash, at, image.length);
        }
    }

    static byte[] corrupt(byte[] image) {
        byte[] copy = image.clone();
        copy[300] ^= 1;
        return copy;
    }

    @Test
    void readsTableOtadataAndEachSlot() {
        OtaData otaData = OtaData.erased().withBootSlot(0, 2, OtaState.VALID);
        FlashImage view = FlashImage.of(flash(otaData, TestImages.small("1.0.0", 0), TestImages.small("1.1.0", 0), null));
        assertThat(view.problems()).isEmpty();
        assertThat(view.table().entries()).isEqualTo(PartitionTable.espIdfTwoOta().entries());
        assertThat(view.otaDataPartition()).contains(otaData);
        assertThat(view.slots()).extracting(AppSlot::summary)
                .containsExactly("1.0.0 valid", "1.1.0 valid", "empty (erased)");
        assertThat(view.slot("ota_1").orElseThrow().erased()).isTrue();
        assertThat(view.bootChoice().target()).isEqualTo("ota_0");
        assertThat(view.bootSlot()).map(s -> s.partition().label()).contains("ota_0");
        assertThatThrownBy(() -> view.slots().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void bootFallsBackLikeTheBootloaderWhenTheChosenImageIsBad() {
        // otadata picks ota_1, which is corrupt: the bootloader tries ota_0, then factory.
        OtaData otaData = OtaData.erased().withBootSlot(0, 2, OtaState.VALID).withBootSlot(1, 2, OtaState.VALID);
        byte[] v1 = TestImages.small("1.0.0", 0);
        byte[] v2 = TestImages.small("2.0.0", 1);
        FlashImage view = FlashImage.of(flash(otaData, TestImages.small("0.1.0", 0), v1, corrupt(v2)));
        assertThat(view.bootChoice().target()).isEqualTo("ota_1");
        assertThat(view.slot("ota_1").orElseThrow().bootable()).isFalse();
        assertThat(view.bootSlot()).map(s -> s.partition().label()).contains("ota_0");

        FlashImage onlyFactory = FlashImage.of(flash(otaData, TestImages.small("0.1.0", 0), corrupt(v1), corrupt(v2)));
        assertThat(onlyFactory.bootSlot()).map(s -> s.partition().label()).contains("factory");

        FlashImage nothing = FlashImage.of(flash(OtaData.erased(), null, null, null));
        assertThat(nothing.bootChoice().target()).isEqualTo("factory");
        assertThat(nothing.bootSlot()).isEmpty();
    }

    @Test
    void anUnconfirmedUpdateIsRolledBack() {
        // ota_1 booted once (PENDING_VERIFY) and never confirmed: next boot goes back to ota_0.
        OtaData otaData = OtaData.erased().withBootSlot(0, 2, OtaState.VALID).withBootSlot(1, 2, OtaState.PENDING_VERIFY);
        FlashImage view = FlashImage.of(flash(otaData, null, TestImages.small("1.0.0", 0), TestImages.small("2.0.0", 1)));
        assertThat(view.bootChoice().target()).isEqualTo("ota_0");
        assertThat(view.bootChoice().otaDataAfter().second().state()).contains(OtaState.ABORTED);
        assertThat(view.bootSlot()).map(AppSlot::version).contains(java.util.Optional.of("1.0.0"));
    }

    @Test
    void damagedTableIsReportedAtItsFlashOffset() {
        byte[] flash = flash(OtaData.erased(), null, null, null);
        flash[0x8000 + 8] ^= 1;
        FlashImage view = FlashImage.of(flash);
        assertThat(view.problems()).extracting(ImageProblem::offset).contains(0x8000L + 6 * 32 + 16);
        assertThatThrownBy(() -> FlashImage.of(new byte[0x1000])).isInstanceOf(FirmwareFormatException.class)
                .hasMessageContaining("too small");
    }
}
