package org.secureota.workbench.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Factory data tag 8: {@code lcd_lang}, the language of the LCD's texts, optional (docs/factory-data.md). */
@Tag("unit")
class FactoryDataLcdLangTest {

    @Test
    void absentByDefaultSoTheBytesStayAsBefore() {
        FactoryData plain = FactoryDataDecryptionKeyTest.base();
        assertThat(plain.lcdLanguage()).isNull();
        assertThat(plain.serialize()[6]).isEqualTo((byte) 6);
        assertThat(FactoryData.parse(plain.serialize()).lcdLanguage()).isNull();
    }

    @Test
    void englishIsRecordEightTwoBytesAndRoundTrips() {
        FactoryData en = FactoryDataDecryptionKeyTest.base().withLcdLanguage(LcdLanguage.EN);
        byte[] bytes = en.serialize();
        assertThat(bytes[6]).isEqualTo((byte) 7);
        // The last record: tag 8, length 2, "en".
        ByteBuffer last = ByteBuffer.wrap(bytes, bytes.length - 6, 6).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(last.getShort()).isEqualTo((short) 8);
        assertThat(last.getShort()).isEqualTo((short) 2);
        assertThat(new String(bytes, bytes.length - 2, 2, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("en");
        assertThat(FactoryData.parse(bytes)).isEqualTo(en);
        assertThat(en.withDecryptionKey(FactoryDataDecryptionKeyTest.PRIV).lcdLanguage()).isEqualTo(LcdLanguage.EN);
        assertThat(en.toString()).contains("lcdLanguage=en");
    }

    @Test
    void anUnknownLanguageInAPartitionIsRefusedByName() {
        byte[] bytes = FactoryDataDecryptionKeyTest.base().withLcdLanguage(LcdLanguage.EN).serialize();
        bytes[bytes.length - 2] = 'd';
        bytes[bytes.length - 1] = 'e';
        // Fix the CRC so that only the value is wrong.
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, 0, 12);
        crc.update(bytes, FactoryData.HEADER_SIZE, bytes.length - FactoryData.HEADER_SIZE);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(12, (int) crc.getValue());
        assertThatThrownBy(() -> FactoryData.parse(bytes)).hasMessageContaining("lcd_lang 'de'").hasMessageContaining("fr or en");
    }

    @Test
    void theWindowsLanguageChoosesTheLcdsWhenNothingElseDoes() {
        assertThat(LcdLanguage.forLocale(Locale.FRENCH)).isEqualTo(LcdLanguage.FR);
        assertThat(LcdLanguage.forLocale(Locale.CANADA_FRENCH)).isEqualTo(LcdLanguage.FR);
        assertThat(LcdLanguage.forLocale(Locale.ENGLISH)).isEqualTo(LcdLanguage.EN);
        assertThat(LcdLanguage.forLocale(Locale.GERMAN)).isEqualTo(LcdLanguage.EN);
        assertThat(LcdLanguage.of("fr")).isEqualTo(LcdLanguage.FR);
        assertThatThrownBy(() -> LcdLanguage.of("EN")).hasMessageContaining("use fr or en");
    }
}
