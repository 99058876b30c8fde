package org.secureota.workbench.device;

/** A serial port could not be opened or written; the message says which port, why, and what to do. */
public class DeviceLinkException extends RuntimeException {

    /** Why a port could not be opened, for a window that says it in the reader's language. */
    public enum Problem {
        /** No such port: the board is unplugged, or the path is wrong. */
        MISSING,
        /** The port exists but this user may not open it (on Linux: not in the dialout group). */
        PERMISSION_DENIED,
        /** Another program (or another link of this workbench) reads it already. */
        BUSY,
        /** Anything else; the message has the details. */
        OTHER
    }

    private final Problem problem;

    public DeviceLinkException(String message) {
        this(Problem.OTHER, message);
    }

    public DeviceLinkException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
