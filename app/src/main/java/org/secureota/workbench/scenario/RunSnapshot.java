package org.secureota.workbench.scenario;

import java.time.Duration;
import java.util.List;

/**
 * A run as a GUI, the CLI or a test sees it: immutable, replaced on every change.
 *
 * @param title       the script's title in the run's language
 * @param state       where the run is
 * @param currentStep the step running or waiting (index from 1), 0 before the first and after the last
 * @param steps       every step, in order
 * @param problem     why preparing the lab failed; null otherwise
 * @param elapsed     time since the run started
 */
public record RunSnapshot(String title, RunMode mode, Language language, RunState state, int currentStep,
                          List<StepSnapshot> steps, String problem, Duration elapsed) {

    public RunSnapshot {
        steps = List.copyOf(steps);
    }

    public long passed() {
        return steps.stream().filter(s -> s.status() == StepStatus.PASSED).count();
    }

    public long failed() {
        return steps.stream().filter(s -> s.status() == StepStatus.FAILED).count();
    }
}
