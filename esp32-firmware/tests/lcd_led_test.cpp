// The LCD model (HD44780 codes, CGRAM glyphs for accents) and LED patterns.
#include <gtest/gtest.h>

#include "secure_ota/lcd.h"
#include "secure_ota/lcd_text.h"
#include "secure_ota/led.h"

using namespace secure_ota;

namespace {
struct RecordingLcd : LcdDriver {
    int glyph_writes = 0, row_writes = 0;
    void define_glyph(uint8_t, const GlyphBitmap&) override { ++glyph_writes; }
    void write_row(int, const std::array<uint8_t, kLcdColumns>&) override { ++row_writes; }
};
}  // namespace

TEST(Lcd, AsciiRowsArePaddedAndCut) {
    NullLcdDriver drv;
    Lcd lcd(drv);
    lcd.show("SHOP-DISPLAY", "a line that is far too long");
    EXPECT_EQ(lcd.row_text(0), "SHOP-DISPLAY    ");
    EXPECT_EQ(lcd.row_text(1), "a line that is f");
    EXPECT_TRUE(lcd.glyphs().empty());
}

TEST(Lcd, AccentedCapitalsUseCgramGlyphs) {
    RecordingLcd drv;
    Lcd lcd(drv);
    lcd.show("ALERTE SÉCURITÉ", "HASH INVALID");
    ASSERT_EQ(lcd.glyphs().size(), 1u) << "one glyph serves both É";
    EXPECT_EQ(lcd.glyphs()[0].character, U'É');
    EXPECT_EQ(lcd.cells(0)[8], 0) << "É is CGRAM code 0";
    EXPECT_EQ(lcd.cells(0)[14], 0);
    EXPECT_EQ(lcd.row_text(0), "ALERTE SÉCURITÉ ");
    EXPECT_EQ(drv.glyph_writes, 1);
    GlyphBitmap e_acute;
    ASSERT_TRUE(Lcd::glyph_for(U'É', e_acute));
    EXPECT_EQ(lcd.glyphs()[0].bitmap, e_acute);
}

TEST(Lcd, ObserverHearsOnlyChanges) {
    RecordingLcd drv;
    Lcd lcd(drv);
    int changes = 0;
    lcd.set_observer([&](const Lcd&) { ++changes; });
    lcd.show("A", "B");
    lcd.show("A", "B");
    lcd.show("A", "C");
    EXPECT_EQ(changes, 2);
    EXPECT_EQ(drv.row_writes, 3) << "two rows, then only the changed one";
}

TEST(Lcd, MoreThanEightAccentsFallBackToAscii) {
    NullLcdDriver drv;
    Lcd lcd(drv);
    lcd.show("ÉÈÊÀÇéèêàç", "");
    EXPECT_EQ(lcd.glyphs().size(), 8u);
    EXPECT_EQ(lcd.row_text(0).substr(lcd.row_text(0).size() - 8), "ac      ") << "9th and 10th fall back";
}

TEST(Lcd, RomGapsAreNotPassedThrough) {
    NullLcdDriver drv;
    Lcd lcd(drv);
    lcd.show("C:\\ ~", "");
    EXPECT_EQ(lcd.cells(0)[2], '?') << "0x5C is a yen sign in ROM A00";
}

TEST(LedPattern, BlinkFollowsPeriodAndDuty) {
    auto p = LedPattern::blink(1000, 25);
    EXPECT_TRUE(p.level_at(0));
    EXPECT_TRUE(p.level_at(249));
    EXPECT_FALSE(p.level_at(250));
    EXPECT_TRUE(p.level_at(1100));
}

TEST(LedPattern, StrobeFlashesThenRests) {
    auto p = LedPattern::strobe(1000, 3, 60);
    int ons = 0;
    bool last = false;
    for (uint32_t t = 0; t < 1000; ++t) {
        bool l = p.level_at(t);
        if (l && !last) ++ons;
        last = l;
    }
    EXPECT_EQ(ons, 3);
    EXPECT_FALSE(p.level_at(500));
}

TEST(Led, ReportsPatternChangesNotToggles) {
    NullLedDriver drv;
    Led led(drv);
    int reports = 0;
    led.set_observer([&](const LedPattern&) { ++reports; });
    led.set(LedPattern::blink(1000, 50));
    for (uint32_t t = 0; t < 5000; t += 10) led.tick(t);
    led.set(LedPattern::blink(1000, 50));
    EXPECT_EQ(reports, 1);
    led.set(LedPattern::blink(500, 50));
    EXPECT_EQ(reports, 2);
}

// The runtime's texts in both LCD languages (lcd_text.h); docs/telemetry.md lists them.
TEST(LcdText, EveryTextInBothLanguagesFitsSixteenColumns) {
    for (LcdText t : {LcdText::FirmwareError, LcdText::SelfTestFailed, LcdText::RollingBack, LcdText::NotProvisioned,
                      LcdText::NoFactoryData, LcdText::Update, LcdText::Checking, LcdText::UpToDate, LcdText::UpdateOk,
                      LcdText::SecurityAlert}) {
        for (LcdLanguage lang : {LcdLanguage::Fr, LcdLanguage::En}) {
            std::string s = lcd_text(t, lang);
            EXPECT_FALSE(s.empty()) << static_cast<int>(t) << " " << to_string(lang);
            EXPECT_LE(utf8_decode(s).size(), static_cast<size_t>(kLcdColumns)) << s;
        }
        EXPECT_STRNE(lcd_text(t, LcdLanguage::Fr), lcd_text(t, LcdLanguage::En)) << static_cast<int>(t);
    }
    EXPECT_STREQ(lcd_text(LcdText::SecurityAlert, LcdLanguage::Fr), "ALERTE S\xC3\x89" "CURIT\xC3\x89");
    EXPECT_STREQ(lcd_text(LcdText::SecurityAlert, LcdLanguage::En), "SECURITY ALERT");
    EXPECT_EQ(lcd_language_from_string("en"), LcdLanguage::En);
    EXPECT_EQ(lcd_language_from_string("fr"), LcdLanguage::Fr);
    EXPECT_FALSE(lcd_language_from_string("EN"));
}
