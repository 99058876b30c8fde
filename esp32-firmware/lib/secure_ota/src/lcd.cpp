#include "secure_ota/lcd.h"

namespace secure_ota {
namespace {

struct GlyphDef {
    char32_t ch;
    char fallback;
    GlyphBitmap bitmap;
};

// 5x8 dot bitmaps, drawn to sit on the ROM font's baseline.
const GlyphDef kGlyphs[] = {
    {U'É', 'E', {0b00010, 0b00100, 0b11111, 0b10000, 0b11110, 0b10000, 0b11111, 0b00000}},
    {U'È', 'E', {0b01000, 0b00100, 0b11111, 0b10000, 0b11110, 0b10000, 0b11111, 0b00000}},
    {U'Ê', 'E', {0b00100, 0b01010, 0b11111, 0b10000, 0b11110, 0b10000, 0b11111, 0b00000}},
    {U'À', 'A', {0b01000, 0b00100, 0b01110, 0b10001, 0b11111, 0b10001, 0b10001, 0b00000}},
    {U'Ç', 'C', {0b01110, 0b10001, 0b10000, 0b10000, 0b10001, 0b01110, 0b00100, 0b01100}},
    {U'é', 'e', {0b00010, 0b00100, 0b01110, 0b10001, 0b11111, 0b10000, 0b01110, 0b00000}},
    {U'è', 'e', {0b01000, 0b00100, 0b01110, 0b10001, 0b11111, 0b10000, 0b01110, 0b00000}},
    {U'ê', 'e', {0b00100, 0b01010, 0b01110, 0b10001, 0b11111, 0b10000, 0b01110, 0b00000}},
    {U'à', 'a', {0b01000, 0b00100, 0b01110, 0b00001, 0b01111, 0b10001, 0b01111, 0b00000}},
    {U'ç', 'c', {0b00000, 0b00000, 0b01110, 0b10000, 0b10000, 0b01110, 0b00100, 0b01100}},
    {U'ù', 'u', {0b01000, 0b00100, 0b10001, 0b10001, 0b10001, 0b10011, 0b01101, 0b00000}},
    {U'€', 'E', {0b00110, 0b01001, 0b11100, 0b01000, 0b11100, 0b01001, 0b00110, 0b00000}},
};

// HD44780 ROM A00 matches ASCII from 0x20 to 0x7D except 0x5C (yen sign).
bool rom_has(char32_t ch) { return ch >= 0x20 && ch <= 0x7D && ch != '\\'; }

}  // namespace

std::u32string utf8_decode(const std::string& s) {
    std::u32string out;
    for (size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
        if (extra < 0 || i + extra >= s.size()) {
            out.push_back(U'?');  // invalid lead byte, or a sequence cut by the end of the string
            ++i;
            continue;
        }
        char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
        bool ok = true;
        for (int k = 1; k <= extra; ++k) {
            unsigned char cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) ok = false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        out.push_back(ok ? cp : U'?');
        i += ok ? extra + 1 : 1;
    }
    return out;
}

std::string utf8_encode(char32_t ch) {
    std::string o;
    if (ch < 0x80) {
        o += static_cast<char>(ch);
    } else if (ch < 0x800) {
        o += static_cast<char>(0xC0 | (ch >> 6));
        o += static_cast<char>(0x80 | (ch & 0x3F));
    } else if (ch < 0x10000) {
        o += static_cast<char>(0xE0 | (ch >> 12));
        o += static_cast<char>(0x80 | ((ch >> 6) & 0x3F));
        o += static_cast<char>(0x80 | (ch & 0x3F));
    } else {
        o += static_cast<char>(0xF0 | (ch >> 18));
        o += static_cast<char>(0x80 | ((ch >> 12) & 0x3F));
        o += static_cast<char>(0x80 | ((ch >> 6) & 0x3F));
        o += static_cast<char>(0x80 | (ch & 0x3F));
    }
    return o;
}

bool Lcd::glyph_for(char32_t ch, GlyphBitmap& out) {
    for (const auto& g : kGlyphs)
        if (g.ch == ch) {
            out = g.bitmap;
            return true;
        }
    return false;
}

char Lcd::fallback_for(char32_t ch) {
    for (const auto& g : kGlyphs)
        if (g.ch == ch) return g.fallback;
    return '?';
}

void Lcd::show(const std::string& top, const std::string& bottom) {
    const std::string* lines[kLcdRows] = {&top, &bottom};
    std::array<std::array<uint8_t, kLcdColumns>, kLcdRows> cells{};
    std::vector<LcdGlyph> glyphs;
    for (int r = 0; r < kLcdRows; ++r) {
        std::u32string text = utf8_decode(*lines[r]);
        for (int c = 0; c < kLcdColumns; ++c) {
            char32_t ch = c < static_cast<int>(text.size()) ? text[c] : U' ';
            if (rom_has(ch)) {
                cells[r][c] = static_cast<uint8_t>(ch);
                continue;
            }
            // Glyph slots are handed out per screen in order of first use.
            int code = -1;
            for (const auto& g : glyphs)
                if (g.character == ch) code = g.code;
            GlyphBitmap bm;
            if (code < 0 && glyphs.size() < kLcdGlyphSlots && glyph_for(ch, bm)) {
                code = static_cast<int>(glyphs.size());
                glyphs.push_back({static_cast<uint8_t>(code), ch, bm});
            }
            cells[r][c] = code >= 0 ? static_cast<uint8_t>(code) : static_cast<uint8_t>(fallback_for(ch));
        }
    }
    bool glyphs_changed = glyphs.size() != glyphs_.size();
    for (size_t i = 0; !glyphs_changed && i < glyphs.size(); ++i)
        glyphs_changed = glyphs[i].character != glyphs_[i].character;
    if (!glyphs_changed && cells == cells_) return;
    // CGRAM first: a cell must never show a code whose glyph is still the old one.
    if (glyphs_changed)
        for (const auto& g : glyphs) driver_.define_glyph(g.code, g.bitmap);
    for (int r = 0; r < kLcdRows; ++r)
        if (glyphs_changed || cells[r] != cells_[r]) driver_.write_row(r, cells[r]);
    cells_ = cells;
    glyphs_ = std::move(glyphs);
    if (observer_) observer_(*this);
}

std::string Lcd::row_text(int row) const {
    std::string s;
    for (uint8_t code : cells_[row]) {
        if (code < kLcdGlyphSlots) {
            char32_t ch = U'?';
            for (const auto& g : glyphs_)
                if (g.code == code) ch = g.character;
            s += utf8_encode(ch);
        } else {
            s += static_cast<char>(code);
        }
    }
    return s;
}

}  // namespace secure_ota
