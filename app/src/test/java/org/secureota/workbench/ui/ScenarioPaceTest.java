package org.secureota.workbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.scenario.DemoScript;
import org.secureota.workbench.scenario.ReadingPause;
import org.secureota.workbench.scenario.RunMode;
import org.secureota.workbench.scenario.ScenarioRun;
import org.junit.jupiter.api.Tag;

/** Play's pace in the window: the pause after a step and when the endpoint runs at ESP32 speed. No screen. */
@Tag("unit")
class ScenarioPaceTest {

    @Test
    void aPauseIsLongEnoughToReadTheNarrationAndNeverShorterThanTheSetting() {
        assertEquals(Duration.ZERO, ReadingPause.after("a long narration the presenter reads aloud", 0));
        assertEquals(Duration.ofSeconds(3), ReadingPause.after("Short.", 3));
        assertEquals(Duration.ofSeconds(3), ReadingPause.after(null, 3));
        String thirty = "word ".repeat(30);
        assertEquals(Duration.ofSeconds(10), ReadingPause.after(thirty, 3));
        assertEquals(Duration.ofSeconds(12), ReadingPause.after(thirty, 12));
    }

    @Test
    void aPlayedScriptRunsAtEsp32SpeedExceptAtFullSpeedInStepModeOrInASweep() throws Exception {
        DemoScript lifecycle = ScenarioRun.reader().read(Path.of(System.getProperty("workbench.projectRoot", "."), "demo-scripts", "01-lifecycle.yaml"));
        DemoScript sweep = ScenarioRun.reader().read(Path.of(System.getProperty("workbench.projectRoot", "."), "demo-scripts", "03-power-cut-sweep.yaml"));
        assertTrue(ScenarioControl.esp32Speed(lifecycle, RunMode.PLAY, 3));
        assertFalse(ScenarioControl.esp32Speed(lifecycle, RunMode.PLAY, 0), "0 s is full speed");
        assertFalse(ScenarioControl.esp32Speed(lifecycle, RunMode.STEP, 3), "step mode waits for the presenter anyway");
        assertFalse(ScenarioControl.esp32Speed(lifecycle, RunMode.HEADLESS, 3));
        assertFalse(ScenarioControl.esp32Speed(sweep, RunMode.PLAY, 3), "dozens of downloads would outlast the step");
    }

    @Test
    void theWindowPausesByDefaultAndThePaceCanChange() {
        ScenarioViewModel model = new ScenarioViewModel(new I18n(Locale.ENGLISH));
        assertEquals(ScenarioViewModel.DEFAULT_PAUSE_SECONDS, model.pauseSecondsProperty().get());
        assertTrue(model.pauseSecondsProperty().get() > 0);
        model.pauseSecondsProperty().set(0);
        assertEquals(0, model.pauseSecondsProperty().get());
    }

    @Test
    void theStepListShowsEachStepWithItsMarkAndKeepsTheCurrentOneInView() {
        ScenarioViewModel model = new ScenarioViewModel(new I18n(Locale.ENGLISH));
        java.util.List<org.secureota.workbench.scenario.StepSnapshot> steps = java.util.List.of(
                snap(1, org.secureota.workbench.scenario.StepStatus.PASSED, ""),
                snap(2, org.secureota.workbench.scenario.StepStatus.FAILED, ""),
                snap(3, org.secureota.workbench.scenario.StepStatus.RUNNING, "cut 7 at flash operation 70"),
                snap(4, org.secureota.workbench.scenario.StepStatus.PENDING, ""));
        model.apply(new org.secureota.workbench.scenario.RunSnapshot("Sweep", RunMode.PLAY,
                org.secureota.workbench.scenario.Language.EN, org.secureota.workbench.scenario.RunState.RUNNING, 3, steps,
                null, Duration.ofSeconds(5)));
        assertEquals(steps, model.stepSnapshots());
        assertEquals(3, model.shownProperty().get());
        assertEquals("✔  1. deploy 2.0.0", model.row(steps.get(0)));
        assertEquals("✘  2. deploy 2.0.0", model.row(steps.get(1)));
        assertEquals("▶  3. deploy 2.0.0  (cut 7 at flash operation 70)", model.row(steps.get(2)));
        assertEquals("step-passed", ScenarioViewModel.rowStyle(steps.get(0).status()));
        assertEquals("step-failed", ScenarioViewModel.rowStyle(steps.get(1).status()));
        assertEquals("step-current", ScenarioViewModel.rowStyle(steps.get(2).status()));
        assertEquals(null, ScenarioViewModel.rowStyle(steps.get(3).status()));
        model.clear();
        assertTrue(model.stepSnapshots().isEmpty());
    }

    private static org.secureota.workbench.scenario.StepSnapshot snap(int index,
            org.secureota.workbench.scenario.StepStatus status, String progress) {
        return new org.secureota.workbench.scenario.StepSnapshot(index, "deploy 2.0.0", "narration " + index, status,
                progress, java.util.List.of(), null, Duration.ZERO);
    }
}
