package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.scene.Node;
import javafx.scene.control.TableRow;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.session.VirtualDeviceOptions;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The fleet view on a live lab of six virtual ESP32 (TestFX under xvfb-run): above three devices the
 * window lists them in one table and shows one full panel, the selected row's; Deploy then Check all
 * takes all six to V2 and every row says so, as each panel does.
 *
 * <p>{@code -Dfleet.devices=N} runs it with N devices, {@code -Dfleet.window=WxH} in a window of that size,
 * and {@code -Dfleet.screenshot=FILE} grabs the window once all are updated (docs/screenshots/take-screenshots
 * does it with 30 at 1920x1080).
 */
@ExtendWith(ApplicationExtension.class)
@Tag("e2e")
class FleetWindowTest {

    static final int DEVICES = Integer.getInteger("fleet.devices", 6);
    /** The window's size ({@code -Dfleet.window=1920x1080}); 1280x800 by default. */
    static final int WIDTH = Integer.parseInt(System.getProperty("fleet.window", "1280x800").split("x")[0]);
    static final int HEIGHT = Integer.parseInt(System.getProperty("fleet.window", "1280x800").split("x")[1]);

    @TempDir
    static Path labDir;
    private WorkbenchApp app;

    @BeforeAll
    static void display() {
        FxSupport.requireDisplay();
    }

    @Start
    void start(Stage stage) {
        Path root = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
        app = WorkbenchApp.openOn(stage, new GuiOptions(Locale.ENGLISH, false, false, null, new LiveSessionOptions(
                SessionSetup.defaults(new LabFolder(labDir)).withProjectRoot(root), id(1))));
        stage.setX(0);
        stage.setY(0);
        stage.setWidth(WIDTH);
        stage.setHeight(HEIGHT);
    }

    private static String id(int n) {
        return String.format(Locale.ROOT, "esp32-lab-%02d", n);
    }

    @AfterEach
    void closeLab() throws Exception {
        LiveSession live = app.live();
        if (live != null) {
            CompletableFuture.runAsync(live::close).get();
        }
    }

    @Test
    void aFleetOfSixIsOneTableAndTheSelectedDevicesPanel(FxRobot robot) throws Exception {
        MainController c = app.controller();
        FleetController fleet = c.fleet();
        waitFor("the lab up with the first device on V1", 120_000, () -> c.devicePanels().containsKey(id(1))
                && "1.0.0".equals(c.devicePanels().get(id(1)).version.getText()) && !c.server().deployButton.isDisabled());
        assertThat(onFx(() -> fleet.view().isVisible())).as("one device: no table").isFalse();

        LabSession session = app.live().session();
        List<CompletableFuture<?>> made = new ArrayList<>();
        for (int i = 2; i <= DEVICES; i++) {
            made.add(session.createVirtualDevice(id(i), LabSessionDefaults.PRODUCT, VirtualDeviceOptions.factoryFreshV1()));
        }
        CompletableFuture.allOf(made.toArray(CompletableFuture[]::new)).get(300, java.util.concurrent.TimeUnit.SECONDS);
        waitFor(DEVICES + " rows, every device on V1", 180_000, () -> fleet.model().rows().size() == DEVICES
                && fleet.model().rows().stream().allMatch(r -> "1.0.0".equals(r.versionProperty().get())));
        assertThat(onFx(() -> fleet.view().isVisible())).isTrue();
        assertThat(onFx(() -> fleet.title.getText())).isEqualTo("Fleet: " + DEVICES + " devices");
        assertThat(onFx(this::panelsShown)).as("only the selected device's panel").containsExactly(id(1));

        // A click on the fourth row: its panel, and only its panel.
        Node row4 = onFx(() -> rowOf(fleet, id(4)));
        robot.clickOn(row4);
        waitFor("the fourth device's panel shown", 10_000, () -> panelsShown().equals(List.of(id(4))));
        assertThat(onFx(() -> fleet.model().selectedProperty().get())).isEqualTo(id(4));

        // Deploy V2 and check all: every row ends UPDATED on 2.0.0, as the panels say.
        waitFor("the deploy button offering V2", 30_000, () -> !c.server().deployButton.isDisabled()
                && c.server().deployButton.getText().contains("2.0.0"));
        robot.clickOn(c.server().deployButton);
        waitFor("V2 deployed", 30_000, () -> c.server().deployments.getItems().stream().anyMatch(d -> d.contains("2.0.0")));
        onFx(() -> {
            c.checkAll();
            return null;
        });
        waitFor("every row UPDATED on 2.0.0", 300_000, () -> fleet.model().rows().stream().allMatch(r ->
                "UPDATED".equals(r.verdictProperty().get()) && "2.0.0".equals(r.versionProperty().get())
                        && r.kindProperty().get() == OutcomeViewModel.Kind.UPDATED));
        for (int i = 1; i <= DEVICES; i++) {
            String id = id(i);
            DevicePanelController panel = onFx(() -> c.devicePanels().get(id));
            FleetRow row = fleet.model().row(id).orElseThrow();
            assertThat(onFx(() -> row.versionProperty().get())).isEqualTo(onFx(() -> panel.version.getText()));
            assertThat(onFx(() -> row.verdictProperty().get())).isEqualTo(onFx(() -> panel.verdictCode.getText()));
            assertThat(onFx(() -> row.outcomeProperty().get())).isEqualTo(onFx(() -> panel.outcomeHeadline.getText()));
            assertThat(onFx(() -> row.stateProperty().get())).isEqualTo(FleetRow.shortState(onFx(() -> panel.running.getText())))
                    .isEqualTo("app1 VALID");
        }
        assertThat(onFx(this::panelsShown)).containsExactly(id(4));
        String shot = System.getProperty("fleet.screenshot");
        if (shot != null) {
            grab(Path.of(shot));
        }
    }

    /** The window as the X screen shows it (ImageMagick's import), once a few frames have been drawn. */
    private static void grab(Path file) throws Exception {
        CompletableFuture<Void> drawn = new CompletableFuture<>();
        onFx(() -> {
            new javafx.animation.AnimationTimer() {
                private int pulses;

                @Override
                public void handle(long now) {
                    if (++pulses >= 6) {
                        stop();
                        drawn.complete(null);
                    }
                }
            }.start();
            return null;
        });
        drawn.get(30, java.util.concurrent.TimeUnit.SECONDS);
        Process p = new ProcessBuilder("import", "-window", "root", "-crop", WIDTH + "x" + HEIGHT + "+0+0", "+repage", file.toString())
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("import: " + text).isZero();
    }

    private List<String> panelsShown() {
        return app.controller().devicePanels().entrySet().stream()
                .filter(e -> e.getValue().view().isVisible() && e.getValue().view().isManaged())
                .map(java.util.Map.Entry::getKey).toList();
    }

    private static Node rowOf(FleetController fleet, String id) {
        fleet.table.scrollTo(fleet.model().row(id).orElseThrow());
        fleet.table.layout();
        return fleet.table.lookupAll(".table-row-cell").stream()
                .filter(n -> n instanceof TableRow<?> r && r.getItem() instanceof FleetRow f && f.deviceId().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError("no visible row for " + id));
    }
}
