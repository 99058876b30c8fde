package org.secureota.workbench.scenario;

import java.time.Duration;
import java.util.List;

/**
 * One step of a run as the runner last saw it, immutable.
 *
 * @param index        from 1
 * @param action       the action in words
 * @param narration    what the presenter says, in the run's language
 * @param status       where the step is
 * @param progress     a running count for long steps ({@code cut 7 at flash operation 70}); empty otherwise
 * @param expectations each expectation's last evaluation (empty until evaluated)
 * @param failure      why the step failed, with the device snapshots and the last 10 journal events; null
 * @param elapsed      time the step took, or has taken so far
 */
public record StepSnapshot(int index, String action, String narration, StepStatus status, String progress,
                           List<ExpectationResult> expectations, String failure, Duration elapsed) {

    public StepSnapshot {
        expectations = List.copyOf(expectations);
    }

    StepSnapshot with(StepStatus newStatus) {
        return new StepSnapshot(index, action, narration, newStatus, progress, expectations, failure, elapsed);
    }
}
