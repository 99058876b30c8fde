package org.secureota.workbench.ui.widget;

import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import org.secureota.workbench.device.LcdScreen;

/**
 * The device's 16x2 HD44780 display, drawn dot by dot from the character codes the device wrote:
 * ROM glyphs from {@link Hd44780Font}, codes 0..7 from the CGRAM bitmaps the device reported (so
 * É looks exactly as on the glass). A device that sent no cells yet is drawn from its text rows.
 */
public final class LcdView extends CanvasRegion {

    private static final CssMetaData<LcdView, Color> BACKLIGHT =
            colorMeta("-wb-lcd-backlight", Color.web("#2a56c6"), v -> v.backlight);
    private static final CssMetaData<LcdView, Color> DOT_ON =
            colorMeta("-wb-lcd-dot-on", Color.web("#eef3ff"), v -> v.dotOn);
    private static final CssMetaData<LcdView, Color> DOT_OFF =
            colorMeta("-wb-lcd-dot-off", Color.web("#3562d2"), v -> v.dotOff);
    private static final List<CssMetaData<? extends Styleable, ?>> META = withRegionMeta(List.of(BACKLIGHT, DOT_ON, DOT_OFF));

    /** The glass is 5x8 dots a cell plus one dot of gap, 16x2 cells, and a margin of two dots. */
    private static final double DOTS_X = 16 * 6 - 1 + 4;
    private static final double DOTS_Y = 2 * 9 - 1 + 4;

    private final ObjectProperty<LcdScreen> screen = new SimpleObjectProperty<>(this, "screen", LcdScreen.BLANK);
    private final StyleableObjectProperty<Color> backlight = colorProperty(BACKLIGHT, "backlight", BACKLIGHT.getInitialValue(this));
    private final StyleableObjectProperty<Color> dotOn = colorProperty(DOT_ON, "dotOn", DOT_ON.getInitialValue(this));
    private final StyleableObjectProperty<Color> dotOff = colorProperty(DOT_OFF, "dotOff", DOT_OFF.getInitialValue(this));

    public LcdView() {
        getStyleClass().add("lcd");
        screen.addListener((o, a, b) -> markDirty());
    }

    public ObjectProperty<LcdScreen> screenProperty() {
        return screen;
    }

    public LcdScreen getScreen() {
        return screen.get();
    }

    public void setScreen(LcdScreen value) {
        screen.set(value == null ? LcdScreen.BLANK : value);
    }

    @Override
    protected double computePrefWidth(double height) {
        return DOTS_X * 4 + snappedLeftInset() + snappedRightInset();
    }

    @Override
    protected double computePrefHeight(double width) {
        return DOTS_Y * 4 + snappedTopInset() + snappedBottomInset();
    }

    @Override
    protected void draw(GraphicsContext g, double width, double height) {
        double pitch = Math.min(width / DOTS_X, height / DOTS_Y);
        double x0 = (width - pitch * DOTS_X) / 2 + 2 * pitch;
        double y0 = (height - pitch * DOTS_Y) / 2 + 2 * pitch;
        g.setFill(backlight.get());
        g.fillRoundRect(x0 - 2 * pitch, y0 - 2 * pitch, pitch * DOTS_X, pitch * DOTS_Y, pitch * 2, pitch * 2);
        double dot = pitch * 0.86;
        LcdScreen s = getScreen();
        for (int row = 0; row < LcdScreen.ROWS; row++) {
            for (int col = 0; col < LcdScreen.COLUMNS; col++) {
                int[] bitmap = LcdCells.bitmap(s, row, col);
                double cx = x0 + col * 6 * pitch;
                double cy = y0 + row * 9 * pitch;
                for (int py = 0; py < 8; py++) {
                    for (int px = 0; px < 5; px++) {
                        boolean on = (bitmap[py] >> (4 - px) & 1) != 0;
                        g.setFill(on ? dotOn.get() : dotOff.get());
                        g.fillRect(cx + px * pitch, cy + py * pitch, dot, dot);
                    }
                }
            }
        }
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return META;
    }
}
