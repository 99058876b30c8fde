package org.secureota.workbench.ui.timeline;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableObjectProperty;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseButton;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.secureota.workbench.ui.widget.CanvasRegion;

/**
 * The swimlane timeline, drawn on one canvas sized to the viewport, at most once per pulse and only
 * when something changed. Events closer than {@link #MERGE_PX} pixels on a lane are one mark (its
 * height grows with the count), so a frame costs the same with 100 or 100,000 events in view.
 * Wheel zooms around the pointer, dragging pans, a click selects the nearest event, and dragging on
 * the time ruler scrubs the cursor; double click follows the live end again.
 */
public final class TimelineView extends CanvasRegion {

    public static final double MERGE_PX = 3;

    private static final CssMetaData<TimelineView, Color> BACKGROUND = colorMeta("-wb-timeline-background", Color.web("#fbfcfd"), v -> v.background);
    private static final CssMetaData<TimelineView, Color> GRID = colorMeta("-wb-timeline-grid", Color.web("#e3e7ec"), v -> v.grid);
    private static final CssMetaData<TimelineView, Color> TEXT = colorMeta("-wb-timeline-text", Color.web("#3b4652"), v -> v.text);
    private static final CssMetaData<TimelineView, Color> CURSOR = colorMeta("-wb-timeline-cursor", Color.web("#e0457b"), v -> v.cursor);
    private static final CssMetaData<TimelineView, Color> SERVER = colorMeta("-wb-lane-server", Color.web("#2f7de1"), v -> v.server);
    private static final CssMetaData<TimelineView, Color> NETWORK = colorMeta("-wb-lane-network", Color.web("#7d5bd6"), v -> v.network);
    private static final CssMetaData<TimelineView, Color> ATTACKER = colorMeta("-wb-lane-attacker", Color.web("#d64545"), v -> v.attacker);
    private static final CssMetaData<TimelineView, Color> DEVICE = colorMeta("-wb-lane-device", Color.web("#1f9d55"), v -> v.device);
    private static final CssMetaData<TimelineView, Color> SCENARIO = colorMeta("-wb-lane-scenario", Color.web("#d98c00"), v -> v.scenario);
    private static final List<CssMetaData<? extends Styleable, ?>> META =
            withRegionMeta(List.of(BACKGROUND, GRID, TEXT, CURSOR, SERVER, NETWORK, ATTACKER, DEVICE, SCENARIO));

    private final StyleableObjectProperty<Color> background = colorProperty(BACKGROUND, "background", BACKGROUND.getInitialValue(this));
    private final StyleableObjectProperty<Color> grid = colorProperty(GRID, "grid", GRID.getInitialValue(this));
    private final StyleableObjectProperty<Color> text = colorProperty(TEXT, "text", TEXT.getInitialValue(this));
    private final StyleableObjectProperty<Color> cursor = colorProperty(CURSOR, "cursor", CURSOR.getInitialValue(this));
    private final StyleableObjectProperty<Color> server = colorProperty(SERVER, "server", SERVER.getInitialValue(this));
    private final StyleableObjectProperty<Color> network = colorProperty(NETWORK, "network", NETWORK.getInitialValue(this));
    private final StyleableObjectProperty<Color> attacker = colorProperty(ATTACKER, "attacker", ATTACKER.getInitialValue(this));
    private final StyleableObjectProperty<Color> device = colorProperty(DEVICE, "device", DEVICE.getInitialValue(this));
    private final StyleableObjectProperty<Color> scenario = colorProperty(SCENARIO, "scenario", SCENARIO.getInitialValue(this));

    private final TimelineModel model;
    private final TimelineViewport viewport = new TimelineViewport();
    private final LongProperty cursorNanos = new SimpleLongProperty(this, "cursorNanos", -1);
    private Consumer<JournalEvent> onSelect = e -> { };
    private JournalEvent selected;
    private double dragX;
    private boolean scrubbing;
    private long lastDrawNanos;

    /** A lane's name in the current language (the source's wire name until the window sets one). */
    private final javafx.beans.property.ObjectProperty<java.util.function.Function<Source, String>> laneNames =
            new javafx.beans.property.SimpleObjectProperty<>(this, "laneNames", Source::wireName);

    public javafx.beans.property.ObjectProperty<java.util.function.Function<Source, String>> laneNamesProperty() {
        return laneNames;
    }

    public TimelineView(TimelineModel model) {
        this.model = model;
        getStyleClass().add("timeline");
        cursorNanos.addListener((o, a, b) -> markDirty());
        laneNames.addListener((o, a, b) -> markDirty());
        setOnScroll(e -> {
            viewport.zoom(e.getDeltaY() > 0 ? 0.8 : 1.25, e.getX() - labelWidth(), plotWidth());
            markDirty();
        });
        setOnMousePressed(e -> {
            dragX = e.getX();
            scrubbing = e.getY() < rulerHeight() || e.isShiftDown();
            if (scrubbing) {
                scrubTo(e.getX());
            }
        });
        setOnMouseDragged(e -> {
            if (scrubbing) {
                scrubTo(e.getX());
            } else {
                viewport.pan(e.getX() - dragX, plotWidth());
                dragX = e.getX();
                markDirty();
            }
        });
        setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                viewport.follow();
                markDirty();
            } else if (e.getButton() == MouseButton.PRIMARY && e.isStillSincePress() && !scrubbing) {
                select(e.getX(), e.getY());
            }
        });
    }

    private void scrubTo(double x) {
        cursorNanos.set(Math.max(0, viewport.timeAt(x - labelWidth(), plotWidth())));
    }

    private void select(double x, double y) {
        int row = (int) ((y - rulerHeight()) / laneHeight());
        List<TimelineModel.Lane> lanes = model.lanes();
        for (int l = 0; l < lanes.size(); l++) {
            if (model.row(l) == row) {
                long t = viewport.timeAt(x - labelWidth(), plotWidth());
                long tolerance = Math.round(6 * viewport.span() / plotWidth());
                model.nearest(l, t, tolerance).ifPresent(ev -> {
                    selected = ev;
                    onSelect.accept(ev);
                    markDirty();
                });
                return;
            }
        }
    }

    public TimelineModel model() {
        return model;
    }

    public TimelineViewport viewport() {
        return viewport;
    }

    /** The scrub cursor (ns since the journal opened), -1 when none; a replay follows it. */
    public LongProperty cursorNanosProperty() {
        return cursorNanos;
    }

    public void setOnSelect(Consumer<JournalEvent> onSelect) {
        this.onSelect = onSelect;
    }

    /** Duration of the last draw in nanoseconds (the benchmark reads it). */
    public long lastDrawNanos() {
        return lastDrawNanos;
    }

    /** Tells the view new events or a new filter arrived; it redraws in the next pulse. */
    public void refresh() {
        markDirty();
    }

    public void fitAll() {
        viewport.fit(model.firstNanos(), model.lastNanos());
        markDirty();
    }

    public void zoom(double factor) {
        viewport.zoom(factor, plotWidth() / 2, plotWidth());
        markDirty();
    }

    public void followLive() {
        viewport.follow();
        markDirty();
    }

    private double fontSize() {
        return Math.max(11, Math.min(20, getHeight() / 14));
    }

    private double labelWidth() {
        return fontSize() * 9;
    }

    private double rulerHeight() {
        return fontSize() * 1.6;
    }

    private double laneHeight() {
        int n = Math.max(1, model.lanes().size());
        return Math.max(fontSize() * 1.4, Math.min(fontSize() * 3, (getHeight() - rulerHeight()) / n));
    }

    private double plotWidth() {
        return Math.max(1, getWidth() - labelWidth());
    }

    @Override
    protected double computePrefHeight(double width) {
        return 180;
    }

    @Override
    protected double computePrefWidth(double height) {
        return 800;
    }

    @Override
    protected void draw(GraphicsContext g, double width, double height) {
        long t0 = System.nanoTime();
        viewport.track(model.firstNanos(), model.lastNanos());
        double fs = fontSize();
        double left = labelWidth();
        double plot = Math.max(1, width - left);
        double ruler = rulerHeight();
        double laneH = laneHeight();
        g.setFill(background.get());
        g.fillRect(0, 0, width, height);
        g.setFont(Font.font(fs * 0.85));
        g.setTextBaseline(VPos.CENTER);
        drawRuler(g, left, plot, ruler, height, fs);
        List<TimelineModel.Lane> lanes = model.lanes();
        List<String> names = new java.util.ArrayList<>();
        for (int l = 0; l < lanes.size(); l++) {
            double y = ruler + model.row(l) * laneH;
            g.setStroke(grid.get());
            g.strokeLine(0, y + laneH - 0.5, width, y + laneH - 0.5);
            g.setFill(color(lanes.get(l).source()));
            g.fillRect(0, y + 2, 4, laneH - 4);
            g.setFill(text.get());
            g.setTextAlign(TextAlignment.LEFT);
            TimelineModel.Lane lane = lanes.get(l);
            String name = lane.deviceId() != null ? lane.deviceId() : laneNames.get().apply(lane.source());
            g.fillText(name, 8, y + laneH / 2, left - 12);
            names.add(name);
        }
        // The lane names, for screen readers and the language tests (the canvas has no text nodes).
        setAccessibleText(String.join(" | ", names));
        g.save();
        g.beginPath();
        g.rect(left, ruler, plot, height - ruler);
        g.clip();
        List<TimelineModel.Mark> marks = model.reduce(viewport.from(), viewport.to(), plot, MERGE_PX);
        for (TimelineModel.Mark m : marks) {
            double y = ruler + model.row(m.lane()) * laneH;
            double h = Math.min(laneH - 4, laneH * (0.35 + 0.15 * Math.log10(m.count())));
            g.setFill(color(lanes.get(m.lane()).source()));
            g.fillRect(left + m.x() - 1, y + (laneH - h) / 2, Math.max(2.5, m.width() + 2.5), h);
        }
        // Zoomed in, a lone event with room before its neighbour is named beside its bar.
        double charWidth = fs * 0.85 * 0.6;
        g.setFill(text.get());
        g.setTextAlign(TextAlignment.LEFT);
        for (int i : labelled(marks, plot, charWidth, m -> markLabel(model.event(m.first())))) {
            TimelineModel.Mark m = marks.get(i);
            double y = ruler + model.row(m.lane()) * laneH;
            g.fillText(markLabel(model.event(m.first())), left + m.x() + m.width() + 4, y + laneH / 2);
        }
        if (selected != null) {
            double x = left + viewport.xOf(selected.monotonicNanos(), plot);
            g.setStroke(text.get());
            g.setLineWidth(2);
            g.strokeLine(x, ruler, x, height);
            g.setLineWidth(1);
        }
        long c = cursorNanos.get();
        if (c >= 0) {
            double x = left + viewport.xOf(c, plot);
            g.setStroke(cursor.get());
            g.setLineWidth(2);
            g.strokeLine(x, 0, x, height);
            g.setLineWidth(1);
        }
        g.restore();
        lastDrawNanos = System.nanoTime() - t0;
    }

    private void drawRuler(GraphicsContext g, double left, double plot, double ruler, double height, double fs) {
        long span = viewport.span();
        long step = niceStep(Math.round(span / Math.max(1, plot / (fs * 7))));
        long first = Math.floorDiv(viewport.from(), step) * step;
        g.setTextAlign(TextAlignment.CENTER);
        for (long t = first; t <= viewport.to(); t += step) {
            double x = left + viewport.xOf(t, plot);
            if (x < left) {
                continue;
            }
            g.setStroke(grid.get());
            g.strokeLine(x, ruler, x, height);
            g.setFill(text.get());
            g.fillText(label(t, step), x, ruler / 2);
        }
        g.setStroke(text.get().deriveColor(0, 1, 1, 0.4));
        g.strokeLine(left, ruler - 0.5, left + plot, ruler - 0.5);
    }

    /**
     * The words beside a lone event's bar: its type without the source's prefix, and a verdict's code;
     * none when the event could not be read back from its journal (a session the window has left).
     */
    static String markLabel(JournalEvent e) {
        if (e == null) {
            return "";
        }
        String type = e.type();
        int dot = type.indexOf('.');
        String word = dot >= 0 && dot < type.length() - 1 ? type.substring(dot + 1) : type;
        Object code = e.fields().get("code");
        return code == null ? word : word + " " + code;
    }

    /**
     * Which marks get a label: a single event (not a merged run) whose label fits between its bar and the
     * next mark of its lane, inside the plot. Zoomed out, nothing has room and no label is drawn.
     */
    static List<Integer> labelled(List<TimelineModel.Mark> marks, double plot, double charWidth,
                                  java.util.function.Function<TimelineModel.Mark, String> label) {
        java.util.Map<Integer, List<Integer>> byLane = new java.util.TreeMap<>();
        for (int i = 0; i < marks.size(); i++) {
            byLane.computeIfAbsent(marks.get(i).lane(), k -> new java.util.ArrayList<>()).add(i);
        }
        List<Integer> out = new java.util.ArrayList<>();
        for (List<Integer> lane : byLane.values()) {
            lane.sort(java.util.Comparator.comparingDouble(i -> marks.get(i).x()));
            for (int k = 0; k < lane.size(); k++) {
                TimelineModel.Mark m = marks.get(lane.get(k));
                if (m.count() != 1) {
                    continue;
                }
                double start = m.x() + m.width() + 4;
                double end = start + label.apply(m).length() * charWidth + 4;
                double next = k + 1 < lane.size() ? marks.get(lane.get(k + 1)).x() : plot;
                if (end <= next && end <= plot) {
                    out.add(lane.get(k));
                }
            }
        }
        return out;
    }

    static long niceStep(long raw) {
        long step = 1_000_000L;
        long[] mult = {1, 2, 5};
        while (true) {
            for (long m : mult) {
                if (step * m >= raw) {
                    return step * m;
                }
            }
            step *= 10;
        }
    }

    static String label(long nanos, long step) {
        double s = nanos / 1e9;
        if (step >= 60_000_000_000L) {
            return String.format(Locale.ROOT, "%d:%02d", (long) s / 60, (long) s % 60);
        }
        if (step >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.0f s", s);
        }
        if (step >= 100_000_000L) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        return String.format(Locale.ROOT, "%.3f s", s);
    }

    private Color color(Source source) {
        return switch (source) {
            case SERVER, WORKBENCH -> server.get();
            case NETWORK -> network.get();
            case ATTACKER -> attacker.get();
            case DEVICE -> device.get();
            case SCENARIO -> scenario.get();
        };
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return META;
    }
}
