package org.secureota.workbench.session;

/** Where a lab session is in its life. */
public enum SessionState {
    OPENING, OPEN, CLOSING, CLOSED
}
