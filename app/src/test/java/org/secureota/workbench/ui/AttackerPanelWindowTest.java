package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.attack.AttackCatalog;
import org.secureota.workbench.attack.AttackSurface;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.SessionSetup;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The attacker panel (attacker-panel.fxml) and the Attack menu on a real lab's attacker (TestFX under xvfb-run):
 * the panel in English and French, the search field typed into, an attack armed from its card and seen armed in
 * the menu (and by the lab's attacker), then disarmed from the menu and seen disarmed on its card.
 */
@ExtendWith(ApplicationExtension.class)
@Tag("e2e")
class AttackerPanelWindowTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    /** A time attack: it reaches the devices wherever they connect, and arms without a deployment. */
    static final String ATTACK = "expired-cert";

    @TempDir
    Path labDir;

    private final I18n i18n = new I18n(Locale.ENGLISH);
    private final AttackerViewModel model = new AttackerViewModel(i18n, java.util.concurrent.ForkJoinPool.commonPool(),
            Platform::runLater);
    private final Notifications failures = new Notifications();
    private AttackerPanelController panel;
    private Menu attackMenu;
    private MenuBar menuBar;
    private LabSession session;

    /** The failures the panel and the menu report (the window shows them as notifications). */
    static final class Notifications {
        final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        void error(String what, Throwable e) {
            seen.add(what + ": " + e);
        }
    }

    @BeforeAll
    static void display() {
        FxSupport.requireDisplay();
    }

    @Start
    void start(Stage stage) {
        panel = AttackerPanelController.load(model, i18n, failures::error);
        MenuItem armNext = new MenuItem();
        armNext.textProperty().bind(i18n.text("menu.attack.armNext"));
        MenuItem disarmAll = new MenuItem();
        disarmAll.textProperty().bind(i18n.text("menu.attack.disarmAll"));
        attackMenu = new Menu();
        attackMenu.setId("attack-menu");
        attackMenu.textProperty().bind(i18n.text("menu.attack"));
        attackMenu.getItems().addAll(armNext, disarmAll);
        AttackMenu.bind(attackMenu, armNext, disarmAll, new AttackMenuViewModel(model, i18n), failures::error);
        BorderPane root = new BorderPane(panel.view());
        menuBar = new MenuBar(attackMenu);
        root.setTop(menuBar);
        Scene scene = new Scene(root, 520, 760);
        Themes.apply(scene, false);
        stage.setScene(scene);
        stage.setX(0);
        stage.setY(0);
        stage.show();
    }

    @AfterEach
    void closeLab() throws Exception {
        if (session != null) {
            CompletableFuture.runAsync(session::close).get();
        }
    }

    private List<String> cardsShown() {
        return model.cards().stream().filter(c -> {
            Node n = panel.cards.lookup("#attack-" + c.id());
            return n != null && n.isVisible() && n.isManaged();
        }).map(AttackCardModel::id).toList();
    }

    private CheckMenuItem menuItem(String id) {
        return (CheckMenuItem) attackMenu.getItems().stream().filter(i -> ("attack-menu-" + id).equals(i.getId()))
                .findFirst().orElseThrow();
    }

    /**
     * Opens the Attack menu with a click on its title, then clicks the item that reads {@code text} in the menu's
     * popup (the card's title reads the same in the panel: the popup's own label is the one clicked).
     */
    private void clickMenuItem(FxRobot robot, String text) throws Exception {
        // The menu's title in the menu bar: the bar's button that reads as the menu does.
        robot.clickOn(onFx(() -> menuBar.lookupAll(".menu").stream().filter(n -> n instanceof javafx.scene.control.Labeled l
                && attackMenu.getText().equals(l.getText())).findFirst().orElseThrow()));
        String wanted = text.replace("_", "");
        waitFor("the Attack menu open", 5_000, attackMenu::isShowing);
        Node[] item = new Node[1];
        waitFor("the item '" + wanted + "' in the open menu", 5_000, () -> {
            item[0] = robot.lookup(".context-menu").queryAll().stream()
                    .flatMap(menu -> menu.lookupAll(".label").stream())
                    .filter(n -> n instanceof javafx.scene.control.Labeled l && l.getText() != null
                            && wanted.equals(l.getText().replace("_", "")))
                    .findFirst().orElse(null);
            return item[0] != null;
        });
        robot.clickOn(item[0]);
    }

    private String title(String id) {
        return model.card(id).orElseThrow().titleProperty().get();
    }

    @Test
    void searchArmFromTheCardDisarmFromTheMenuInEnglishAndFrench(FxRobot robot) throws Exception {
        // English: every card, the panel's texts from the bundle; nothing can be armed before the lab is open.
        assertThat(onFx(() -> ((Label) panel.attackerPanel.getChildren().get(0)).getText())).isEqualTo("Attacker");
        assertThat(onFx(() -> panel.search.getPromptText())).isEqualTo("Find an attack (title or id)…");
        assertThat(onFx(this::cardsShown)).hasSize(AttackCatalog.all().size());
        assertThat(onFx(() -> robot.lookup("#arm-" + ATTACK).queryAs(ToggleButton.class).isDisabled())).isTrue();
        assertThat(onFx(() -> menuItem(ATTACK).isDisable())).isTrue();

        session = LabSession.openAndWait(SessionSetup.defaults(new LabFolder(labDir)).withProjectRoot(ROOT));
        boolean behindEndpoint = session.deviceUrl().equals(session.endpoint().url().toString());
        onFx(() -> {
            model.setAttacker(session.attacker(), behindEndpoint ? EnumSet.allOf(AttackSurface.class)
                    : EnumSet.of(AttackSurface.STORE, AttackSurface.TIME));
            return null;
        });
        waitFor("the card armable", 5_000, () -> !robot.lookup("#arm-" + ATTACK).queryAs(ToggleButton.class).isDisabled());

        // The search field, typed into: the cards whose title or id hold every word.
        robot.clickOn(panel.search).write("clock expired");
        waitFor("only " + ATTACK + " shown", 5_000, () -> cardsShown().equals(List.of(ATTACK)));
        robot.clickOn(panel.search).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL)
                .write("zzz-nothing");
        waitFor("no card, and the panel says so", 5_000, () -> cardsShown().isEmpty() && panel.noMatch.isVisible()
                && panel.noMatch.getText().equals("No attack matches “zzz-nothing”: clear the search to see them all."));
        robot.press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write(ATTACK);
        waitFor("only " + ATTACK + " shown again", 5_000, () -> cardsShown().equals(List.of(ATTACK)) && !panel.noMatch.isVisible());

        // Armed from its card: the lab's attacker says so, the card turns Armed, the menu item is checked.
        robot.clickOn("#arm-" + ATTACK);
        waitFor("armed on the card and in the menu", 30_000, () -> model.card(ATTACK).orElseThrow().armedProperty().get()
                && menuItem(ATTACK).isSelected());
        assertThat(session.attacker().armed(ATTACK)).isPresent();
        assertThat(onFx(() -> robot.lookup("#arm-" + ATTACK).queryAs(ToggleButton.class).getText())).isEqualTo("Armed");
        assertThat(onFx(() -> robot.lookup("#attack-" + ATTACK).query().getStyleClass())).contains("armed");

        // Disarmed from the Attack menu, clicked as a person does: the card follows.
        clickMenuItem(robot, onFx(() -> title(ATTACK)));
        waitFor("disarmed from the menu", 30_000, () -> !model.card(ATTACK).orElseThrow().armedProperty().get()
                && !menuItem(ATTACK).isSelected()
                && robot.lookup("#arm-" + ATTACK).queryAs(ToggleButton.class).getText().equals("Arm")
                && !robot.lookup("#attack-" + ATTACK).query().getStyleClass().contains("armed"));
        assertThat(session.attacker().armed(ATTACK)).isEmpty();

        // French: the same panel relabelled; the search matches French titles.
        onFx(() -> {
            i18n.setLocale(Locale.FRENCH);
            return null;
        });
        assertThat(onFx(() -> ((Label) panel.attackerPanel.getChildren().get(0)).getText())).isEqualTo("Attaquant");
        assertThat(onFx(() -> panel.search.getPromptText())).isEqualTo("Chercher une attaque (titre ou identifiant)…");
        assertThat(onFx(() -> menuItem(ATTACK).getText())).isEqualTo("Horloge avancée (certificat expiré)");
        assertThat(onFx(() -> attackMenu.getText())).isEqualTo("_Attaque");
        robot.clickOn(panel.search).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write("horloge certificat");
        waitFor("the French title found", 5_000, () -> cardsShown().equals(List.of(ATTACK)));
        assertThat(onFx(() -> robot.lookup("#arm-" + ATTACK).queryAs(ToggleButton.class).getText())).isEqualTo("Armer");
        robot.clickOn("#arm-" + ATTACK);
        waitFor("armed, in French", 30_000, () -> menuItem(ATTACK).isSelected()
                && robot.lookup("#arm-" + ATTACK).queryAs(ToggleButton.class).getText().equals(i18n.get("attacker.armed")));
        robot.clickOn(panel.search).press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL).write("zzz");
        waitFor("the French no-match sentence", 5_000, () -> panel.noMatch.getText()
                .equals("Aucune attaque ne correspond à « zzz » : videz la recherche pour les voir toutes."));
        // Disarm all, from the menu.
        clickMenuItem(robot, i18n.get("menu.attack.disarmAll"));
        waitFor("disarmed by Disarm all", 30_000, () -> !menuItem(ATTACK).isSelected()
                && !model.card(ATTACK).orElseThrow().armedProperty().get());
        assertThat(session.attacker().armed()).isEmpty();
        assertThat(failures.seen).isEmpty();
    }
}
