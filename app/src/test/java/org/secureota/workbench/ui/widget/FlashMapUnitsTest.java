package org.secureota.workbench.ui.widget;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.ui.I18n;

/** One unit per language: the flash map's sizes use the unit the release list uses (KiB, French Kio). No screen. */
@Tag("unit")
class FlashMapUnitsTest {

    /** The device panel's words for the flash map: {@code flash.word.<word>} of the bundle, else the word itself. */
    private static UnaryOperator<String> words(I18n i18n) {
        return w -> {
            String key = "flash.word." + w.toLowerCase(Locale.ROOT).replace(' ', '_');
            return i18n.has(key) ? i18n.get(key) : w;
        };
    }

    @Test
    void theFlashMapSpeaksTheReleaseListsUnit() {
        I18n fr = new I18n(Locale.FRENCH);
        assertThat(FlashMapView.sizeText(64 * 1024, words(fr))).isEqualTo("64 Kio");
        assertThat(FlashMapView.sizeText(4 << 20, words(fr))).isEqualTo("4 Mio");
        assertThat(FlashMapView.sizeText(3000L << 10, words(fr))).isEqualTo("2.93 Mio");
        assertThat(FlashMapView.sizeText(512, words(fr))).isEqualTo("512 o");
        assertThat(fr.get("server.release", "2.0.0", "x", 1, 1, 64)).endsWith("64 Kio");

        I18n en = new I18n(Locale.ENGLISH);
        assertThat(FlashMapView.sizeText(64 * 1024, words(en))).isEqualTo("64 KiB");
        assertThat(FlashMapView.sizeText(512, words(en))).isEqualTo("512 B");
        assertThat(en.get("server.release", "2.0.0", "x", 1, 1, 64)).endsWith("64 KiB");
    }
}
