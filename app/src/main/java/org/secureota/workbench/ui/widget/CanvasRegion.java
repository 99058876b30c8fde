package org.secureota.workbench.ui.widget;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import javafx.css.CssMetaData;
import javafx.css.SimpleStyleableObjectProperty;
import javafx.css.StyleConverter;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.css.StyleableProperty;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * A region that paints itself on one {@link Canvas} sized to it. Changes only mark it dirty; the
 * drawing happens in the next layout pass, so any number of changes within one pulse cost one
 * redraw (ChartFx's approach). Colours come from CSS ({@code -wb-...} properties), so the themes
 * decide them and no code carries a colour.
 */
public abstract class CanvasRegion extends Region {

    private final Canvas canvas = new Canvas();
    private boolean dirty = true;
    private long draws;

    protected CanvasRegion() {
        getChildren().add(canvas);
        canvas.setManaged(false);
    }

    /** Asks for a redraw in the next pulse; cheap, and idempotent within a pulse. */
    public final void markDirty() {
        if (!dirty) {
            dirty = true;
            requestLayout();
        }
    }

    /** How many times this widget has drawn itself: tests and benchmarks read it. */
    public final long drawCount() {
        return draws;
    }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth()) - snappedLeftInset() - snappedRightInset();
        double h = snapSizeY(getHeight()) - snappedTopInset() - snappedBottomInset();
        w = Math.max(0, w);
        h = Math.max(0, h);
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            dirty = true;
        }
        canvas.relocate(snappedLeftInset(), snappedTopInset());
        if (dirty) {
            dirty = false;
            draws++;
            GraphicsContext g = canvas.getGraphicsContext2D();
            g.clearRect(0, 0, w, h);
            if (w > 0 && h > 0) {
                draw(g, w, h);
            }
        }
    }

    /** Paints the whole widget; called at most once per pulse. */
    protected abstract void draw(GraphicsContext g, double width, double height);

    protected final Canvas canvas() {
        return canvas;
    }

    /** A colour property settable from CSS that redraws the widget when it changes. */
    protected final StyleableObjectProperty<Color> colorProperty(CssMetaData<? extends Styleable, Color> meta,
                                                                 String name, Color initial) {
        SimpleStyleableObjectProperty<Color> p = new SimpleStyleableObjectProperty<>(meta, this, name, initial);
        p.addListener((o, a, b) -> markDirty());
        return p;
    }

    /** Metadata of one {@code -wb-...} colour of a widget class. */
    protected static <N extends CanvasRegion> CssMetaData<N, Color> colorMeta(
            String cssName, Color initial, Function<N, StyleableObjectProperty<Color>> property) {
        return new CssMetaData<>(cssName, StyleConverter.getColorConverter(), initial) {
            @Override
            public boolean isSettable(N node) {
                return !property.apply(node).isBound();
            }

            @Override
            public StyleableProperty<Color> getStyleableProperty(N node) {
                return property.apply(node);
            }
        };
    }

    /** Region's metadata followed by a widget's own. */
    protected static List<CssMetaData<? extends Styleable, ?>> withRegionMeta(List<CssMetaData<? extends Styleable, ?>> own) {
        List<CssMetaData<? extends Styleable, ?>> all = new ArrayList<>(Region.getClassCssMetaData());
        all.addAll(own);
        return Collections.unmodifiableList(all);
    }
}
