package org.secureota.workbench.scenario;

/** How a script runs. */
public enum RunMode {
    /** Each step waits for {@link ScenarioRunner#next()}: a presenter or a student drives. */
    STEP,
    /** Steps run one after another; a {@code pause} step waits for {@link ScenarioRunner#next()}. */
    PLAY,
    /** Nothing waits for a person: pauses pass at once. For CI, graders and rehearsals. */
    HEADLESS
}
