package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.ScrollBar;
import javafx.scene.input.KeyCode;
import javafx.stage.PopupWindow;
import javafx.stage.Stage;
import javafx.stage.Window;
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
import org.secureota.workbench.Waits;

/**
 * The window as a presenter uses it on stage (TestFX under xvfb-run, on a live lab with the virtual
 * ESP32): shortcuts that act once, a notification that stays small and never takes the keyboard, a
 * layout that does not move when an update starts, the rollback banner, Reset demo then the README's
 * first click, presentation mode at 1280x720 in English and French, and the replay of an exported zip.
 */
@ExtendWith(ApplicationExtension.class)
@Tag("e2e")
class StageWindowTest {

    static final String DEVICE = "esp32-lab-01";

    @TempDir
    static Path labDir;
    @TempDir
    Path exports;
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

    private DevicePanelController awaitV1(MainController c) throws Exception {
        waitFor("the server running and the virtual ESP32 booted on V1", 120_000, () ->
                c.server().serverStatus.getText().startsWith("running") && c.devicePanels().containsKey(DEVICE)
                        && "1.0.0".equals(c.devicePanels().get(DEVICE).version.getText()));
        return onFx(() -> c.devicePanels().get(DEVICE));
    }

    @Test
    void shortcutsActOnceAndALongConsoleLineNeverTakesTheKeyboard(FxRobot robot) throws Exception {
        MainController c = app.controller();
        DevicePanelController device = awaitV1(c);
        onFx(() -> {
            stage.setWidth(1280);
            stage.setHeight(800);
            return null;
        });

        robot.press(KeyCode.F11).release(KeyCode.F11);
        waitFor("presentation mode on", 5_000, () -> c.presentation() && c.root.getStyleClass().contains("presentation"));
        robot.press(KeyCode.F11).release(KeyCode.F11);
        waitFor("presentation mode off", 5_000, () -> !c.presentation() && !c.root.getStyleClass().contains("presentation"));
        robot.press(KeyCode.CONTROL, KeyCode.T).release(KeyCode.T, KeyCode.CONTROL);
        waitFor("the dark theme", 5_000, () -> c.darkItem.isSelected()
                && c.root.getScene().getStylesheets().stream().anyMatch(s -> s.endsWith("dark.css")));
        robot.press(KeyCode.CONTROL, KeyCode.T).release(KeyCode.T, KeyCode.CONTROL);
        waitFor("the light theme again", 5_000, () -> !c.darkItem.isSelected()
                && c.root.getScene().getStylesheets().stream().anyMatch(s -> s.endsWith("light.css")));

        // The Attack menu lists every attack of the catalogue.
        assertThat(onFx(() -> c.attackMenu.getItems().stream().filter(i -> i.getId() != null
                && i.getId().startsWith("attack-menu-")).count())).isEqualTo((long) c.attacker().cards().size());

        // A 3,000-byte line typed at the console: the toast stays one short line, the keyboard stays put.
        onFx(() -> {
            device.consolePane.setExpanded(true);
            return null;
        });
        // The console opens with an animation: its command line takes the focus once it shows.
        waitFor("the command line focused", 10_000, () -> {
            device.commandLine.requestFocus();
            return device.commandLine.isFocused();
        });
        String longLine = "@ota1 {\"cmd\":\"" + "x".repeat(3_000) + "\"}";
        onFx(() -> {
            device.commandLine.setText(longLine);
            return null;
        });
        robot.press(KeyCode.ENTER).release(KeyCode.ENTER);
        waitFor("a notification", 30_000, () -> !toasts().isEmpty());
        double windowWidth = onFx(() -> stage.getWidth());
        for (Window toast : onFx(StageWindowTest::toasts)) {
            assertThat(toast.getWidth()).as("the toast's width").isLessThan(windowWidth / 2);
        }
        assertThat(onFx(() -> c.root.getScene().getFocusOwner())).as("the focus stays on the command line")
                .isSameAs(device.commandLine);
        long stages = onFx(() -> Window.getWindows().stream().filter(w -> w instanceof Stage).count());
        assertThat(stages).as("no Details window yet").isEqualTo(1);
        robot.press(KeyCode.ENTER).release(KeyCode.ENTER);
        Thread.sleep(500); // not a wait: a Details window would appear now, and must not
        assertThat(onFx(() -> Window.getWindows().stream().filter(w -> w instanceof Stage).count()))
                .as("Enter went to the command line, not to the toast's Details").isEqualTo(1);

        // F1 lists the shortcuts.
        robot.press(KeyCode.F1).release(KeyCode.F1);
        waitFor("the shortcut list", 5_000, () -> Window.getWindows().stream().filter(w -> w instanceof Stage).count() == 2);
        String list = onFx(() -> Window.getWindows().stream().filter(w -> w instanceof Stage && w != stage).findFirst()
                .map(w -> ((javafx.scene.control.DialogPane) w.getScene().getRoot()).getContentText()).orElse(""));
        assertThat(list).contains("F11").contains("F5").contains("F1");
    }

    static List<Window> toasts() {
        return Window.getWindows().stream().filter(w -> w instanceof PopupWindow && w.isShowing()
                && w.getScene().getRoot().lookup(".notification-bar") != null).toList();
    }

    @Test
    void presentationModeAt1280x720ShowsEverythingInBothLanguages(FxRobot robot) throws Exception {
        MainController c = app.controller();
        awaitV1(c);
        onFx(() -> {
            stage.setWidth(1280);
            stage.setHeight(720);
            c.setPresentation(true);
            return null;
        });
        for (Locale l : List.of(Locale.ENGLISH, Locale.FRENCH)) {
            onFx(() -> {
                app.window().i18n().setLocale(l);
                return null;
            });
            Thread.sleep(500); // not a wait: no state says "laid out again in this language"; pulses run meanwhile
            DevicePanelController device = onFx(() -> c.devicePanels().get(DEVICE));
            assertThat(onFx(() -> horizontalBars(c.root).stream().map(StageWindowTest::owner).toList()))
                    .as("horizontal scroll bars in " + l).isEmpty();
            // The presenter's Deploy and Check now (above the device), the banner, the LCD and the flash map.
            for (Node n : List.of(c.stageDeployButton, c.stageCheckButton, device.verdictBox, device.outcomeHeadline,
                    device.lcd, device.flashMap)) {
                assertThat(onFx(() -> inWindow(n))).as(n.getId() + " in sight at 1280x720 (" + l + "): " + onFx(() ->
                        n.localToScene(n.getLayoutBounds()) + " in a scene of " + n.getScene().getWidth() + "x"
                                + n.getScene().getHeight())).isTrue();
            }
            assertThat(onFx(() -> device.outcomeHeadline.getText())).isNotBlank();
            stageShowsTheArmedCardOnly(c, l);
        }
        // Back on the bench: the whole attacker panel again, and a parameter's whole value in its field.
        onFx(() -> {
            c.setPresentation(false);
            return null;
        });
        waitFor("every card back on the bench", 5_000, () -> c.root.lookup("#attack-search").isVisible()
                && c.root.lookup("#attack-rogue-server").isVisible() && !c.root.lookup("#attack-none-armed").isVisible());
        Thread.sleep(300); // not a wait: the fields are laid out on the next pulses; no state says when
        javafx.scene.control.TextField offset = (javafx.scene.control.TextField) c.root.lookup("#parameter-flipped-byte-offset");
        javafx.scene.control.TextField host = (javafx.scene.control.TextField) c.root.lookup("#parameter-wrong-host-cert-host");
        assertThat(onFx(() -> host.getText())).isEqualTo("updates.example.net");
        assertThat(onFx(() -> host.getTooltip().getText())).startsWith("updates.example.net\n");
        assertThat(onFx(() -> fieldShowsAll(host))).as("updates.example.net shows whole in its field").isTrue();
        assertThat(onFx(() -> fieldShowsAll(offset))).isTrue();
        // The fields of a card sit in one column: their left edges line up.
        assertThat(onFx(() -> offset.localToScene(offset.getLayoutBounds()).getMinX()))
                .isEqualTo(onFx(() -> ((Node) c.root.lookup("#parameter-flipped-byte-version")).localToScene(
                        ((Node) c.root.lookup("#parameter-flipped-byte-version")).getLayoutBounds()).getMinX()));
    }

    /** Whether {@code field} is wide enough for its whole text (the text's width, plus its padding). */
    private static boolean fieldShowsAll(javafx.scene.control.TextField field) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(field.getText());
        t.setFont(field.getFont());
        double padding = field.getPadding().getLeft() + field.getPadding().getRight();
        return field.getWidth() >= t.getLayoutBounds().getWidth() + padding;
    }

    /** On stage the attacker panel shows one line with nothing armed, then the armed card alone, in sight. */
    private static void stageShowsTheArmedCardOnly(MainController c, Locale l) throws Exception {
        Node none = onFx(() -> c.root.lookup("#attack-none-armed"));
        assertThat(onFx(() -> none.isVisible() && inWindow(none))).as("'no attack armed' on stage (" + l + ")").isTrue();
        assertThat(onFx(() -> ((javafx.scene.control.Label) none).getText()))
                .isEqualTo(l == Locale.FRENCH ? "Aucune attaque armée." : "No attack armed.");
        assertThat(onFx(() -> c.root.lookup("#attack-search").isVisible())).as("no search on stage").isFalse();
        assertThat(onFx(() -> shownCards(c))).as("no card on stage with nothing armed").isEmpty();
        AttackCardModel expired = onFx(() -> c.attacker().cards().stream().filter(m -> m.id().equals("expired-cert"))
                .findFirst().orElseThrow());
        onFx(() -> c.attacker().toggle(expired)).get(30, TimeUnit.SECONDS);
        waitFor("the armed card alone on stage (" + l + ")", 10_000, () -> shownCards(c).equals(List.of("attack-expired-cert"))
                && !none.isVisible());
        Thread.sleep(300); // not a wait: laid out on the next pulses; no state says when
        Node card = onFx(() -> c.root.lookup("#attack-expired-cert"));
        assertThat(onFx(() -> inWindow(card))).as("the armed card in sight at 1280x720 (" + l + ")").isTrue();
        assertThat(onFx(() -> horizontalBars(c.root).stream().map(StageWindowTest::owner).toList()))
                .as("horizontal scroll bars with the armed card in " + l).isEmpty();
        onFx(() -> c.attacker().toggle(expired)).get(30, TimeUnit.SECONDS);
        waitFor("no card on stage once disarmed", 10_000, () -> shownCards(c).isEmpty() && none.isVisible());
    }

    /** The ids of the attack cards that show. */
    private static List<String> shownCards(MainController c) {
        return c.root.lookupAll(".attack-card").stream().filter(n -> n.isVisible() && n.isManaged())
                .map(Node::getId).toList();
    }

    /** The horizontal scroll bars that show. */
    static List<Node> horizontalBars(Node root) {
        return root.lookupAll(".scroll-bar").stream().filter(n -> n instanceof ScrollBar b
                && b.getOrientation() == Orientation.HORIZONTAL && b.isVisible() && visibleUpTo(b)).toList();
    }

    /** Which control a scroll bar scrolls, with the widest child of its content, for the failure message. */
    static String owner(Node bar) {
        Node p = bar.getParent();
        while (p != null && !(p instanceof javafx.scene.control.Control)) {
            p = p.getParent();
        }
        return p == null ? "?" : p.getClass().getSimpleName() + "#" + p.getId() + " " + p.getStyleClass();
    }

    private static boolean visibleUpTo(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** Shown, and wholly inside the window's scene. */
    static boolean inWindow(Node n) {
        if (!visibleUpTo(n) || n.getScene() == null) {
            return false;
        }
        Bounds b = n.localToScene(n.getLayoutBounds());
        return b.getWidth() > 0 && b.getMinX() >= 0 && b.getMinY() >= 0 && b.getMaxX() <= n.getScene().getWidth() + 0.5
                && b.getMaxY() <= n.getScene().getHeight() + 0.5;
    }

    @Test
    void stableLayoutRollbackBannerResetDemoThenTheFirstClickAndTheReplayOfAnExportedZip(FxRobot robot) throws Exception {
        MainController c = app.controller();
        DevicePanelController device = awaitV1(c);
        // A fresh window starts where the demo starts: the README's first click is Deploy V2.0.0.
        waitFor("the deploy button offering V2", 30_000, () -> !c.server().deployButton.isDisabled()
                && c.server().deployButton.getText().equals("Deploy V2.0.0"));
        assertThat(onFx(() -> c.server().deployments.getItems())).isEmpty();
        assertThat(onFx(() -> device.outcomeHeadline.getText())).isEqualTo("NO ATTEMPT");

        robot.clickOn(c.server().deployButton);
        waitFor("V2 deployed", 30_000, () -> c.server().deployments.getItems().stream().anyMatch(d -> d.contains("2.0.0")));
        // At an ESP32's speed the download lasts long enough to measure the layout while it runs.
        robot.clickOn(c.server().throttleSwitch);
        waitFor("the ESP32-speed switch on", 5_000, () -> c.server().throttleSwitch.isSelected());
        List<Node> watched = List.of(device.lcd, device.flashMap, device.powerCutButton, device.checkButton, device.verdictBox);
        // Layout bounds: a focused button's focus ring widens its visual bounds, not its place.
        List<Bounds> before = onFx(() -> watched.stream().map(n -> n.localToScene(n.getLayoutBounds())).toList());
        robot.clickOn(device.checkButton);
        waitFor("the download running", 60_000, () -> device.progress.getText().startsWith("download")
                && !device.image.getText().equals("—"));
        List<Bounds> during = onFx(() -> watched.stream().map(n -> n.localToScene(n.getLayoutBounds())).toList());
        for (int i = 0; i < watched.size(); i++) {
            assertThat(during.get(i).getMinY()).as("top of " + watched.get(i).getId() + " when the update starts")
                    .isEqualTo(before.get(i).getMinY());
            assertThat(during.get(i).getMinX()).isEqualTo(before.get(i).getMinX());
        }
        onFx(() -> {
            c.server().throttleSwitch.setSelected(false);
            return null;
        });
        waitFor("V2 running, confirmed", 180_000, () -> "2.0.0".equals(device.version.getText())
                && device.outcomeHeadline.getText().equals("UPDATED") && device.outcomeSentence.getText().contains("confirmed"));

        // V4 chosen in the version chooser: it fails its self-test, and the banner says so.
        onFx(() -> {
            c.server().deployChoice.setValue("4.0.0");
            return null;
        });
        robot.clickOn(c.server().deployChosenButton);
        waitFor("V4 deployed", 30_000, () -> c.server().deployments.getItems().stream().anyMatch(d -> d.contains("4.0.0")));
        robot.clickOn(device.checkButton);
        waitFor("the rollback banner", 180_000, () -> device.outcomeHeadline.getText().equals("ROLLED BACK"));
        assertThat(onFx(() -> device.outcomeSentence.getText())).contains("4.0.0 failed its self-test").contains("2.0.0");
        assertThat(onFx(() -> device.verdictBox.getStyleClass())).contains("outcome-held").doesNotContain("outcome-bad");
        assertThat(onFx(() -> device.version.getText())).isEqualTo("2.0.0");

        // Export, asked where: the zip goes where it was told.
        Path zip = exports.resolve("talk.zip");
        onFx(() -> c.export(zip)).get(60, TimeUnit.SECONDS);
        assertThat(zip).isRegularFile();
        assertThat(Files.list(exports).map(p -> p.getFileName().toString())).containsExactly("talk.zip");

        // Lab > Reset demo, then the README's first click works again.
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.N).release(KeyCode.N, KeyCode.SHIFT, KeyCode.CONTROL);
        waitFor("the device factory-fresh on V1 with nothing deployed", 120_000, () -> c.devicePanels().containsKey(DEVICE)
                && "1.0.0".equals(c.devicePanels().get(DEVICE).version.getText()) && c.server().deployments.getItems().isEmpty()
                && c.server().deployButton.getText().equals("Deploy V2.0.0") && !c.server().deployButton.isDisabled());
        // The remade device's panel is a new one: always ask the window for the panel it shows now.
        waitFor("no attempt on the fresh device, its V1 screen shown", 60_000, () -> {
            DevicePanelController p = c.devicePanels().get(DEVICE);
            return p != null && p.outcomeHeadline.getText().equals("NO ATTEMPT")
                    && p.lcd.getScreen().describe().contains("V1 BASE");
        });
        robot.clickOn(c.server().deployButton);
        waitFor("V2 deployed again", 30_000, () -> c.server().deployments.getItems().stream().anyMatch(d -> d.contains("2.0.0")));
        DevicePanelController fresh = onFx(() -> c.devicePanels().get(DEVICE));
        waitFor("the check button enabled", 30_000, () -> !fresh.checkButton.isDisabled());
        robot.clickOn(fresh.checkButton);
        waitFor("V2 after the reset", 180_000, () -> "2.0.0".equals(c.devicePanels().get(DEVICE).version.getText())
                && c.devicePanels().get(DEVICE).outcomeHeadline.getText().equals("UPDATED"));

        // The exported zip replays: the device as recorded, every live control disabled.
        onFx(() -> c.replay(zip)).get(60, TimeUnit.SECONDS);
        waitFor("the replay shown", 30_000, () -> c.replaying() && c.devicePanels().containsKey(DEVICE));
        DevicePanelController replayed = onFx(() -> c.devicePanels().get(DEVICE));
        assertThat(onFx(() -> replayed.checkButton.isDisabled())).isTrue();
        assertThat(onFx(() -> c.server().deployButton.isDisabled())).isTrue();
        assertThat(onFx(() -> c.server().deployChosenButton.isDisabled())).isTrue();
        assertThat(onFx(() -> c.server().serverStatus.getText())).isEqualTo("recorded session (replay)");
        assertThat(onFx(() -> c.deployItem.isDisable())).isTrue();
        assertThat(onFx(() -> c.root.lookup("#arm-flipped-byte").isDisabled())).as("the Arm buttons").isTrue();
        waitFor("the rollback replayed", 10_000, () -> replayed.outcomeHeadline.getText().equals("ROLLED BACK"));
        onFx(() -> {
            c.backToLive();
            return null;
        });
        waitFor("live again", 30_000, () -> !c.replaying() && !c.deployItem.isDisable()
                && c.server().serverStatus.getText().startsWith("running"));
    }
}
