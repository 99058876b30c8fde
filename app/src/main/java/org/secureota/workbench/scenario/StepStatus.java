package org.secureota.workbench.scenario;

/** Where one step of a run is. */
public enum StepStatus {
    PENDING, WAITING_FOR_NEXT, RUNNING, PAUSED, PASSED, FAILED, SKIPPED;

    public boolean finished() {
        return this == PASSED || this == FAILED || this == SKIPPED;
    }
}
