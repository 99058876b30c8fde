package org.secureota.workbench.ui;

import java.util.Objects;
import javafx.scene.Scene;

/**
 * Light or dark theme and presentation mode for a scene. A theme is a stylesheet of looked-up
 * colours; presentation mode is the {@code presentation} style class on the root, whose larger font
 * scales every em-sized rule (a whole-UI zoom, as AtlantaFX's theme manager does it).
 */
final class Themes {

    private static final String BASE = css("workbench.css");
    private static final String LIGHT = css("light.css");
    private static final String DARK = css("dark.css");

    private Themes() {
    }

    private static String css(String name) {
        return Objects.requireNonNull(Themes.class.getResource(name), name).toExternalForm();
    }

    static void apply(Scene scene, boolean dark) {
        scene.getStylesheets().setAll(dark ? DARK : LIGHT, BASE);
    }

    static void presentation(Scene scene, boolean on) {
        scene.getRoot().getStyleClass().remove("presentation");
        if (on) {
            scene.getRoot().getStyleClass().add("presentation");
        }
    }
}
