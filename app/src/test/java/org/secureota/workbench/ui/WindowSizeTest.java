package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.scenario.DemoScript;
import org.secureota.workbench.scenario.Language;
import org.secureota.workbench.scenario.RunMode;
import org.secureota.workbench.scenario.RunSnapshot;
import org.secureota.workbench.scenario.ScenarioRun;
import org.secureota.workbench.scenario.StepStatus;
import org.secureota.workbench.session.SessionSetup;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The window at the sizes the issue names (TestFX under xvfb-run, on a live lab with the virtual ESP32):
 * at 1024x700 the device column scrolls only vertically, and the LCD, the status values, the flash map,
 * the buttons and the banner lie wholly inside its viewport's width, in English and French; on stage at
 * 1280x720 with a demo script's narration and step list showing, the outcome banner stays in sight, and
 * the narration follows a language switch made mid-run.
 */
@ExtendWith(ApplicationExtension.class)
@Tag("e2e")
class WindowSizeTest {

    static final String DEVICE = "esp32-lab-01";

    @TempDir
    static Path labDir;
    private WorkbenchApp app;
    private Stage stage;

    @BeforeAll
    static void display() {
        FxSupport.requireDisplay();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Path root = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
        app = WorkbenchApp.openOn(stage, new GuiOptions(Locale.ENGLISH, false, false, null, new LiveSessionOptions(
                SessionSetup.defaults(new LabFolder(labDir)).withProjectRoot(root), DEVICE)));
    }

    @AfterEach
    void closeLab() throws Exception {
        LiveSession live = app.live();
        if (live != null) {
            CompletableFuture.runAsync(live::close).get();
        }
    }

    @Test
    void at1024x700TheDeviceColumnNeverScrollsSideways(FxRobot robot) throws Exception {
        MainController c = app.controller();
        waitFor("the server running and the virtual ESP32 booted on V1", 120_000, () ->
                c.server().serverStatus.getText().startsWith("running") && c.devicePanels().containsKey(DEVICE)
                        && "1.0.0".equals(c.devicePanels().get(DEVICE).version.getText()));
        onFx(() -> {
            stage.setWidth(1024);
            stage.setHeight(700);
            return null;
        });
        waitFor("the window at 1024x700", 10_000, () -> stage.getWidth() == 1024 && stage.getHeight() == 700);
        for (Locale l : List.of(Locale.ENGLISH, Locale.FRENCH)) {
            onFx(() -> {
                app.window().i18n().setLocale(l);
                return null;
            });
            Thread.sleep(500); // not a wait: no state says "laid out again in this language"; pulses run meanwhile
            DevicePanelController device = onFx(() -> c.devicePanels().get(DEVICE));
            assertThat(onFx(() -> c.devicesScroll.getWidth())).as("the device column's width").isLessThan(700);
            assertThat(onFx(() -> StageWindowTest.horizontalBars(c.root).stream().map(StageWindowTest::owner).toList()))
                    .as("horizontal scroll bars at 1024x700 in " + l + "; too wide for the device column: "
                            + onFx(() -> tooWide(device.panel, c.devicesScroll.getViewportBounds().getWidth()))
                            + "; for the server column: " + onFx(() -> tooWide((Parent) ((javafx.scene.control.ScrollPane)
                            c.root.lookup("#serverScroll")).getContent(), ((javafx.scene.control.ScrollPane)
                            c.root.lookup("#serverScroll")).getViewportBounds().getWidth() - 40)))
                    .isEmpty();
            for (Node n : List.of(device.lcd, device.image, device.power, device.flashMap, device.powerCutButton,
                    device.checkButton, device.verdictBox)) {
                assertThat(onFx(() -> withinViewportWidth(c, n))).as(n.getId() + " within the device column's width at"
                        + " 1024x700 (" + l + "): " + onFx(() -> n.localToScene(n.getLayoutBounds()) + " in a viewport of "
                        + c.devicesScroll.localToScene(c.devicesScroll.getLayoutBounds()))).isTrue();
            }
        }
    }

    @Test
    void onStageAtTheScriptsNarrationTheBannerStaysInSightAndTheNarrationFollowsTheLanguage(FxRobot robot)
            throws Exception {
        MainController c = app.controller();
        waitFor("the lab open", 120_000, () -> c.server().serverStatus.getText().startsWith("running"));
        onFx(() -> {
            stage.setWidth(1280);
            stage.setHeight(720);
            c.setPresentation(true);
            return null;
        });
        Path script = root().resolve("demo-scripts/12-flipped-byte.yaml");
        DemoScript parsed = ScenarioRun.reader().read(script);
        CompletableFuture<RunSnapshot> run = onFx(() -> c.scenario().run(script, RunMode.STEP));
        // Step through to the check's outcome (step 3 passed: RESISTED on the banner); step 4 then waits.
        long deadline = System.currentTimeMillis() + 240_000;
        // One read and one "next" on the FX thread together: the model cannot move between them (a waiting step
        // stays waiting until "next"), so the test never steps past step 4.
        while (!run.isDone() && System.currentTimeMillis() < deadline && !onFx(() -> {
            ScenarioViewModel m = c.scenario().model();
            boolean checked = m.stepSnapshots().size() > 3 && m.stepSnapshots().get(2).status() == StepStatus.PASSED;
            if (!checked && m.waitingProperty().get()) {
                c.scenario().next();
            }
            return checked && m.waitingProperty().get();
        })) {
            Thread.sleep(300); // not a wait: paces the presenter's "next"
        }
        assertThat(run.isDone()).as("the run waits at step 4").isFalse();
        try {
            waitFor("the banner saying the attack was resisted", 60_000, () -> c.devicePanels().containsKey(DEVICE)
                    && c.devicePanels().get(DEVICE).outcomeHeadline.getText().equals("RESISTED"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; panels " + onFx(() -> c.devicePanels().keySet()) + ", headline "
                    + onFx(() -> c.devicePanels().values().stream().map(d -> d.outcomeHeadline.getText()).toList())
                    + ", steps " + onFx(() -> List.copyOf(c.scenario().model().steps())), e);
        }
        Label narration = (Label) c.root.lookup("#scenario-narration");
        for (Locale l : List.of(Locale.ENGLISH, Locale.FRENCH, Locale.ENGLISH)) {
            onFx(() -> {
                app.window().i18n().setLocale(l);
                return null;
            });
            String expected = parsed.steps().get(3).narration().in(l == Locale.FRENCH ? Language.FR : Language.EN);
            waitFor("the narration of step 4 in " + l, 10_000, () -> expected.equals(narration.getText()));
            Thread.sleep(500); // not a wait: no state says "laid out again in this language"; pulses run meanwhile
            DevicePanelController device = onFx(() -> c.devicePanels().get(DEVICE));
            assertThat(onFx(() -> StageWindowTest.horizontalBars(c.root).stream().map(StageWindowTest::owner).toList()))
                    .as("horizontal scroll bars on stage with a script in " + l).isEmpty();
            // The script's strip keeps every text whole on stage: the counter ("Étape 4 sur 5 · 3 réussies ·
            // 0 échouée") wraps rather than being cut, the buttons keep their labels.
            List<String> cut = onFx(() -> {
                List<String> out = new ArrayList<>();
                LanguageWalkTest.cut(c.root.lookup("#scenario-panel"), out);
                return out;
            });
            assertThat(cut).as("texts cut short in the scenario strip on stage at 1280x720 (" + l + ")").isEmpty();
            if (l == Locale.FRENCH) {
                List<String> rows = onFx(() -> List.copyOf(c.scenario().model().steps()));
                assertThat(rows).hasSize(parsed.steps().size());
                assertThat(StepRowTextTest.englishWords(rows)).as("English words in the French step list").isEmpty();
            }
            for (Node n : List.of(c.stageDeployButton, c.stageCheckButton, device.verdictBox, device.outcomeHeadline,
                    device.outcomeSentence, device.lcd, narration, c.root.lookup("#scenario-next"))) {
                assertThat(onFx(() -> StageWindowTest.inWindow(n))).as(n.getId() + " in sight on stage at 1280x720 with"
                        + " a script (" + l + "): " + onFx(() -> n.localToScene(n.getLayoutBounds()) + " in a scene of "
                        + n.getScene().getWidth() + "x" + n.getScene().getHeight())).isTrue();
            }
        }
        onFx(() -> {
            c.scenario().stop();
            return null;
        });
        run.handle((r, e) -> null).get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static Path root() {
        return Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    }

    /** Left and right edges of {@code n} inside the device column's visible width (it may scroll vertically). */
    private static boolean withinViewportWidth(MainController c, Node n) {
        if (!n.isVisible() || n.getScene() == null) {
            return false;
        }
        Bounds viewport = c.devicesScroll.localToScene(c.devicesScroll.getLayoutBounds());
        double visibleWidth = c.devicesScroll.getViewportBounds().getWidth();
        Bounds b = n.localToScene(n.getLayoutBounds());
        return b.getWidth() > 0 && b.getMinX() >= viewport.getMinX() - 0.5
                && b.getMaxX() <= viewport.getMinX() + visibleWidth + 2 + 0.5;
    }

    /** The regions under {@code parent} whose minimum width exceeds {@code width}, for the failure message. */
    static List<String> tooWide(Parent parent, double width) {
        List<String> out = new ArrayList<>();
        for (Node n : parent.getChildrenUnmodifiable()) {
            double min = n.minWidth(-1);
            if (min > width) {
                out.add(n.getClass().getSimpleName() + "#" + n.getId() + n.getStyleClass() + " min " + Math.round(min));
            }
            if (n instanceof Parent p && !(n instanceof javafx.scene.control.Control)) {
                out.addAll(tooWide(p, width));
            }
        }
        return out;
    }
}
