package org.secureota.workbench.session;

/** A lab session could not open, or an action on it failed; the message says what and what to do. */
public class LabSessionException extends RuntimeException {
    public LabSessionException(String message) {
        super(message);
    }

    public LabSessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
