package org.secureota.workbench.ui.widget;

import org.secureota.workbench.device.LcdScreen;

/** What one character cell of the display shows, as 8 rows of 5 dots (no JavaFX: tests read it). */
public final class LcdCells {

    private LcdCells() {
    }

    /**
     * The dots of cell ({@code row}, {@code col}): the CGRAM bitmap for codes 0..7, the ROM glyph
     * otherwise. Without reported cells, the text row's character stands in (ASCII only; anything
     * else shows as the controller's blank).
     */
    public static int[] bitmap(LcdScreen screen, int row, int col) {
        int code = code(screen, row, col);
        if (code >= 0 && code < 8) {
            for (LcdScreen.Glyph glyph : screen.glyphs()) {
                if (glyph.code() == code) {
                    int[] rows = new int[8];
                    for (int i = 0; i < Math.min(8, glyph.bitmap().size()); i++) {
                        rows[i] = glyph.bitmap().get(i) & 0x1F;
                    }
                    return rows;
                }
            }
            return new int[8];
        }
        return Hd44780Font.rows(code);
    }

    /** The character code written to the cell. */
    public static int code(LcdScreen screen, int row, int col) {
        if (row < screen.cells().size() && col < screen.cells().get(row).size()) {
            return screen.cells().get(row).get(col);
        }
        if (row < screen.rows().size() && col < screen.rows().get(row).length()) {
            char c = screen.rows().get(row).charAt(col);
            return c >= Hd44780Font.FIRST && c <= Hd44780Font.LAST ? c : ' ';
        }
        return ' ';
    }
}
