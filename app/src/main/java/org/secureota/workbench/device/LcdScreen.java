package org.secureota.workbench.device;

import java.util.List;

/**
 * What the device's 16x2 HD44780 display shows (docs/telemetry.md, {@code lcd}): the text as a
 * person reads the glass, the character codes actually written, and the custom glyphs in use, so
 * a renderer can draw exactly what the real display shows.
 *
 * @param rows  two rows of text, custom glyphs rendered as the character they depict
 * @param cells two rows of HD44780 character codes (0..7 are CGRAM glyphs)
 * @param glyphs the CGRAM glyphs the device reported
 */
public record LcdScreen(List<String> rows, List<List<Integer>> cells, List<Glyph> glyphs) {

    public static final int COLUMNS = 16;
    public static final int ROWS = 2;

    /** A blank display, before the device has drawn anything. */
    public static final LcdScreen BLANK = new LcdScreen(
            List.of(" ".repeat(COLUMNS), " ".repeat(COLUMNS)), List.of(), List.of());

    /**
     * One CGRAM glyph.
     *
     * @param code      its character code, 0..7
     * @param character the character it depicts ({@code É})
     * @param bitmap    8 pixel rows, top first, low 5 bits, bit 4 = leftmost pixel
     */
    public record Glyph(int code, String character, List<Integer> bitmap) {
        public Glyph {
            bitmap = List.copyOf(bitmap);
        }
    }

    public LcdScreen {
        rows = List.copyOf(rows);
        cells = cells.stream().map(List::copyOf).toList();
        glyphs = List.copyOf(glyphs);
    }

    public String row(int index) {
        return rows.get(index);
    }

    /** Both rows framed, as the CLI and logs show the glass: {@code |SHOP DISPLAY    |v1.0.0          |}. */
    public String describe() {
        return "|" + String.join("|", rows) + "|";
    }
}
