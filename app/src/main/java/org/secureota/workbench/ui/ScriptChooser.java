package org.secureota.workbench.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Thin controller of script-chooser.fxml, the script chooser of Scenario > Play / Step through: a list of
 * {@link ScriptChoiceViewModel.Row}s, bounded in width (a long summary wraps instead of widening the window and
 * pushing its buttons off a 1280-px screen); arrows choose, Enter or a double click runs, Esc cancels.
 */
public final class ScriptChooser {

    /** The chooser takes at most this share of its owner's width... */
    static final double SHARE_OF_OWNER = 0.6;
    /** ...and never more than this many pixels: a wider line is harder to read. */
    static final double MAX_WIDTH = 760;

    @FXML VBox root;
    @FXML ListView<ScriptChoiceViewModel.Row> list;
    @FXML Button runButton;
    @FXML Button cancelButton;

    private Consumer<Path> onRun = p -> { };

    /** The chooser's width over an owner {@code ownerWidth} wide. */
    static double width(double ownerWidth) {
        return Math.min(MAX_WIDTH, Math.floor(ownerWidth * SHARE_OF_OWNER));
    }

    /**
     * Shows the chooser over {@code owner} with {@code rows} (the first selected); {@code run} gets the chosen
     * script once the chooser closed; cancelled, nothing happens. Returns at once. FX thread.
     */
    static Stage open(Window owner, I18n i18n, List<ScriptChoiceViewModel.Row> rows, Consumer<Path> run) {
        FXMLLoader loader = new FXMLLoader(ScriptChooser.class.getResource("script-chooser.fxml"));
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("script-chooser.fxml could not be loaded", e);
        }
        ScriptChooser c = loader.getController();
        c.onRun = run;
        c.bind(i18n, rows);
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.initModality(Modality.WINDOW_MODAL);
        stage.titleProperty().bind(i18n.text("scenario.choose"));
        double ownerWidth = owner == null ? 1280 : owner.getWidth();
        double ownerHeight = owner == null ? 720 : owner.getHeight();
        Scene scene = new Scene(c.root, width(ownerWidth), Math.min(560, Math.floor(ownerHeight * 0.85)));
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
            scene.getRoot().getStyleClass().add("root");
        }
        stage.setScene(scene);
        stage.setMaxWidth(width(ownerWidth) + 40);
        stage.show();
        c.list.requestFocus();
        return stage;
    }

    private void bind(I18n i18n, List<ScriptChoiceViewModel.Row> rows) {
        I18nBinder.bind(root, i18n);
        list.getItems().setAll(rows);
        list.setCellFactory(v -> new ChoiceCell(v));
        if (!rows.isEmpty()) {
            list.getSelectionModel().select(0);
        }
        runButton.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        // Enter runs the selected script and Esc cancels even though the list has the focus (the list takes both
        // keys for itself, so they would not reach the default and cancel buttons).
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                e.consume();
                run();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                e.consume();
                cancel();
            }
        });
        list.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                run();
            }
        });
    }

    @FXML
    void run() {
        ScriptChoiceViewModel.Row chosen = list.getSelectionModel().getSelectedItem();
        if (chosen == null) {
            return;
        }
        close();
        onRun.accept(chosen.file());
    }

    @FXML
    void cancel() {
        close();
    }

    private void close() {
        if (root.getScene() != null && root.getScene().getWindow() instanceof Stage s) {
            s.close();
        }
    }

    /** A script's title in bold and its summary wrapped to the list's width (no horizontal scroll bar). */
    private static final class ChoiceCell extends ListCell<ScriptChoiceViewModel.Row> {

        private final Label title = new Label();
        private final Label summary = new Label();
        private final VBox box = new VBox(2, title, summary);

        ChoiceCell(ListView<ScriptChoiceViewModel.Row> owner) {
            title.getStyleClass().add("script-choice-title");
            title.setWrapText(true);
            summary.setWrapText(true);
            title.setMinHeight(Region.USE_PREF_SIZE);
            summary.setMinHeight(Region.USE_PREF_SIZE);
            // The cell asks for no width of its own: the list's width decides and the labels wrap within it.
            setPrefWidth(0);
            box.maxWidthProperty().bind(owner.widthProperty().subtract(30));
            box.prefWidthProperty().bind(box.maxWidthProperty());
        }

        @Override
        protected void updateItem(ScriptChoiceViewModel.Row item, boolean empty) {
            super.updateItem(item, empty);
            setText(null);
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            title.setText(item.title());
            summary.setText(item.summary());
            summary.setVisible(!item.summary().isEmpty());
            summary.setManaged(!item.summary().isEmpty());
            setGraphic(box);
        }
    }
}
