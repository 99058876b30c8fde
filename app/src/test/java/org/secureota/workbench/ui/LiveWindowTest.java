package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.ui.widget.FlashMap;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.junit.jupiter.api.Tag;

/**
 * The window on a live lab (TestFX under xvfb-run): the real session, server, virtual ESP32 and
 * firmware. A presenter's first clicks: the lab comes up by itself, "deploy" then "check now" takes
 * the device to V2, which the LCD and the flash map show; then V3 with a flipped byte in its image:
 * the LCD alert, the device stays on V2, and the attacker panel marks the attack resisted.
 */
@ExtendWith(ApplicationExtension.class)
@Tag("e2e")
class LiveWindowTest {

    static final String DEVICE = "esp32-lab-01";

    @TempDir
    static Path labDir;
    private WorkbenchApp app;
    private long startNanos;

    @BeforeAll
    static void display() {
        FxSupport.requireDisplay();
    }

    @Start
    void start(Stage stage) {
        Path root = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
        startNanos = System.nanoTime();
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
    void theLabComesUpAndDeployThenCheckTakesTheDeviceToV2(FxRobot robot) throws Exception {
        MainController c = app.controller();
        waitFor("the server running and the virtual ESP32 booted on V1", 90_000, () ->
                c.server().serverStatus.getText().startsWith("running") && c.devicePanels().containsKey(DEVICE)
                        && "1.0.0".equals(c.devicePanels().get(DEVICE).version.getText()));
        System.out.printf(Locale.ROOT, "GUI benchmark: launch to first frame with a live device: %d ms%n",
                (System.nanoTime() - startNanos) / 1_000_000);
        DevicePanelController device = onFx(() -> c.devicePanels().get(DEVICE));
        assertThat(onFx(() -> device.lcd.getScreen().describe())).contains("V1 BASE");
        waitFor("the deploy button offering V2", 30_000, () -> !c.server().deployButton.isDisabled()
                && c.server().deployButton.getText().contains("2.0.0"));

        robot.clickOn(c.server().deployButton);
        waitFor("V2 deployed", 30_000, () -> c.server().deployments.getItems().stream().anyMatch(d -> d.contains("2.0.0")));
        waitFor("the check button enabled", 30_000, () -> !device.checkButton.isDisabled());
        robot.clickOn(device.checkButton);

        waitFor("the device running V2 from a VALID slot", 180_000, () -> {
            FlashMap map = device.flashMap.getMap();
            return "2.0.0".equals(device.version.getText()) && map.regions().stream().anyMatch(r -> r.running()
                    && r.otaState().orElse("").equals("VALID") && r.slot().image().valid()
                    && "2.0.0".equals(r.slot().image().version()));
        });
        FlashMap map = onFx(() -> device.flashMap.getMap());
        assertThat(map.regions()).filteredOn(FlashMap.Region::running).singleElement()
                .satisfies(r -> assertThat(r.label()).isEqualTo("app1"));
        waitFor("the LCD showing V2's promotion screen", 30_000, () -> device.lcd.getScreen().describe().contains("PROMO"));
        assertThat(onFx(() -> device.verdictCode.getText())).isEqualTo("UPDATED");
        // The built releases are published in plaintext: the panel says so, from the server's offer, and once the
        // image has travelled, from the device's own image.transport report.
        waitFor("the device panel saying the image was offered or travelled in plaintext", 10_000,
                () -> device.image.getText().startsWith("offered in plaintext")
                        || device.image.getText().startsWith("travelled in plaintext"));
        assertThat(onFx(() -> c.server().requests.getItems().size())).isPositive();
        assertThat(onFx(() -> c.timeline().model().size())).isPositive();

        // The seed's store attack: V3 deployed, then one bit of its published image flipped.
        waitFor("the deploy button offering V3", 30_000, () -> !c.server().deployButton.isDisabled()
                && c.server().deployButton.getText().contains("3.0.0"));
        robot.clickOn(c.server().deployButton);
        waitFor("V3 deployed", 30_000, () -> c.server().deployments.getItems().stream().anyMatch(d -> d.contains("3.0.0")));
        AttackCardModel flipped = onFx(() -> c.attacker().card("flipped-byte").orElseThrow());
        waitFor("the attacker ready", 30_000, () -> flipped.availableProperty().get());
        onFx(() -> {
            c.revealAttack("flipped-byte");
            return null;
        });
        robot.clickOn(robot.lookup("#arm-flipped-byte").queryAs(javafx.scene.control.ToggleButton.class));
        waitFor("flipped-byte armed", 30_000, () -> flipped.armedProperty().get());
        // The firmware shows its alert until its own screen comes round again: watch the widget, not a poll.
        java.util.concurrent.atomic.AtomicReference<String> alert = new java.util.concurrent.atomic.AtomicReference<>();
        onFx(() -> {
            device.lcd.screenProperty().addListener((o, a, b) -> {
                if (b.describe().contains("ALERT")) {
                    alert.compareAndSet(null, b.describe());
                }
            });
            return null;
        });
        robot.clickOn(device.checkButton);
        waitFor("the attack judged", 180_000, () -> flipped.judgementProperty().get() != null);
        assertThat(onFx(() -> flipped.judgementProperty().get().result()))
                .isEqualTo(org.secureota.workbench.attack.JudgementResult.RESISTED);
        assertThat(onFx(() -> flipped.outcomeProperty().get())).contains("HASH_MISMATCH").contains("image SHA-256");
        // The card shows the attacker's own judgement, the very one it journaled: the window judges nothing.
        org.secureota.workbench.attack.Judgement shown = onFx(() -> flipped.judgementProperty().get());
        org.secureota.workbench.session.LabSession session = app.live().session();
        assertThat(session.attacker().latest("flipped-byte", DEVICE)).hasValue(shown);
        assertThat(session.journal().events(org.secureota.workbench.journal.EventType.ATTACK_JUDGED, DEVICE, 0))
                .extracting(e -> org.secureota.workbench.attack.Judgement.fromJournal(e).orElseThrow()).contains(shown);
        assertThat(shown.reason()).isEqualTo("the flipped byte reached " + DEVICE
                + ", which refused it at the sha256 check (HASH_MISMATCH)");
        waitFor("the LCD alert", 30_000, () -> alert.get() != null);
        // An English window makes its device with lcd_lang en: the firmware's English alert.
        assertThat(alert.get()).isEqualTo("|SECURITY ALERT  |HASH INVALID    |");
        assertThat(onFx(() -> device.verdictCode.getText())).isEqualTo("HASH_MISMATCH");
        assertThat(onFx(() -> device.version.getText())).as("the device stays on its version").isEqualTo("2.0.0");
    }
}
