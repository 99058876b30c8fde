package org.secureota.workbench.scenario;

/** Where a whole run is. */
public enum RunState {
    NOT_STARTED, PREPARING, RUNNING, PASSED, FAILED, STOPPED;

    public boolean finished() {
        return this == PASSED || this == FAILED || this == STOPPED;
    }
}
