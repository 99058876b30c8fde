package org.secureota.workbench.cli;

/** Bad usage or bad input: exit code 2, with a message naming what was wrong and what to do. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
