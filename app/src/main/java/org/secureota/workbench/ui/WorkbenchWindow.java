package org.secureota.workbench.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.Screen;
import javafx.stage.Stage;

/** Builds the main window: the FXML view, its controller, the theme and the scene-wide keys. */
final class WorkbenchWindow {

    private final MainController controller;
    private final Scene scene;
    private final I18n i18n;

    WorkbenchWindow(Locale locale, boolean dark) {
        i18n = new I18n(locale);
        FXMLLoader loader = new FXMLLoader(WorkbenchWindow.class.getResource("main.fxml"));
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("main.fxml could not be loaded", e);
        }
        controller = loader.getController();
        scene = new Scene(root, 1280, 800);
        Themes.apply(scene, dark);
        controller.init(i18n);
        controller.darkItem.setSelected(dark);
        // Page Down (what a presenter's remote sends) is the scenario's "next" while a script runs, even
        // where a scroll pane would take it: a filter sees it before the focused control does.
        scene.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.PAGE_DOWN && controller.scenario() != null
                    && controller.scenario().model().activeProperty().get()) {
                controller.nextStep();
                e.consume();
            }
        });
        // Escape leaves presentation mode, whose hidden menu bar would otherwise be the only way out.
        scene.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE && controller.presentation()) {
                controller.setPresentation(false);
            }
        });
    }

    void show(Stage stage) {
        stage.titleProperty().bind(i18n.text("app.title"));
        stage.setScene(scene);
        Rectangle2D screen = screenOf(stage);
        stage.setMinWidth(StagePlacement.minimum(960, screen.getWidth()));
        stage.setMinHeight(StagePlacement.minimum(600, screen.getHeight()));
        // The scene asks 1280x800; a smaller screen (a 1280x720 projector) gets a window its own size.
        if (scene.getWidth() > screen.getWidth() || scene.getHeight() > screen.getHeight()) {
            stage.setWidth(Math.min(scene.getWidth(), screen.getWidth()));
            stage.setHeight(Math.min(scene.getHeight(), screen.getHeight()));
        }
        stage.show();
        fitToScreen(stage);
        registerShortcuts(controller.menuBar.getMenus());
        ignoreRepeatedShortcuts();
    }

    /** The visual bounds of the screen the stage is on (the primary screen before it is placed). */
    private static Rectangle2D screenOf(Stage stage) {
        if (!Double.isNaN(stage.getX()) && !Double.isNaN(stage.getY()) && stage.getWidth() > 0) {
            var screens = Screen.getScreensForRectangle(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight());
            if (!screens.isEmpty()) {
                return screens.get(0).getVisualBounds();
            }
        }
        return Screen.getPrimary().getVisualBounds();
    }

    /**
     * Moves and shrinks the shown window into its screen's visual bounds. Without a window manager nothing
     * else does: a window centred on a smaller screen started above its top edge.
     */
    static void fitToScreen(Stage stage) {
        Rectangle2D screen = screenOf(stage);
        Rectangle2D fitted = StagePlacement.fit(screen, stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight());
        if (fitted.getWidth() != stage.getWidth() || fitted.getHeight() != stage.getHeight()) {
            stage.setWidth(fitted.getWidth());
            stage.setHeight(fitted.getHeight());
        }
        if (fitted.getMinX() != stage.getX() || fitted.getMinY() != stage.getY()) {
            stage.setX(fitted.getMinX());
            stage.setY(fitted.getMinY());
        }
    }

    /**
     * A held key repeats (X sends a new key press every few tens of ms once a key is down for half a
     * second, which a loaded machine or a slow finger reaches): a toggle such as F11 or Ctrl+T then
     * switched on and off again. A shortcut acts on the first press only, until its key is released.
     */
    private void ignoreRepeatedShortcuts() {
        java.util.Set<KeyCode> down = java.util.EnumSet.noneOf(KeyCode.class);
        scene.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            boolean repeat = !down.add(e.getCode());
            if (repeat && scene.getAccelerators().keySet().stream().anyMatch(k -> k.match(e))) {
                e.consume();
            }
        });
        scene.addEventFilter(javafx.scene.input.KeyEvent.KEY_RELEASED, e -> down.remove(e.getCode()));
        // A key released while another window had the focus never reports its release here.
        scene.getWindow().focusedProperty().addListener((o, a, focused) -> down.clear());
    }

    /**
     * The menu items' shortcuts on the scene itself: presentation mode hides the menu bar, and the
     * presenter still runs the talk from the keyboard.
     */
    private void registerShortcuts(java.util.List<? extends javafx.scene.control.MenuItem> items) {
        for (javafx.scene.control.MenuItem item : items) {
            if (item instanceof javafx.scene.control.Menu m) {
                registerShortcuts(m.getItems());
            } else if (item.getAccelerator() != null) {
                // One runnable per key in the scene's map, replacing the menu bar's own: a key acts once.
                // fire() alone does not toggle a CheckMenuItem, which then did nothing from the keyboard.
                scene.getAccelerators().put(item.getAccelerator(), () -> activate(item));
            }
        }
    }

    /** What a click on {@code item} does: a check item toggles, a radio item selects, then its action runs. */
    static void activate(javafx.scene.control.MenuItem item) {
        if (item.isDisable()) {
            return;
        }
        if (item instanceof javafx.scene.control.RadioMenuItem r) {
            r.setSelected(true);
        } else if (item instanceof javafx.scene.control.CheckMenuItem c) {
            c.setSelected(!c.isSelected());
        }
        item.fire();
    }

    MainController controller() {
        return controller;
    }

    I18n i18n() {
        return i18n;
    }

    Scene scene() {
        return scene;
    }
}
