package org.secureota.workbench.scenario;

/** The journal event types the runner writes and reads (moved into journal.EventType on merge). */
final class ScenarioEvents {
    static final String HTTP_REQUEST = "http.request";
    static final String BOARD_POWER_CUT = "board.power_cut";
    static final String DEVICE_BOOT = "device.boot";
    static final String PARTITIONS = "device.partitions";
    static final String BOARD_HALTED = "board.halted";
    static final String APP_STATE = "device.app_state";
    static final String OTA_VERDICT = "ota.verdict";

    static final String STARTED = "scenario.started";
    static final String STEP_STARTED = "scenario.step_started";
    static final String EXPECTATION = "scenario.expectation";
    static final String STEP_PASSED = "scenario.step_passed";
    static final String STEP_FAILED = "scenario.step_failed";
    static final String FINISHED = "scenario.finished";
    static final String SWEEP_CUT = "scenario.sweep_cut";

    private ScenarioEvents() {
    }
}
