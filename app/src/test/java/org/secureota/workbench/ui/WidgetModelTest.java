package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.LcdScreen;
import org.secureota.workbench.device.LedPattern;
import org.secureota.workbench.ui.widget.FlashMap;
import org.secureota.workbench.ui.widget.LcdCells;
import org.secureota.workbench.ui.widget.LedBlink;
import org.junit.jupiter.api.Tag;

/** The widgets' models, without a screen: what the LCD, the LED and the flash map draw. */
@Tag("unit")
class WidgetModelTest {

    @Test
    void lcdDrawsTheDevicesCgramGlyphForÉAndTheRomFontForAscii() {
        LcdScreen alert = Telemetry.device(Telemetry.LCD_ALERT).lcd();
        assertThat(LcdCells.code(alert, 0, 8)).isZero();
        assertThat(LcdCells.bitmap(alert, 0, 8)).containsExactly(2, 4, 31, 16, 30, 16, 31, 0);
        // 'A' in the HD44780 ROM: a pointed top, a bar in the middle, open at the bottom.
        assertThat(LcdCells.bitmap(alert, 0, 0)).containsExactly(0b01110, 0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0);
        assertThat(LcdCells.bitmap(alert, 1, 15)).containsOnly(0);
    }

    @Test
    void lcdWithoutReportedCellsFallsBackToTheTextRows() {
        LcdScreen text = new LcdScreen(java.util.List.of("I", " "), java.util.List.of(), java.util.List.of());
        assertThat(LcdCells.code(text, 0, 0)).isEqualTo('I');
        assertThat(LcdCells.bitmap(text, 0, 0)).containsExactly(0b01110, 0b00100, 0b00100, 0b00100, 0b00100, 0b00100, 0b01110, 0);
    }

    @Test
    void ledFollowsBlinkAndStrobePatterns() {
        LedPattern blink = new LedPattern(LedPattern.Mode.BLINK, 1000, 50, 0, 0);
        assertThat(LedBlink.lit(blink, 0)).isTrue();
        assertThat(LedBlink.lit(blink, 499)).isTrue();
        assertThat(LedBlink.lit(blink, 500)).isFalse();
        assertThat(LedBlink.lit(blink, 1499)).isTrue();
        LedPattern strobe = new LedPattern(LedPattern.Mode.STROBE, 1000, 0, 3, 60);
        assertThat(LedBlink.lit(strobe, 10)).isTrue();
        assertThat(LedBlink.lit(strobe, 70)).isFalse();
        assertThat(LedBlink.lit(strobe, 130)).isTrue();
        assertThat(LedBlink.lit(strobe, 250)).isTrue();
        assertThat(LedBlink.lit(strobe, 300)).isFalse();
        assertThat(LedBlink.lit(strobe, 900)).isFalse();
        assertThat(LedBlink.lit(LedPattern.OFF, 0)).isFalse();
        assertThat(LedBlink.animated(blink)).isTrue();
    }

    @Test
    void flashMapPlacesEveryRegionAtItsOffsetAndMarksTheRunningSlot() {
        FlashMap map = FlashMap.of(Telemetry.device(Telemetry.BOOT_V1, Telemetry.PARTITIONS));
        assertThat(map.flashSize()).isEqualTo(4L << 20);
        assertThat(map.regions()).extracting(FlashMap.Region::label)
                .containsExactly("bootloader", "partition table", "nvs", "otadata", "app0", "app1", "spiffs", "factory_data");
        FlashMap.Region app0 = map.regions().get(4);
        assertThat(app0.offset()).isEqualTo(0x10000);
        assertThat(app0.running()).isTrue();
        assertThat(app0.otaState()).contains("VALID");
        assertThat(app0.slot().image().version()).isEqualTo("1.0.0");
        assertThat(map.regions().get(5).running()).isFalse();
        assertThat(map.regions().get(5).downloading()).isFalse();
        assertThat(map.regions().get(3).kind()).isEqualTo(FlashMap.Kind.OTADATA);
    }

    @Test
    void aDownloadFillsTheSlotAfterTheRunningOne() {
        DeviceSnapshot s = Telemetry.device(Telemetry.BOOT_V1, Telemetry.PARTITIONS, Telemetry.DOWNLOAD_HALF);
        FlashMap map = FlashMap.of(s);
        FlashMap.Region app1 = map.regions().get(5);
        assertThat(app1.downloading()).isTrue();
        assertThat(app1.downloaded()).isEqualTo(131072);
        assertThat(app1.imageSize()).isEqualTo(262144);
        assertThat(map.regions().get(4).downloading()).isFalse();
    }

    @Test
    void noPartitionsReportedYetIsAnEmptyMap() {
        assertThat(FlashMap.of(Telemetry.device(Telemetry.BOOT_V1)).regions()).isEmpty();
    }
}
