package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.secureota.workbench.scenario.Language;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The script chooser over a 1280x720 window (TestFX under xvfb-run), with the project's demo scripts: at most
 * 60 % of the window wide, its Run button inside the window (the old ChoiceDialog was as wide as the longest
 * title and summary, its OK button off a 1280-px screen), titles in the window's language, and the keyboard
 * (arrows, Enter, Esc).
 */
@ExtendWith(ApplicationExtension.class)
@Tag("e2e")
class ScriptChooserTest {

    private final Path root = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    private Stage owner;
    private Stage chooser;

    @BeforeAll
    static void display() {
        FxSupport.requireDisplay();
    }

    @Start
    void start(Stage stage) {
        owner = stage;
        Scene scene = new Scene(new BorderPane(), 1280, 720);
        Themes.apply(scene, false);
        stage.setScene(scene);
        stage.setX(0);
        stage.setY(0);
        stage.show();
    }

    @AfterEach
    void close() throws Exception {
        if (chooser != null) {
            onFx(() -> {
                chooser.close();
                return null;
            });
        }
    }

    @Test
    void atMost60PercentOfA1280WindowWideWithItsButtonsInsideInEnglishAndFrench(FxRobot robot) throws Exception {
        List<Path> scripts = scripts();
        for (Locale locale : List.of(Locale.ENGLISH, Locale.FRENCH)) {
            I18n i18n = new I18n(locale);
            List<ScriptChoiceViewModel.Row> rows = ScriptChoiceViewModel.rows(scripts, ScriptChoiceViewModel.language(locale));
            chooser = onFx(() -> ScriptChooser.open(owner, i18n, rows, p -> { }));
            waitFor("the chooser shown", 10_000, () -> chooser.isShowing() && chooser.getWidth() > 0);
            Thread.sleep(500); // not a wait: no state says "the list laid out its cells"; pulses run meanwhile
            assertThat(onFx(() -> owner.getWidth())).isEqualTo(1280);
            assertThat(onFx(() -> chooser.getWidth())).as("chooser width in " + locale).isLessThanOrEqualTo(1280 * 0.6 + 1)
                    .isGreaterThan(400);
            assertThat(onFx(() -> chooser.getTitle())).isEqualTo(i18n.get("scenario.choose"));
            for (String id : List.of("#script-run", "#script-cancel")) {
                Button b = (Button) chooser.getScene().lookup(id);
                Bounds onScreen = onFx(() -> b.localToScreen(b.getLayoutBounds()));
                assertThat(onScreen.getMaxX()).as(id + " inside the 1280-px window (" + locale + ")").isLessThanOrEqualTo(1280);
                assertThat(onScreen.getMaxY()).as(id + " inside the 720-px window (" + locale + ")").isLessThanOrEqualTo(720 + 40);
                assertThat(onFx(() -> b.getText())).isEqualTo(i18n.get(id.equals("#script-run") ? "scenario.chooser.run"
                        : "scenario.chooser.cancel"));
            }
            ListView<?> list = (ListView<?>) chooser.getScene().lookup("#script-list");
            assertThat(onFx(() -> StageWindowTest.horizontalBars(list))).as("no horizontal scroll bar (" + locale + ")").isEmpty();
            // The rows carry each script's title in the window's language, the summary wrapped under it.
            Language language = ScriptChoiceViewModel.language(locale);
            String firstTitle = org.secureota.workbench.scenario.ScenarioRun.reader().read(scripts.get(0)).title().in(language);
            assertThat(onFx(() -> texts(list))).contains(firstTitle);
            onFx(() -> {
                chooser.close();
                return null;
            });
        }
    }

    @Test
    void arrowsChooseEnterRunsAndEscCancels(FxRobot robot) throws Exception {
        List<Path> scripts = scripts();
        I18n i18n = new I18n(Locale.ENGLISH);
        List<ScriptChoiceViewModel.Row> rows = ScriptChoiceViewModel.rows(scripts, Language.EN);
        AtomicReference<Path> ran = new AtomicReference<>();
        chooser = onFx(() -> ScriptChooser.open(owner, i18n, rows, ran::set));
        waitFor("the chooser focused", 10_000, () -> chooser.isFocused()
                && chooser.getScene().lookup("#script-list").isFocused());
        robot.type(KeyCode.DOWN, KeyCode.DOWN).type(KeyCode.ENTER);
        waitFor("the chooser closed", 10_000, () -> !chooser.isShowing());
        assertThat(ran.get()).isEqualTo(scripts.get(2));

        ran.set(null);
        chooser = onFx(() -> ScriptChooser.open(owner, i18n, rows, ran::set));
        waitFor("the chooser focused", 10_000, () -> chooser.isFocused());
        robot.type(KeyCode.ESCAPE);
        waitFor("the chooser closed", 10_000, () -> !chooser.isShowing());
        assertThat(ran.get()).as("Esc runs nothing").isNull();
    }

    private List<Path> scripts() throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("demo-scripts"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static List<String> texts(Node n) {
        List<String> out = new java.util.ArrayList<>();
        if (n instanceof javafx.scene.control.Labeled l && l.getText() != null) {
            out.add(l.getText());
        }
        if (n instanceof javafx.scene.Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                out.addAll(texts(c));
            }
        }
        return out;
    }
}
