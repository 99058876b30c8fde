package org.secureota.workbench.cli;

/** An expectation or a check did not hold: exit code 1. The message says which. */
public class CheckFailedException extends RuntimeException {
    public CheckFailedException(String message) {
        super(message);
    }
}
