package org.secureota.workbench.attack;

/** An attack could not be armed, disarmed or found; the message says what was wrong and what to do. */
public final class AttackException extends RuntimeException {

    public AttackException(String message) {
        super(message);
    }

    public AttackException(String message, Throwable cause) {
        super(message, cause);
    }
}
