package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.scene.control.ToggleButton;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.session.SessionSetup;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.junit.jupiter.api.Tag;

/**
 * Takes the README's screenshots from a live lab: {@code docs/screenshots/take-screenshots} runs it
 * under Xvfb (it is not part of the normal test run). Each picture is the X screen as
 * {@code import -window root} grabs it, so it shows exactly what a presenter sees.
 */
@ExtendWith(ApplicationExtension.class)
@Tag("e2e")
class ScreenshotTour {

    static {
        // Xvfb has no GPU: the software pipeline renders what the screen shows.
        System.setProperty("prism.order", "sw");
    }

    static final String DEVICE = "esp32-lab-01";

    @TempDir
    static Path labDir;
    private static Path out;
    private WorkbenchApp app;
    private Stage stage;

    @BeforeAll
    static void display() throws Exception {
        FxSupport.requireDisplay();
        out = Path.of(System.getProperty("screenshots.dir",
                Path.of(System.getProperty("workbench.projectRoot", "."), "docs", "screenshots").toString()));
        Files.createDirectories(out);
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        Path root = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
        app = WorkbenchApp.openOn(stage, new GuiOptions(Locale.ENGLISH, false, false, null, new LiveSessionOptions(
                SessionSetup.defaults(new LabFolder(labDir)).withProjectRoot(root), DEVICE)));
        place(1280, 800);
    }

    private void place(double w, double h) {
        grabWidth = (int) w;
        grabHeight = (int) h;
        stage.setX(0);
        stage.setY(0);
        stage.setWidth(w);
        stage.setHeight(h);
    }

    @AfterEach
    void closeLab() throws Exception {
        CompletableFuture.runAsync(app.live()::close).get();
    }

    /** The window's size: each grab is cropped to it (the X screen may be larger). */
    private static volatile int grabWidth = 1280;
    private static volatile int grabHeight = 800;

    /** Grabs the X screen; called on the FX thread it freezes the frame being shown until the grab is done. */
    static void grab(String name) {
        try {
            Process p = new ProcessBuilder("import", "-window", "root", "-crop", grabWidth + "x" + grabHeight + "+0+0",
                    "+repage", out.resolve(name).toString())
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("import failed: " + text);
            }
        } catch (Exception e) {
            throw new IllegalStateException("screenshot " + name + " failed (is ImageMagick installed?)", e);
        }
    }

    /**
     * Grabs {@code name} from the FX thread a few pulses from now, so that the frames showing the
     * current state have been rendered; the grab holds the FX thread, freezing that frame on screen.
     */
    static CompletableFuture<Void> grabAfterPulses(String name, int pulses) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        new javafx.animation.AnimationTimer() {
            private int seen;

            @Override
            public void handle(long now) {
                if (++seen >= pulses) {
                    stop();
                    try {
                        grab(name);
                        done.complete(null);
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                }
            }
        }.start();
        return done;
    }

    @Test
    void tour(FxRobot robot) throws Exception {
        MainController c = app.controller();
        waitFor("the lab up with V1", 120_000, () -> c.devicePanels().containsKey(DEVICE)
                && "1.0.0".equals(c.devicePanels().get(DEVICE).version.getText()) && !c.server().deployButton.isDisabled());
        DevicePanelController device = onFx(() -> c.devicePanels().get(DEVICE));
        onFx(() -> {
            device.consolePane.setExpanded(false);
            return null;
        });

        // 1. The middle of the V1 -> V2 update, at an ESP32's Wi-Fi speed (the endpoint's throttle).
        robot.clickOn(c.server().throttleSwitch);
        AtomicBoolean grabbed = new AtomicBoolean();
        onFx(() -> {
            device.model().flashMapProperty().addListener((o, a, map) -> {
                boolean midway = map.regions().stream().anyMatch(r -> r.downloading() && r.imageSize() > 0
                        && r.downloaded() > r.imageSize() * 2 / 5 && r.downloaded() < r.imageSize() * 3 / 4);
                if (midway && grabbed.compareAndSet(false, true)) {
                    grabAfterPulses("mid-update.png", 2);
                }
            });
            return null;
        });
        robot.clickOn(c.server().deployButton);
        waitFor("V2 deployed", 30_000, () -> c.server().deployments.getItems().stream().anyMatch(d -> d.contains("2.0.0")));
        robot.clickOn(device.checkButton);
        waitFor("V2 running", 180_000, () -> "2.0.0".equals(device.version.getText())
                && device.flashMap.getMap().regions().stream().anyMatch(r -> r.running() && "VALID".equals(r.otaState().orElse(""))));
        assertThat(grabbed).as("a frame in the middle of the download").isTrue();
        robot.clickOn(c.server().throttleSwitch);

        DevicePanelController again = device;
        // 3. The attacker panel after a resisted attack.
        robot.clickOn(c.server().deployButton);
        waitFor("V3 deployed", 30_000, () -> c.server().deployments.getItems().stream().anyMatch(d -> d.contains("3.0.0")));
        AttackCardModel flipped = onFx(() -> c.attacker().card("flipped-byte").orElseThrow());
        waitFor("the attacker ready", 30_000, () -> flipped.availableProperty().get());
        onFx(() -> {
            c.revealAttack("flipped-byte");
            return null;
        });
        robot.clickOn(robot.lookup("#arm-flipped-byte").queryAs(ToggleButton.class));
        waitFor("flipped-byte armed", 30_000, () -> flipped.armedProperty().get());
        robot.clickOn(again.checkButton);
        waitFor("the attack judged and the alert on the LCD", 180_000, () -> flipped.judgementProperty().get() != null
                && again.lcd.getScreen().describe().contains("ALERT"));
        onFx(() -> {
            c.revealAttack("flipped-byte");
            return null;
        });
        onFx(() -> grabAfterPulses("attacker-resisted.png", 6)).get();

        onFx(() -> {
            c.frenchItem.fire();
            c.revealAttack("flipped-byte");
            return null;
        });

        // 4. The French UI.
        Thread.sleep(500);
        onFx(() -> grabAfterPulses("french.png", 6)).get();

        // 4b. V4 picked in the version chooser fails its self-test: the rollback banner.
        onFx(() -> {
            c.englishItem.fire();
            return null;
        });
        robot.clickOn(robot.lookup("#arm-flipped-byte").queryAs(ToggleButton.class));
        waitFor("flipped-byte disarmed", 30_000, () -> !flipped.armedProperty().get());
        onFx(() -> {
            c.server().deployChoice.setValue("4.0.0");
            return null;
        });
        robot.clickOn(c.server().deployChosenButton);
        waitFor("V4 deployed", 30_000, () -> c.server().deployments.getItems().stream().anyMatch(d -> d.contains("4.0.0")));
        robot.clickOn(again.checkButton);
        waitFor("the rollback banner", 180_000, () -> "ROLLED BACK".equals(again.outcomeHeadline.getText()));
        onFx(() -> grabAfterPulses("rollback.png", 6)).get();

        // 4c. A small screen (1024x700) and a large one (1920x1080).
        onFx(() -> {
            place(1024, 700);
            return null;
        });
        Thread.sleep(800);
        onFx(() -> grabAfterPulses("small-window.png", 6)).get();
        if (javafx.stage.Screen.getPrimary().getBounds().getWidth() >= 1920) {
            onFx(() -> {
                place(1920, 1080);
                return null;
            });
            Thread.sleep(800);
            onFx(() -> grabAfterPulses("large-window.png", 6)).get();
        }

        // 5. Presentation mode at 1280x720, stepping through the flipped-byte script at ESP32 speed:
        //    grabbed while the check step downloads the tampered image under its narration.
        onFx(() -> {
            c.englishItem.fire();
            place(1280, 720);
            c.setPresentation(true);
            return null;
        });
        AtomicBoolean presented = new AtomicBoolean();
        CompletableFuture<org.secureota.workbench.scenario.RunSnapshot> run = onFx(() -> c.scenario().run(
                Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath().resolve("demo-scripts/12-flipped-byte.yaml"),
                org.secureota.workbench.scenario.RunMode.STEP));
        waitFor("the script's lab open", 60_000, () -> !c.server().throttleSwitch.isDisabled() && c.scenario().model().last() != null);
        onFx(() -> {
            c.server().throttleSwitch.setSelected(true);
            return null;
        });
        long deadline = System.currentTimeMillis() + 240_000;
        while (!run.isDone() && System.currentTimeMillis() < deadline && !presented.get()) {
            boolean alertInStep3 = onFx(() -> {
                org.secureota.workbench.scenario.RunSnapshot r = c.scenario().model().last();
                DevicePanelController d = c.devicePanels().get(DEVICE);
                return r != null && r.currentStep() == 3
                        && r.steps().get(2).status() == org.secureota.workbench.scenario.StepStatus.RUNNING
                        && d != null && d.flashMap.getMap().regions().stream().anyMatch(x -> x.downloading() && x.downloaded() > 0);
            });
            if (alertInStep3 && presented.compareAndSet(false, true)) {
                onFx(() -> grabAfterPulses("presentation.png", 3)).get();
                onFx(() -> {
                    c.frenchItem.fire();
                    return null;
                });
                onFx(() -> grabAfterPulses("presentation-fr.png", 6)).get();
                onFx(() -> {
                    c.englishItem.fire();
                    return null;
                });
            } else if (onFx(() -> c.scenario().model().waitingProperty().get())) {
                onFx(() -> {
                    c.nextStep();
                    return null;
                });
            }
            Thread.sleep(100);
        }
        assertThat(presented).as("presentation mode grabbed during the check step; run: "
                + onFx(() -> String.valueOf(c.scenario().model().last()))).isTrue();
        onFx(() -> {
            c.scenario().stop();
            return null;
        });

    }
}
