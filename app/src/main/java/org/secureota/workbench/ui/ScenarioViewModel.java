package org.secureota.workbench.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.secureota.workbench.scenario.ExpectationResult;
import org.secureota.workbench.scenario.RunSnapshot;
import org.secureota.workbench.scenario.RunState;
import org.secureota.workbench.scenario.StepSnapshot;
import org.secureota.workbench.scenario.StepStatus;

/**
 * What the scenario runner panel shows of a run: the title, the current step's narration (large),
 * every step with its pass or fail mark, and for a failed expectation what was expected and what was
 * seen. Fed with the runner's snapshots, at most one per pulse; no screen needed.
 */
public final class ScenarioViewModel {

    /** A played script in the window waits this long after a step by default (longer for a long narration). */
    static final int DEFAULT_PAUSE_SECONDS = 3;

    private final I18n i18n;
    private final StringProperty title = new SimpleStringProperty(this, "title", "");
    private final StringProperty narration = new SimpleStringProperty(this, "narration", "");
    private final StringProperty position = new SimpleStringProperty(this, "position", "");
    private final StringProperty failure = new SimpleStringProperty(this, "failure", "");
    private final BooleanProperty active = new SimpleBooleanProperty(this, "active");
    private final BooleanProperty waiting = new SimpleBooleanProperty(this, "waiting");
    private final ObservableList<String> steps = FXCollections.observableArrayList();
    /** The runner's step snapshots, for the step list (a row and a mark each, see {@link #row}). */
    private final ObservableList<StepSnapshot> stepSnapshots = FXCollections.observableArrayList();
    /** The step to keep in view in the list: the current one, or the last that ran (from 1; 0 none). */
    private final IntegerProperty shown = new SimpleIntegerProperty(this, "shown");
    /** Play mode's reading pause: at least this many seconds after each step; 0 runs at full speed. */
    private final IntegerProperty pauseSeconds = new SimpleIntegerProperty(this, "pauseSeconds", DEFAULT_PAUSE_SECONDS);
    /** The pause as an object property, for a spinner's value (held here: a bidirectional binding holds it weakly). */
    private final javafx.beans.property.ObjectProperty<Integer> pauseSecondsValue = pauseSeconds.asObject();
    private RunSnapshot last;

    public ScenarioViewModel(I18n i18n) {
        this.i18n = i18n;
        i18n.localeProperty().addListener((o, a, b) -> {
            if (last != null) {
                apply(last);
            }
        });
    }

    /** FX thread. */
    public void apply(RunSnapshot r) {
        last = r;
        active.set(true);
        title.set(r.title());
        StepSnapshot current = r.currentStep() >= 1 && r.currentStep() <= r.steps().size()
                ? r.steps().get(r.currentStep() - 1) : null;
        if (r.state() == RunState.PREPARING || r.state() == RunState.NOT_STARTED) {
            narration.set(i18n.get("scenario.preparing"));
        } else if (r.state().finished()) {
            narration.set(i18n.get("scenario.finished." + r.state().name().toLowerCase(java.util.Locale.ROOT),
                    r.passed(), r.steps().size()) + (r.problem() == null ? "" : "\n" + r.problem()));
        } else if (current != null) {
            narration.set(current.narration());
        }
        position.set(i18n.get("scenario.position", shownStep(r), r.steps().size(), r.passed(), r.failed()));
        waiting.set(current != null && (current.status() == StepStatus.WAITING_FOR_NEXT || current.status() == StepStatus.PAUSED));
        List<String> rows = new ArrayList<>();
        StringBuilder failed = new StringBuilder();
        for (StepSnapshot s : r.steps()) {
            rows.add(row(s));
            if (s.status() == StepStatus.FAILED) {
                for (ExpectationResult e : s.expectations()) {
                    if (!e.held()) {
                        failed.append(i18n.get("scenario.expectationFailed", s.index(), ExpectationText.description(e, i18n),
                                        ExpectationText.expected(e, i18n), e.seen()))
                                .append('\n');
                    }
                }
                if (failed.length() == 0 && s.failure() != null) {
                    failed.append(s.index()).append(". ").append(s.failure().lines().findFirst().orElse("")).append('\n');
                }
            }
        }
        steps.setAll(rows);
        stepSnapshots.setAll(r.steps());
        shown.set(shownStep(r));
        failure.set(failed.toString().trim());
    }

    /**
     * The step the counter names: the current one while running; once finished, the last step that ran
     * (a run that passed ends on "Step N of N", not on "Step 0").
     */
    static int shownStep(RunSnapshot r) {
        if (!r.state().finished() && r.currentStep() >= 1) {
            return r.currentStep();
        }
        int reached = 0;
        for (StepSnapshot s : r.steps()) {
            if (s.status() != StepStatus.PENDING) {
                reached = Math.max(reached, s.index());
            }
        }
        return Math.max(reached, Math.max(0, r.currentStep()));
    }

    /**
     * One line of the step list in the window's language: the mark, the number, the action and a long step's
     * running count, rendered from the step's structure ({@link StepRowText}).
     */
    String row(StepSnapshot s) {
        String progress = StepRowText.progress(s, i18n);
        return mark(s.status()) + "  " + s.index() + ". " + StepRowText.action(s, i18n)
                + (progress.isEmpty() ? "" : "  (" + progress + ")");
    }

    /** The style class of a step's row: passed green, failed red, running highlighted; null for the rest. */
    static String rowStyle(StepStatus status) {
        return switch (status) {
            case PASSED -> "step-passed";
            case FAILED -> "step-failed";
            case RUNNING, WAITING_FOR_NEXT, PAUSED -> "step-current";
            case SKIPPED, PENDING -> null;
        };
    }

    static String mark(StepStatus status) {
        return switch (status) {
            case PASSED -> "✔";
            case FAILED -> "✘";
            case RUNNING -> "▶";
            // Not U+23F8 (⏸): the window's fonts have no glyph for it and it showed as an empty box.
            case WAITING_FOR_NEXT, PAUSED -> "‖";
            case SKIPPED -> "–";
            case PENDING -> "·";
        };
    }

    public void clear() {
        last = null;
        active.set(false);
        steps.clear();
        stepSnapshots.clear();
        shown.set(0);
        title.set("");
        narration.set("");
        failure.set("");
        position.set("");
    }

    public StringProperty titleProperty() {
        return title;
    }

    public StringProperty narrationProperty() {
        return narration;
    }

    public StringProperty positionProperty() {
        return position;
    }

    public StringProperty failureProperty() {
        return failure;
    }

    public BooleanProperty activeProperty() {
        return active;
    }

    public BooleanProperty waitingProperty() {
        return waiting;
    }

    public ObservableList<String> steps() {
        return steps;
    }

    public ObservableList<StepSnapshot> stepSnapshots() {
        return stepSnapshots;
    }

    public IntegerProperty shownProperty() {
        return shown;
    }

    public IntegerProperty pauseSecondsProperty() {
        return pauseSeconds;
    }

    /** The pause for a spinner's value, bound both ways to {@link #pauseSecondsProperty()}. */
    public javafx.beans.property.ObjectProperty<Integer> pauseSecondsValue() {
        return pauseSecondsValue;
    }

    /**
     * The row the step list should scroll to so that the shown step and the one before stay in view; -1 none.
     */
    static int scrollTarget(int shownStep) {
        return shownStep >= 1 ? Math.max(0, shownStep - 2) : -1;
    }

    public RunSnapshot last() {
        return last;
    }
}
