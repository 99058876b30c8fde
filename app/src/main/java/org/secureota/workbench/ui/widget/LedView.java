package org.secureota.workbench.ui.widget;

import java.util.List;
import javafx.animation.AnimationTimer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.paint.CycleMethod;
import javafx.scene.paint.RadialGradient;
import javafx.scene.paint.Stop;
import org.secureota.workbench.device.LedPattern;

/**
 * The device's status LED, blinking at the pattern the device reported. Only a blinking LED runs a
 * pulse timer, and it redraws only when the LED actually turns on or off.
 */
public final class LedView extends CanvasRegion {

    private static final CssMetaData<LedView, Color> LIT = colorMeta("-wb-led-lit", Color.web("#ff3b30"), v -> v.litColor);
    private static final CssMetaData<LedView, Color> DARK = colorMeta("-wb-led-dark", Color.web("#4a1512"), v -> v.darkColor);
    private static final List<CssMetaData<? extends Styleable, ?>> META = withRegionMeta(List.of(LIT, DARK));

    private final ObjectProperty<LedPattern> pattern = new SimpleObjectProperty<>(this, "pattern", LedPattern.OFF);
    private final ReadOnlyBooleanWrapper lit = new ReadOnlyBooleanWrapper(this, "lit");
    private final StyleableObjectProperty<Color> litColor = colorProperty(LIT, "litColor", LIT.getInitialValue(this));
    private final StyleableObjectProperty<Color> darkColor = colorProperty(DARK, "darkColor", DARK.getInitialValue(this));
    private long patternSince = System.nanoTime();
    private final AnimationTimer blinker = new AnimationTimer() {
        @Override
        public void handle(long now) {
            update(now);
        }
    };

    public LedView() {
        getStyleClass().add("led");
        pattern.addListener((o, a, b) -> {
            patternSince = System.nanoTime();
            update(patternSince);
            if (LedBlink.animated(b)) {
                blinker.start();
            } else {
                blinker.stop();
            }
        });
        lit.addListener((o, a, b) -> markDirty());
        sceneProperty().addListener((o, a, b) -> {
            if (b == null) {
                blinker.stop();
            } else if (LedBlink.animated(getPattern())) {
                blinker.start();
            }
        });
    }

    private void update(long now) {
        lit.set(LedBlink.lit(getPattern(), (now - patternSince) / 1_000_000));
    }

    public ObjectProperty<LedPattern> patternProperty() {
        return pattern;
    }

    public LedPattern getPattern() {
        return pattern.get();
    }

    public void setPattern(LedPattern value) {
        pattern.set(value == null ? LedPattern.OFF : value);
    }

    public ReadOnlyBooleanProperty litProperty() {
        return lit.getReadOnlyProperty();
    }

    @Override
    protected double computePrefWidth(double height) {
        return 28;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 28;
    }

    @Override
    protected void draw(GraphicsContext g, double width, double height) {
        double d = Math.min(width, height) - 4;
        double x = (width - d) / 2;
        double y = (height - d) / 2;
        Color base = lit.get() ? litColor.get() : darkColor.get();
        if (lit.get()) {
            g.setFill(new RadialGradient(0, 0, width / 2, height / 2, d * 0.75, false, CycleMethod.NO_CYCLE,
                    new Stop(0, base.deriveColor(0, 1, 1, 0.55)), new Stop(1, Color.TRANSPARENT)));
            g.fillOval(x - d * 0.25, y - d * 0.25, d * 1.5, d * 1.5);
        }
        g.setFill(new RadialGradient(0, 0, x + d * 0.35, y + d * 0.35, d * 0.7, false, CycleMethod.NO_CYCLE,
                new Stop(0, base.brighter()), new Stop(1, base)));
        g.fillOval(x, y, d, d);
        g.setStroke(base.darker());
        g.strokeOval(x, y, d, d);
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return META;
    }
}
