package org.secureota.workbench.attack;

import java.util.Objects;
import java.util.Set;

/**
 * What a secure device must show when it meets an armed attack.
 *
 * @param verdicts      the verdict codes of docs/telemetry.md that count as resisting (usually one)
 * @param stoppedBy     the device check that stops the attack
 * @param mustNotHappen what must not happen during the attempt
 * @param needsRestart  whether the device must restart (power cycle or reset) before its next check for the
 *                      attack to reach it, and again after disarming (none today: the device asks its time
 *                      source before each check)
 */
public record ExpectedOutcome(Set<String> verdicts, DeviceCheck stoppedBy, Set<Forbidden> mustNotHappen,
                              boolean needsRestart) {

    public ExpectedOutcome {
        verdicts = Set.copyOf(verdicts);
        Objects.requireNonNull(stoppedBy, "stoppedBy");
        mustNotHappen = Set.copyOf(mustNotHappen);
        if (verdicts.isEmpty()) {
            throw new IllegalArgumentException("an expected outcome names at least one verdict");
        }
    }

    static ExpectedOutcome of(String verdict, DeviceCheck check, Forbidden... mustNot) {
        return new ExpectedOutcome(Set.of(verdict), check, Set.of(mustNot), false);
    }
}
