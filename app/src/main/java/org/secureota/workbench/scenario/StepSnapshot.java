package org.secureota.workbench.scenario;

import java.time.Duration;
import java.util.List;

/**
 * One step of a run as the runner last saw it, immutable.
 *
 * @param index        from 1
 * @param action       the action in words (English, for logs and reports)
 * @param narration    what the presenter says, in the run's language
 * @param status       where the step is
 * @param progress     a running count for long steps ({@code cut 7 at flash operation 70}); empty otherwise
 * @param expectations each expectation's last evaluation (empty until evaluated)
 * @param failure      why the step failed, with the device snapshots and the last 10 journal events; null
 * @param elapsed      time the step took, or has taken so far
 * @param spec         the action as the script wrote it, for a window to render in its own language; null when
 *                     only the words are known
 * @param cut          the sweep's last cut as data (the source of {@code progress}); null for other steps
 */
public record StepSnapshot(int index, String action, String narration, StepStatus status, String progress,
                           List<ExpectationResult> expectations, String failure, Duration elapsed,
                           StepAction spec, SweepCut cut) {

    public StepSnapshot {
        expectations = List.copyOf(expectations);
    }

    /** A step known only by its words (reports, tests). */
    public StepSnapshot(int index, String action, String narration, StepStatus status, String progress,
                        List<ExpectationResult> expectations, String failure, Duration elapsed) {
        this(index, action, narration, status, progress, expectations, failure, elapsed, null, null);
    }

    StepSnapshot with(StepStatus newStatus) {
        return new StepSnapshot(index, action, narration, newStatus, progress, expectations, failure, elapsed, spec, cut);
    }
}
