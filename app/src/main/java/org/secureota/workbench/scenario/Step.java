package org.secureota.workbench.scenario;

import java.time.Duration;
import java.util.List;

/**
 * One step of a script: an action, what the presenter says, how long it may take, and what must
 * hold afterwards. A step passes when its action completed and every expectation held within
 * {@code timeout}.
 */
public record Step(int index, StepAction action, LocalizedText narration, Duration timeout,
                   List<Expectation> expectations, ScriptPosition position) {

    public Step {
        expectations = List.copyOf(expectations);
    }
}
