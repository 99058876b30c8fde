package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.scenario.RunMode;
import org.secureota.workbench.scenario.RunSnapshot;
import org.secureota.workbench.scenario.RunState;
import org.secureota.workbench.session.SessionSetup;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.junit.jupiter.api.Tag;

/**
 * A demo script played to its end in the window's runner (TestFX under xvfb-run): the seed's
 * flipped-byte script, in a fresh session the window switches to, on the real parts.
 */
@ExtendWith(ApplicationExtension.class)
@Tag("e2e")
class ScenarioWindowTest {

    @TempDir
    static Path labDir;
    private WorkbenchApp app;
    private final Path root = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();

    @BeforeAll
    static void display() {
        FxSupport.requireDisplay();
    }

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        app = WorkbenchApp.openOn(stage, new GuiOptions(Locale.ENGLISH, false, false, null, new LiveSessionOptions(
                SessionSetup.defaults(new LabFolder(labDir)).withProjectRoot(root), null)));
    }

    /** The scratch lab of the script the test ran, if any: it must be gone once the window closed its lab. */
    private Path scratch;

    @AfterEach
    void closeLab() throws Exception {
        LiveSession live = app.live();
        if (live != null) {
            CompletableFuture.runAsync(live::close).get();
        }
        if (scratch != null) {
            assertThat(scratch).as("no scratch lab left in the temp folder").doesNotExist();
            try (var sessions = java.nio.file.Files.list(labDir.resolve("sessions"))) {
                assertThat(sessions.filter(p -> java.nio.file.Files.isRegularFile(p.resolve("journal.jsonl"))).count())
                        .as("the window's session and the script's, kept in the lab").isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void theFlippedByteScriptPlaysToItsEndAndTheNarrationSaysSo(FxRobot robot) throws Exception {
        MainController c = app.controller();
        waitFor("the lab open", 90_000, () -> c.server().serverStatus.getText().startsWith("running"));
        // The window plays at a watchable pace by default; a test keeps full speed (0 s, no ESP32 throttle).
        assertThat(onFx(() -> c.scenario().model().pauseSecondsProperty().get())).isPositive();
        onFx(() -> {
            c.scenario().model().pauseSecondsProperty().set(0);
            return null;
        });
        CompletableFuture<RunSnapshot> run = onFx(() -> c.scenario().run(root.resolve("demo-scripts/12-flipped-byte.yaml"),
                RunMode.PLAY));
        RunSnapshot result = playToTheEnd(robot, c, run);
        scratch = onFx(() -> app.live().scratch());
        assertThat(scratch).as("the script runs in a scratch lab").isNotNull().isDirectory();
        assertThat(result.state()).as(String.valueOf(result)).isEqualTo(RunState.PASSED);
        waitFor("the narration saying the script passed", 10_000, () ->
                ((Label) c.root.lookup("#scenario-narration")).getText().startsWith("Script passed"));
        assertThat(onFx(() -> java.util.List.copyOf(c.scenario().model().steps()))).allSatisfy(s -> assertThat(s).startsWith("✔"));
        // The step list shows every step with its mark, in presentation mode too (it is not bench chrome).
        javafx.scene.control.ListView<?> list = (javafx.scene.control.ListView<?>) c.root.lookup("#scenario-steps");
        assertThat(onFx(() -> list.getItems().size())).isEqualTo(result.steps().size());
        assertThat(onFx(list::isVisible)).isTrue();
        assertThat(list.getStyleClass()).doesNotContain("chrome");
        // The script ends with the attack disarmed and V2 installed.
        waitFor("the script's device on V2", 30_000, () -> c.devicePanels().containsKey("esp32-lab-01")
                && "2.0.0".equals(c.devicePanels().get("esp32-lab-01").version.getText()));
        assertThat(onFx(() -> c.timeline().model().lanes())).anySatisfy(l ->
                assertThat(l.source()).isEqualTo(org.secureota.workbench.journal.Source.SCENARIO));
    }

    /** Plays {@code script} at full speed (no pause after each step) to its end; returns its result. */
    private RunSnapshot playToEnd(FxRobot robot, MainController c, String script) throws Exception {
        onFx(() -> {
            c.scenario().model().pauseSecondsProperty().set(0);
            return null;
        });
        return playToTheEnd(robot, c, onFx(() -> c.scenario().run(root.resolve(script), RunMode.PLAY)));
    }

    // issue 21: no stale state. After a script with two devices, the next script's timeline has its own device only.
    @Test
    void theNextScriptsTimelineShowsOnlyItsOwnDevices(FxRobot robot) throws Exception {
        MainController c = app.controller();
        waitFor("the lab open", 90_000, () -> c.server().serverStatus.getText().startsWith("running"));
        RunSnapshot first = playToEnd(robot, c, "demo-scripts/27-secure-vs-naive.yaml");
        assertThat(first.state()).as(String.valueOf(first)).isEqualTo(RunState.PASSED);
        waitFor("both devices' lanes", 10_000, () -> deviceLanes(c).containsAll(java.util.List.of("lab-secure", "lab-naive")));

        RunSnapshot second = playToEnd(robot, c, "demo-scripts/12-flipped-byte.yaml");
        scratch = onFx(() -> app.live().scratch());
        assertThat(second.state()).as(String.valueOf(second)).isEqualTo(RunState.PASSED);
        waitFor("the script's device on V2", 30_000, () -> c.devicePanels().containsKey("esp32-lab-01")
                && "2.0.0".equals(c.devicePanels().get("esp32-lab-01").version.getText()));
        assertThat(onFx(() -> deviceLanes(c))).as("the timeline's device lanes").containsExactly("esp32-lab-01");
        assertThat(onFx(() -> java.util.List.copyOf(c.timelinePaneController.deviceFilter.getItems())))
                .as("the device filter").containsExactly("esp32-lab-01");
        assertThat(onFx(() -> java.util.List.copyOf(c.devicePanels().keySet()))).containsExactly("esp32-lab-01");
    }

    private static java.util.List<String> deviceLanes(MainController c) {
        return c.timeline().model().lanes().stream().filter(l -> l.source() == org.secureota.workbench.journal.Source.DEVICE)
                .map(l -> l.deviceId()).sorted().toList();
    }

    // Scenario > Play… over a 1280x720 window: the chooser (not a ChoiceDialog as wide as the longest summary) stays
    // within 60 % of the window, in the window's language; Esc runs nothing.
    @Test
    void playOpensABoundedChooserAndEscRunsNothing(FxRobot robot) throws Exception {
        MainController c = app.controller();
        waitFor("the lab open", 90_000, () -> c.server().serverStatus.getText().startsWith("running"));
        onFx(() -> {
            stage.setWidth(1280);
            stage.setHeight(720);
            app.window().i18n().setLocale(Locale.FRENCH);
            c.playScript();
            return null;
        });
        waitFor("the chooser shown", 10_000, () -> chooser() != null);
        javafx.stage.Window chooser = onFx(ScenarioWindowTest::chooser);
        assertThat(onFx(chooser::getWidth)).as("the chooser's width over a 1280-px window").isLessThanOrEqualTo(1280 * 0.6 + 1);
        assertThat(onFx(() -> ((javafx.stage.Stage) chooser).getTitle())).isEqualTo("Choisir un scénario de démonstration");
        waitFor("the chooser focused", 10_000, chooser::isFocused);
        robot.type(javafx.scene.input.KeyCode.ESCAPE);
        waitFor("the chooser closed", 10_000, () -> !chooser.isShowing());
        assertThat(onFx(() -> c.scenario().runner())).as("Esc runs no script").isNull();
    }

    private static javafx.stage.Window chooser() {
        return javafx.stage.Window.getWindows().stream().filter(w -> w.isShowing() && w.getScene() != null
                && w.getScene().lookup("#script-chooser") != null).findFirst().orElse(null);
    }

    // issue 29: the time-rollback script in the window, as a presenter plays it.
    @Test
    void theTimeRollbackScriptPlaysToItsEndInTheWindow(FxRobot robot) throws Exception {
        MainController c = app.controller();
        waitFor("the lab open", 90_000, () -> c.server().serverStatus.getText().startsWith("running"));
        CompletableFuture<RunSnapshot> run = onFx(() -> c.scenario().run(root.resolve("demo-scripts/22-time-rollback.yaml"),
                RunMode.PLAY));
        RunSnapshot result = playToTheEnd(robot, c, run);
        assertThat(result.state()).as(String.valueOf(result)).isEqualTo(RunState.PASSED);
        // The run's future completes on the runner's thread; the last step's mark reaches the list on the FX thread.
        waitFor("every step marked passed", 10_000, () -> c.scenario().model().steps().stream()
                .allMatch(s -> s.startsWith("✔")));
        waitFor("the script's device on V3", 30_000, () -> c.devicePanels().containsKey("esp32-lab-01")
                && "3.0.0".equals(c.devicePanels().get("esp32-lab-01").version.getText()));
    }

    // The freeze defence in the window: the time-forward script, as a presenter plays it (FREEZE_SUSPECTED, nothing
    // installed, healed once the time is right).
    @Test
    void theTimeForwardScriptPlaysToItsEndInTheWindow(FxRobot robot) throws Exception {
        MainController c = app.controller();
        waitFor("the lab open", 90_000, () -> c.server().serverStatus.getText().startsWith("running"));
        CompletableFuture<RunSnapshot> run = onFx(() -> c.scenario().run(root.resolve("demo-scripts/26-time-forward.yaml"),
                RunMode.PLAY));
        RunSnapshot result = playToTheEnd(robot, c, run);
        assertThat(result.state()).as(String.valueOf(result)).isEqualTo(RunState.PASSED);
        // The run's future completes on the runner's thread; the last step's mark reaches the list on the FX thread.
        waitFor("every step marked passed", 10_000, () -> c.scenario().model().steps().stream()
                .allMatch(s -> s.startsWith("✔")));
        waitFor("the script's device still on V1", 30_000, () -> c.devicePanels().containsKey("esp32-lab-01")
                && "1.0.0".equals(c.devicePanels().get("esp32-lab-01").version.getText()));
    }

    /**
     * Plays {@code run} to its end as a presenter does: play mode stops at the script's pauses and the presenter's
     * "next" (Page Down) moves on. Four minutes at most.
     */
    private static RunSnapshot playToTheEnd(FxRobot robot, MainController c, CompletableFuture<RunSnapshot> run)
            throws Exception {
        long deadline = System.currentTimeMillis() + 240_000;
        while (!run.isDone() && System.currentTimeMillis() < deadline) {
            if (onFx(() -> c.scenario().model().waitingProperty().get())) {
                robot.press(javafx.scene.input.KeyCode.PAGE_DOWN).release(javafx.scene.input.KeyCode.PAGE_DOWN);
            }
            Thread.sleep(200); // not a wait: paces the presenter's Page Down presses
        }
        return run.get(1, TimeUnit.SECONDS);
    }
}
