package org.secureota.workbench.ui.widget;

import java.util.List;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * The device's flash drawn to scale: one bar from offset 0 to the end of flash, each region at its
 * offset and size. App slots carry their label, version and otadata state, a marker on the running
 * slot, and the download filling the target slot as it arrives. Regions too narrow for a label
 * are named in the caption below the bar.
 */
public final class FlashMapView extends CanvasRegion {

    private static final CssMetaData<FlashMapView, Color> FREE = colorMeta("-wb-flash-free", Color.web("#d9dde3"), v -> v.free);
    private static final CssMetaData<FlashMapView, Color> SYSTEM = colorMeta("-wb-flash-system", Color.web("#7b8794"), v -> v.system);
    private static final CssMetaData<FlashMapView, Color> DATA = colorMeta("-wb-flash-data", Color.web("#a5b4c4"), v -> v.data);
    private static final CssMetaData<FlashMapView, Color> APP = colorMeta("-wb-flash-app", Color.web("#f1f4f8"), v -> v.app);
    private static final CssMetaData<FlashMapView, Color> TEXT = colorMeta("-wb-flash-text", Color.web("#1d2733"), v -> v.text);
    private static final CssMetaData<FlashMapView, Color> DOWNLOAD = colorMeta("-wb-flash-download", Color.web("#4c8dff"), v -> v.download);
    private static final CssMetaData<FlashMapView, Color> VALID = colorMeta("-wb-state-valid", Color.web("#1f9d55"), v -> v.valid);
    private static final CssMetaData<FlashMapView, Color> PENDING = colorMeta("-wb-state-pending", Color.web("#d98c00"), v -> v.pending);
    private static final CssMetaData<FlashMapView, Color> BAD = colorMeta("-wb-state-bad", Color.web("#d64545"), v -> v.bad);
    private static final CssMetaData<FlashMapView, Color> NEUTRAL = colorMeta("-wb-state-neutral", Color.web("#8a94a0"), v -> v.neutral);
    /** The legend under the bar: its size comes from CSS, so that it stays legible in every theme and on stage. */
    private static final CssMetaData<FlashMapView, Number> LEGEND_SIZE = new CssMetaData<>("-wb-legend-font-size",
            javafx.css.StyleConverter.getSizeConverter(), 13.0) {
        @Override
        public boolean isSettable(FlashMapView node) {
            return !node.legendSize.isBound();
        }

        @Override
        public javafx.css.StyleableProperty<Number> getStyleableProperty(FlashMapView node) {
            return node.legendSize;
        }
    };
    /** The smallest legend drawn, in pixels, whatever CSS says: below it the legend is no longer readable. */
    static final double MIN_LEGEND_SIZE = 12;
    private static final List<CssMetaData<? extends Styleable, ?>> META =
            withRegionMeta(List.of(FREE, SYSTEM, DATA, APP, TEXT, DOWNLOAD, VALID, PENDING, BAD, NEUTRAL, LEGEND_SIZE));

    private final ObjectProperty<FlashMap> map = new SimpleObjectProperty<>(this, "map", FlashMap.EMPTY);
    private final javafx.beans.property.StringProperty brickedText = new javafx.beans.property.SimpleStringProperty(this, "brickedText", "BRICKED: boots a failed image, no rollback");
    private final javafx.beans.property.StringProperty runningText = new javafx.beans.property.SimpleStringProperty(this, "runningText", "running");
    private final javafx.beans.property.StringProperty nextBootText = new javafx.beans.property.SimpleStringProperty(this, "nextBootText", "next boot");
    private final javafx.beans.property.StringProperty flashText = new javafx.beans.property.SimpleStringProperty(this, "flashText", "flash");
    /** Names of otadata states and of the bootloader and table regions in the current language (identity: as ESP-IDF names them). */
    private final ObjectProperty<java.util.function.UnaryOperator<String>> words =
            new SimpleObjectProperty<>(this, "words", java.util.function.UnaryOperator.identity());
    private final List<String> drawn = new java.util.ArrayList<>();
    private final StyleableObjectProperty<Color> free = colorProperty(FREE, "free", FREE.getInitialValue(this));
    private final StyleableObjectProperty<Color> system = colorProperty(SYSTEM, "system", SYSTEM.getInitialValue(this));
    private final StyleableObjectProperty<Color> data = colorProperty(DATA, "data", DATA.getInitialValue(this));
    private final StyleableObjectProperty<Color> app = colorProperty(APP, "app", APP.getInitialValue(this));
    private final StyleableObjectProperty<Color> text = colorProperty(TEXT, "text", TEXT.getInitialValue(this));
    private final StyleableObjectProperty<Color> download = colorProperty(DOWNLOAD, "download", DOWNLOAD.getInitialValue(this));
    private final StyleableObjectProperty<Color> valid = colorProperty(VALID, "valid", VALID.getInitialValue(this));
    private final StyleableObjectProperty<Color> pending = colorProperty(PENDING, "pending", PENDING.getInitialValue(this));
    private final StyleableObjectProperty<Color> bad = colorProperty(BAD, "bad", BAD.getInitialValue(this));
    private final StyleableObjectProperty<Color> neutral = colorProperty(NEUTRAL, "neutral", NEUTRAL.getInitialValue(this));
    private final javafx.css.StyleableDoubleProperty legendSize = new javafx.css.SimpleStyleableDoubleProperty(LEGEND_SIZE,
            this, "legendSize", 13.0);

    public FlashMapView() {
        getStyleClass().add("flash-map");
        map.addListener((o, a, b) -> markDirty());
        runningText.addListener((o, a, b) -> markDirty());
        brickedText.addListener((o, a, b) -> markDirty());
        nextBootText.addListener((o, a, b) -> markDirty());
        flashText.addListener((o, a, b) -> markDirty());
        words.addListener((o, a, b) -> markDirty());
        legendSize.addListener((o, a, b) -> markDirty());
    }

    /** Translates a state ({@code VALID}) or a region label ({@code bootloader}); unknown words come back as they are. */
    public ObjectProperty<java.util.function.UnaryOperator<String>> wordsProperty() {
        return words;
    }

    /** The texts of the last frame, in drawing order (the canvas's words for screen readers and tests). */
    public List<String> drawnTexts() {
        return List.copyOf(drawn);
    }

    private String word(String w) {
        String t = words.get().apply(w);
        return t == null ? w : t;
    }

    /** The legend's font size from CSS ({@code -wb-legend-font-size}), never under {@link #MIN_LEGEND_SIZE}. */
    public double legendFontSize() {
        return legendFontSize(legendSize.get());
    }

    /** The legend's entries: each region too small for a label (system and data), then the flash size. */
    private List<String> legendParts(FlashMap m) {
        List<String> parts = new java.util.ArrayList<>();
        for (FlashMap.Region r : m.regions()) {
            if (r.kind() != FlashMap.Kind.APP) {
                parts.add(word(r.label()) + " " + sizeText(r.size()));
            }
        }
        parts.add(sizeText(m.flashSize()) + " " + flashText.get());
        return parts;
    }

    /** Greedy line breaking of the legend's entries, joined by a middle dot, to {@code width} pixels. */
    static List<String> wrap(List<String> parts, Font font, double width) {
        javafx.scene.text.Text probe = new javafx.scene.text.Text();
        probe.setFont(font);
        List<String> lines = new java.util.ArrayList<>();
        String line = "";
        for (String p : parts) {
            String candidate = line.isEmpty() ? p : line + "  ·  " + p;
            probe.setText(candidate);
            if (!line.isEmpty() && probe.getLayoutBounds().getWidth() > width) {
                lines.add(line);
                line = p;
            } else {
                line = candidate;
            }
        }
        if (!line.isEmpty()) {
            lines.add(line);
        }
        return lines;
    }

    static double legendFontSize(double css) {
        return Math.max(MIN_LEGEND_SIZE, css);
    }

    /** The words the map writes (the panel binds them to the current language). */
    /** The running slot's mark on a bricked board (the panel binds it to the current language). */
    public javafx.beans.property.StringProperty brickedTextProperty() {
        return brickedText;
    }

    public javafx.beans.property.StringProperty runningTextProperty() {
        return runningText;
    }

    public javafx.beans.property.StringProperty nextBootTextProperty() {
        return nextBootText;
    }

    public javafx.beans.property.StringProperty flashTextProperty() {
        return flashText;
    }

    public ObjectProperty<FlashMap> mapProperty() {
        return map;
    }

    public FlashMap getMap() {
        return map.get();
    }

    public void setMap(FlashMap value) {
        map.set(value == null ? FlashMap.EMPTY : value);
    }

    @Override
    protected double computePrefWidth(double height) {
        return 520;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 120;
    }

    @Override
    protected void draw(GraphicsContext g, double width, double height) {
        drawn.clear();
        FlashMap m = getMap();
        double fontSize = Math.max(10, Math.min(26, height * 0.12));
        Font regular = Font.font(fontSize);
        Font bold = Font.font(null, FontWeight.BOLD, fontSize);
        double legend = legendFontSize();
        Font legendFont = Font.font(legend);
        // The legend wraps onto a second line rather than being squeezed (fillText's maxWidth condenses text).
        List<String> legendLines = m.regions().isEmpty() ? List.of() : wrap(legendParts(m), legendFont, width);
        // The bar keeps most of the height: a narrow column first takes the smallest legible size, then
        // shows the lines that fit (the whole legend is in the partition table of the console's status).
        if (legendLines.size() > 1 && legend * (0.4 + 1.25 * legendLines.size()) > height * 0.4) {
            legend = MIN_LEGEND_SIZE;
            legendFont = Font.font(legend);
            legendLines = wrap(legendParts(m), legendFont, width);
            int fit = Math.max(1, (int) Math.floor((height * 0.4 / legend - 0.4) / 1.25));
            legendLines = legendLines.subList(0, Math.min(fit, legendLines.size()));
        }
        double captionHeight = legend * (0.4 + 1.25 * Math.max(1, legendLines.size()));
        double barTop = 2;
        double barHeight = Math.max(10, height - captionHeight - barTop - 2);
        g.setFill(free.get());
        g.fillRect(0, barTop, width, barHeight);
        g.setTextBaseline(VPos.TOP);
        if (m.regions().isEmpty()) {
            return;
        }
        double scale = width / m.flashSize();
        for (FlashMap.Region r : m.regions()) {
            double x = Math.floor(r.offset() * scale);
            double w = Math.max(1, Math.floor((r.offset() + r.size()) * scale) - x);
            g.setFill(switch (r.kind()) {
                case BOOTLOADER, PARTITION_TABLE, OTADATA -> system.get();
                case DATA -> data.get();
                case APP -> app.get();
            });
            g.fillRect(x, barTop, w, barHeight);
            if (r.kind() == FlashMap.Kind.APP) {
                drawSlot(g, r, x, barTop, w, barHeight, regular, bold, fontSize, m.bricked() && r.running());
            }
            g.setStroke(text.get().deriveColor(0, 1, 1, 0.35));
            g.setLineWidth(1);
            g.strokeLine(x + 0.5, barTop, x + 0.5, barTop + barHeight);
        }
        g.setStroke(text.get().deriveColor(0, 1, 1, 0.5));
        g.strokeRect(0.5, barTop + 0.5, width - 1, barHeight - 1);
        g.setFont(legendFont);
        g.setFill(text.get());
        g.setTextAlign(TextAlignment.LEFT);
        for (int i = 0; i < legendLines.size(); i++) {
            g.fillText(legendLines.get(i), 0, barTop + barHeight + legend * (0.3 + 1.25 * i), width);
            drawn.add(legendLines.get(i));
        }
        setAccessibleText(String.join(" | ", drawn));
    }

    private void drawSlot(GraphicsContext g, FlashMap.Region r, double x, double y, double w, double h,
                          Font regular, Font bold, double fontSize, boolean bricked) {
        if (r.downloading()) {
            double filled = w * r.downloaded() / r.size();
            g.setFill(download.get().deriveColor(0, 1, 1, 0.45));
            g.fillRect(x, y, filled, h);
            if (r.imageSize() > 0) {
                double end = x + w * Math.min(1, (double) r.imageSize() / r.size());
                g.setStroke(download.get());
                g.setLineDashes(4, 3);
                g.strokeLine(end, y, end, y + h);
                g.setLineDashes();
            }
        }
        String raw = r.otaState().orElse("");
        String state = raw.isEmpty() ? "" : word(raw);
        Color stateColor = stateColor(raw);
        double stripe = Math.max(4, h * 0.12);
        g.setFill(stateColor);
        g.fillRect(x, y + h - stripe, w, stripe);
        double pad = fontSize * 0.4;
        double line = fontSize * 1.25;
        g.setTextAlign(TextAlignment.LEFT);
        g.setFill(text.get());
        g.setFont(bold);
        String version = r.slot() == null ? "" : r.slot().image().valid() ? "v" + r.slot().image().version() : "—";
        g.fillText(r.label() + "  " + version, x + pad, y + pad, w - 2 * pad);
        drawn.add(r.label() + "  " + version);
        drawn.add(state);
        g.setFont(regular);
        g.setFill(stateColor.darker());
        g.fillText(state.isEmpty() ? "" : state, x + pad, y + pad + line, w - 2 * pad);
        g.setFill(text.get());
        String marks = (r.running() ? "▶ " + runningText.get() + "  " : "") + (r.slot() != null && r.slot().nextBoot() ? "⟳ " + nextBootText.get() : "");
        if (bricked) {
            // The board boots this failed image again and again: the slot says so, framed in the alarm colour.
            marks = "✖ " + brickedText.get();
            g.setStroke(bad.get());
            g.setLineWidth(Math.max(3, fontSize * 0.25));
            g.strokeRect(x + 1.5, y + 1.5, w - 3, h - 3);
            g.setLineWidth(1);
            g.setFill(bad.get().darker());
        }
        if (r.downloading()) {
            marks = String.format(Locale.ROOT, "↓ %s / %s", sizeText(r.downloaded()), sizeText(r.imageSize()));
        }
        if (bricked || y + pad + 3 * line < y + h - stripe) {
            // A small map still says BRICKED: over the state line when the third line does not fit.
            double at = y + pad + 3 * line < y + h - stripe ? 2 * line : line;
            g.fillText(marks, x + pad, y + pad + at, w - 2 * pad);
            drawn.add(marks);
        }
    }

    private Color stateColor(String state) {
        return switch (state) {
            case "VALID" -> valid.get();
            case "NEW", "PENDING_VERIFY" -> pending.get();
            case "INVALID", "ABORTED" -> bad.get();
            default -> neutral.get();
        };
    }

    /** A size with its unit in the current language ({@code KiB}, French {@code Kio}): one unit per language. */
    private String sizeText(long bytes) {
        return sizeText(bytes, this::word);
    }

    /** {@link #size} with its unit translated by {@code words} (a unit it does not know stays as it is). */
    static String sizeText(long bytes, java.util.function.UnaryOperator<String> words) {
        String s = size(bytes);
        int space = s.lastIndexOf(' ');
        String unit = words.apply(s.substring(space + 1));
        return s.substring(0, space + 1) + (unit == null ? s.substring(space + 1) : unit);
    }

    static String size(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 20) {
            return String.format(Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
        }
        if (bytes >= 1024) {
            return (bytes + 512) / 1024 + " KiB";
        }
        return bytes + " B";
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return META;
    }
}
