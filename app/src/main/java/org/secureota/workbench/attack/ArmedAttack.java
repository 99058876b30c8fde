package org.secureota.workbench.attack;

import java.time.Instant;

/**
 * An attack as armed: its parameters, what a secure device must show, what arming changed, and the journal
 * position from which a device's attempt is judged.
 *
 * @param armedSeq the sequence number of the {@code attacker.armed} event
 */
public record ArmedAttack(Attack attack, AttackParameters parameters, ExpectedOutcome expected, String description,
                          long armedSeq, Instant armedAt) {

    public String id() {
        return attack.id();
    }
}
