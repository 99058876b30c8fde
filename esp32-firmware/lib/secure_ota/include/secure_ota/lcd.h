// The 16x2 HD44780 character LCD as the apps see it. The apps write UTF-8 lines; this model
// maps them to the controller's character codes, defining CGRAM glyphs (codes 0-7) for the
// accented letters the ROM lacks, so "ALERTE SÉCURITÉ" shows a real É on the glass. The
// driver puts codes on the real display (PCF8574 backpack) or nowhere (host); observers
// (telemetry) hear of every change on both boards.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace secure_ota {

constexpr int kLcdColumns = 16;
constexpr int kLcdRows = 2;
constexpr int kLcdGlyphSlots = 8;  // HD44780 CGRAM: 8 user characters of 5x8 dots

using GlyphBitmap = std::array<uint8_t, 8>;  // 8 rows, low 5 bits = pixels, MSB left

struct LcdGlyph {
    uint8_t code;        // 0..7
    char32_t character;  // what it depicts, e.g. U+00C9 É
    GlyphBitmap bitmap;
};

class LcdDriver {
public:
    virtual ~LcdDriver() = default;
    virtual void define_glyph(uint8_t code, const GlyphBitmap& bitmap) = 0;
    virtual void write_row(int row, const std::array<uint8_t, kLcdColumns>& codes) = 0;
};

class NullLcdDriver : public LcdDriver {
public:
    void define_glyph(uint8_t, const GlyphBitmap&) override {}
    void write_row(int, const std::array<uint8_t, kLcdColumns>&) override {}
};

class Lcd {
public:
    using Observer = std::function<void(const Lcd&)>;

    explicit Lcd(LcdDriver& driver) : driver_(driver) {
        for (auto& r : cells_) r.fill(' ');
    }
    void set_observer(Observer o) { observer_ = std::move(o); }

    // Shows two lines (UTF-8; cut or space-padded to 16 columns). Observers are told only
    // when a cell or a glyph actually changed.
    void show(const std::string& top, const std::string& bottom);

    const std::array<uint8_t, kLcdColumns>& cells(int row) const { return cells_[row]; }
    // The row as a reader sees it: CGRAM codes rendered as the character they depict.
    std::string row_text(int row) const;
    const std::vector<LcdGlyph>& glyphs() const { return glyphs_; }

    // A 5x8 bitmap for characters the HD44780 ROM (A00) lacks; false when we have none.
    static bool glyph_for(char32_t ch, GlyphBitmap& out);
    // ASCII stand-in when no glyph slot is left: É -> E.
    static char fallback_for(char32_t ch);

private:
    LcdDriver& driver_;
    Observer observer_;
    std::array<std::array<uint8_t, kLcdColumns>, kLcdRows> cells_{};
    std::vector<LcdGlyph> glyphs_;
};

// UTF-8 <-> code points, for the LCD and telemetry.
std::u32string utf8_decode(const std::string& s);
std::string utf8_encode(char32_t ch);

}  // namespace secure_ota
