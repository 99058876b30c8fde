package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Prerequisites;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.session.SessionSetup;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Secure and naive side by side in the window (TestFX under xvfb-run), on the real session and firmware:
 * Lab > Add a virtual device makes a naive device next to the secure one; its panel carries the loud
 * badge, the secure one none, and the two stand in one row. The rogue server is armed and one Check now
 * sends both to it at once: each banner shows its own outcome (the secure device refuses the handshake,
 * the naive one installs the impostor's image), and presentation mode keeps both panels and the badge.
 */
@ExtendWith(ApplicationExtension.class)
@Tag("e2e")
class SideBySideWindowTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    static final String SECURE = "esp32-lab-01";
    static final String NAIVE = "esp32-lab-02";

    static final int WIDTH = 1280;
    static final int HEIGHT = 800;

    @TempDir
    static Path labDir;
    private WorkbenchApp app;

    @BeforeAll
    static void display() {
        FxSupport.requireDisplay();
        Path naiveImage = ROOT.resolve(VirtualEsp32.IMAGES).resolve(FirmwareVariant.NAIVE.imagePath("v1_base"));
        Prerequisites.require(Files.isRegularFile(naiveImage), "the naive factory image " + naiveImage
                + ": run mvn package or esp32-firmware/host-build.sh");
    }

    @Start
    void start(Stage stage) {
        stage.setX(0);
        stage.setY(0);
        stage.setWidth(WIDTH);
        stage.setHeight(HEIGHT);
        app = WorkbenchApp.openOn(stage, new GuiOptions(Locale.ENGLISH, false, false, null, new LiveSessionOptions(
                SessionSetup.defaults(new LabFolder(labDir)).withProjectRoot(ROOT), SECURE)));
    }

    @AfterEach
    void closeLab() throws Exception {
        LiveSession live = app.live();
        if (live != null) {
            CompletableFuture.runAsync(live::close).get();
        }
    }

    @Test
    void aSecureAndANaiveDeviceMeetTheRogueServerAtOnce(FxRobot robot) throws Exception {
        MainController c = app.controller();
        waitFor("the secure device booted on V1", 90_000, () -> c.devicePanels().containsKey(SECURE)
                && "1.0.0".equals(c.devicePanels().get(SECURE).version.getText()));

        // Lab > Add a virtual device…, as a presenter fills it in.
        AddDeviceDialog dialog = onFx(() -> {
            AddDeviceViewModel model = new AddDeviceViewModel(app.window().i18n(), app.live()::deviceIds,
                    app.live()::addVirtualDevice, javafx.application.Platform::runLater);
            AddDeviceDialog d = AddDeviceDialog.load(model, app.window().i18n());
            d.show(c.root.getScene().getWindow(), app.window().i18n());
            return d;
        });
        TextField id = robot.lookup("#deviceId").queryAs(TextField.class);
        assertThat(onFx(() -> id.getText())).isEqualTo(NAIVE);
        @SuppressWarnings("unchecked")
        ComboBox<FirmwareVariant> chooser = robot.lookup("#variant").queryAs(ComboBox.class);
        onFx(() -> {
            chooser.setValue(FirmwareVariant.NAIVE);
            return null;
        });
        robot.clickOn(robot.from(dialog.root()).lookup("#add").queryAs(javafx.scene.control.Button.class));
        waitFor("the naive device booted on V1", 120_000, () -> c.devicePanels().containsKey(NAIVE)
                && "1.0.0".equals(c.devicePanels().get(NAIVE).version.getText()));
        onFx(() -> {
            dialog.close();
            return null;
        });

        DevicePanelController secure = onFx(() -> c.devicePanels().get(SECURE));
        DevicePanelController naive = onFx(() -> c.devicePanels().get(NAIVE));
        waitFor("the naive panel's badge", 10_000, () -> naive.variantBadge.isVisible());
        assertThat(onFx(() -> naive.variantBadge.getText())).isEqualTo("WEAKENED FIRMWARE NAIVE (lab only): lacks every check");
        assertThat(onFx(() -> secure.variantBadge.isVisible())).as("the secure panel carries no badge").isFalse();
        assertThat(onFx(c::devicesSideBySide)).as("the two panels in one row").isTrue();
        assertThat(onFx(() -> naive.view().getLayoutY() == secure.view().getLayoutY()
                && naive.view().getLayoutX() > secure.view().getLayoutX())).as("side by side, secure first").isTrue();
        waitFor("the naive LCD saying what it lacks", 30_000, () -> naive.lcd.getScreen().describe().contains("NAIVE"));

        // V2 deployed, then the rogue server armed: one Check now sends both devices to it.
        waitFor("the deploy button offering V2", 30_000, () -> !c.server().deployButton.isDisabled()
                && c.server().deployButton.getText().contains("2.0.0"));
        robot.clickOn(c.server().deployButton);
        waitFor("V2 deployed", 30_000, () -> c.server().deployments.getItems().stream().anyMatch(d -> d.contains("2.0.0")));
        AttackCardModel rogue = onFx(() -> c.attacker().card("rogue-server").orElseThrow());
        waitFor("the attacker ready", 30_000, () -> rogue.availableProperty().get());
        onFx(() -> {
            c.revealAttack("rogue-server");
            return null;
        });
        robot.clickOn(robot.lookup("#arm-rogue-server").queryAs(javafx.scene.control.ToggleButton.class));
        waitFor("rogue-server armed", 30_000, () -> rogue.armedProperty().get());
        onFx(() -> {
            c.checkAll();
            return null;
        });

        waitFor("both verdicts", 180_000, () -> "TLS_CERT_UNTRUSTED".equals(secure.verdictCode.getText())
                && "UPDATED".equals(naive.verdictCode.getText()));
        waitFor("both banners judged", 60_000, () -> secure.model().outcome().kindProperty().get() == OutcomeViewModel.Kind.RESISTED
                && naive.model().outcome().kindProperty().get() == OutcomeViewModel.Kind.NOT_RESISTED);
        assertThat(onFx(() -> secure.version.getText())).as("the secure device stays on V1").isEqualTo("1.0.0");
        assertThat(onFx(() -> secure.verdictBox.getStyleClass())).contains("outcome-good");
        assertThat(onFx(() -> naive.verdictBox.getStyleClass())).contains("outcome-bad");
        System.out.printf(Locale.ROOT, "side by side: secure '%s' / naive '%s'%n",
                onFx(() -> secure.outcomeHeadline.getText()), onFx(() -> naive.outcomeHeadline.getText()));
        assertThat(onFx(() -> naive.outcomeHeadline.getText())).isNotEqualTo(onFx(() -> secure.outcomeHeadline.getText()));
        // The naive board now runs the build the impostor served (the store's secure-profile V2): its badge follows
        // the firmware it runs, and goes; the board keeps its place beside the secure one.
        waitFor("the naive device running the impostor's V2", 120_000, () -> "2.0.0".equals(naive.version.getText()));
        waitFor("the badge gone with the naive firmware", 30_000, () -> !naive.variantBadge.isVisible());
        assertThat(onFx(c::devicesSideBySide)).as("still side by side").isTrue();
        assertThat(onFx(() -> naive.model().outcome().kindProperty().get()))
                .as("it runs what the impostor chose").isEqualTo(OutcomeViewModel.Kind.NOT_RESISTED);

        // Presentation mode keeps both panels, side by side.
        onFx(() -> {
            c.setPresentation(true);
            return null;
        });
        waitFor("presentation mode laid out", 10_000, () -> c.presentation() && naive.view().isVisible()
                && secure.view().isVisible() && c.devicesSideBySide());
        // docs/screenshots/take-screenshots passes -Dscreenshots.dir: the presenter's view, then the bench's.
        String shots = System.getProperty("screenshots.dir");
        if (shots != null) {
            onFx(() -> grabAfterPulses(Path.of(shots).resolve("side-by-side-presentation.png"), 6)).get();
            onFx(() -> {
                c.setPresentation(false);
                return null;
            });
            onFx(() -> grabAfterPulses(Path.of(shots).resolve("side-by-side.png"), 6)).get();
        }
    }

    /** Grabs the X screen (the window's corner) a few pulses from now, freezing that frame until the grab is done. */
    static CompletableFuture<Void> grabAfterPulses(Path file, int pulses) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        new javafx.animation.AnimationTimer() {
            private int seen;

            @Override
            public void handle(long now) {
                if (++seen >= pulses) {
                    stop();
                    try {
                        Process p = new ProcessBuilder("import", "-window", "root", "-crop", WIDTH + "x" + HEIGHT + "+0+0",
                                "+repage", file.toString()).redirectErrorStream(true).start();
                        String text = new String(p.getInputStream().readAllBytes());
                        if (p.waitFor() != 0) {
                            throw new IllegalStateException("import failed: " + text);
                        }
                        done.complete(null);
                    } catch (Exception e) {
                        done.completeExceptionally(e);
                    }
                }
            }
        }.start();
        return done;
    }
}
