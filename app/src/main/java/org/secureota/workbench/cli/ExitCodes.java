package org.secureota.workbench.cli;

/** The workbench's exit codes, the same for every command. */
public final class ExitCodes {
    public static final int OK = 0;
    /** An expectation or check failed (a refused update in a scenario that expected success, a bad chain). */
    public static final int CHECK_FAILED = 1;
    /** Bad usage or bad input; the message names what was wrong and what to do. */
    public static final int BAD_INPUT = 2;
    /** A bug in the workbench itself (sysexits' EX_SOFTWARE); the trace is printed. */
    public static final int INTERNAL_ERROR = 70;

    private ExitCodes() {
    }
}
