package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.scenario.RunMode;
import org.secureota.workbench.scenario.RunSnapshot;
import org.secureota.workbench.session.SessionSetup;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.junit.jupiter.api.Tag;

/**
 * The power-cut sweep played in the window (TestFX under xvfb-run): the device panel, the step list and
 * the timeline keep up with the cuts (each pulse shows the newest snapshot), nothing stays frozen on the
 * first cut. The test watches the first sweep for a while, then stops the script.
 */
@ExtendWith(ApplicationExtension.class)
@Tag("e2e")
class SweepWindowTest {

    @TempDir
    static Path labDir;
    private WorkbenchApp app;
    private final Path root = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();

    @BeforeAll
    static void display() {
        FxSupport.requireDisplay();
    }

    @Start
    void start(Stage stage) {
        app = WorkbenchApp.openOn(stage, new GuiOptions(Locale.ENGLISH, false, false, null, new LiveSessionOptions(
                SessionSetup.defaults(new LabFolder(labDir)).withProjectRoot(root), null)));
    }

    @AfterEach
    void closeLab() throws Exception {
        MainController c = app.controller();
        if (c.scenario() != null) {
            c.scenario().stop();
        }
        LiveSession live = app.live();
        if (live != null) {
            CompletableFuture.runAsync(live::close).get();
        }
    }

    @Test
    void theDevicePanelAndTheStepListFollowTheCuts() throws Exception {
        MainController c = app.controller();
        waitFor("the lab open", 90_000, () -> c.server().serverStatus.getText().startsWith("running"));
        onFx(() -> {
            c.scenario().model().pauseSecondsProperty().set(0);
            return null;
        });
        CompletableFuture<RunSnapshot> run = onFx(() -> c.scenario().run(
                root.resolve("demo-scripts/03-power-cut-sweep.yaml"), RunMode.PLAY));
        waitFor("the sweep's device panel", 90_000, () -> c.devicePanels().containsKey("sweep-before"));
        Set<String> power = new LinkedHashSet<>();
        Set<String> steps = new LinkedHashSet<>();
        long last = onFx(() -> c.timeline().model().lastNanos());
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && !run.isDone() && (power.size() < 6 || steps.size() < 6
                || steps.stream().noneMatch(x -> cutNumber(x) >= 5))) {
            onFx(() -> {
                DevicePanelController p = c.devicePanels().get("sweep-before");
                if (p != null) {
                    power.add(p.power.getText());
                }
                javafx.scene.control.ListView<?> list = (javafx.scene.control.ListView<?>) c.root.lookup("#scenario-steps");
                if (list != null && list.getItems().size() > 1) {
                    steps.add(c.scenario().model().row((org.secureota.workbench.scenario.StepSnapshot) list.getItems().get(1)));
                }
                return null;
            });
            Thread.sleep(100); // not a wait: samples what the window shows, ten times a second
        }
        // Every cut arms the next one ("cut armed at 7/before"), and the step's row counts the cuts.
        assertThat(power).as("the power line follows the cuts: " + power).hasSizeGreaterThanOrEqualTo(6);
        assertThat(steps).as("the step list counts the cuts: " + steps).hasSizeGreaterThanOrEqualTo(6);
        // Sampled ten times a second, a quiet machine's cuts may pass between two samples: any cut from the fifth on.
        assertThat(steps).anySatisfy(s -> assertThat(cutNumber(s)).isGreaterThanOrEqualTo(5));
        assertThat(onFx(() -> c.timeline().model().lastNanos())).as("the timeline takes the sweep's events").isGreaterThan(last);
        c.scenario().stop();
        run.get(30, TimeUnit.SECONDS);
    }

    /** The cut number a sweep step's row shows ("cut 9 at flash operation 9: ..."), or -1. */
    private static int cutNumber(String row) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("cut (\\d+) at flash operation").matcher(row);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
