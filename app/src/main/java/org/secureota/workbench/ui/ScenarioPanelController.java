package org.secureota.workbench.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.layout.VBox;
import org.secureota.workbench.scenario.StepSnapshot;

/**
 * Thin controller of scenario-panel.fxml: binds the strip to a {@link ScenarioViewModel} (which renders the
 * texts and rows) and hands the buttons to the script's control.
 */
public final class ScenarioPanelController {

    @FXML VBox root;
    @FXML Label title;
    @FXML Label position;
    @FXML Label paceLabel;
    @FXML Spinner<Integer> pace;
    @FXML Button nextButton;
    @FXML Button restartButton;
    @FXML Button stopButton;
    @FXML Label narration;
    @FXML Label failure;
    @FXML ListView<StepSnapshot> steps;

    private Runnable onNext = () -> { };
    private Runnable onRestart = () -> { };
    private Runnable onStop = () -> { };

    /** Loads the strip for {@code model}; the buttons run {@code next}, {@code restart} and {@code stop}. FX thread. */
    static ScenarioPanelController load(ScenarioViewModel model, I18n i18n, Runnable next, Runnable restart,
                                        Runnable stop) {
        FXMLLoader loader = new FXMLLoader(ScenarioPanelController.class.getResource("scenario-panel.fxml"));
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("scenario-panel.fxml could not be loaded", e);
        }
        ScenarioPanelController c = loader.getController();
        c.onNext = next;
        c.onRestart = restart;
        c.onStop = stop;
        c.bind(model, i18n);
        return c;
    }

    private void bind(ScenarioViewModel model, I18n i18n) {
        I18nBinder.bind(root, i18n);
        title.textProperty().bind(model.titleProperty());
        position.textProperty().bind(model.positionProperty());
        narration.textProperty().bind(model.narrationProperty());
        failure.textProperty().bind(model.failureProperty());
        failure.managedProperty().bind(failure.textProperty().isNotEmpty());
        failure.visibleProperty().bind(failure.managedProperty());
        nextButton.disableProperty().bind(model.waitingProperty().not());
        // Play's pace: the pause after each step, adjustable while the script plays; 0 is full speed.
        pace.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, 30, model.pauseSecondsProperty().get()));
        pace.getValueFactory().valueProperty().bindBidirectional(model.pauseSecondsValue());
        javafx.scene.control.Tooltip paceTip = new javafx.scene.control.Tooltip();
        paceTip.textProperty().bind(i18n.text("scenario.pause.tooltip"));
        pace.setTooltip(paceTip);
        steps.setItems(model.stepSnapshots());
        steps.setCellFactory(v -> new ListCell<>() {
            {
                // A long row (an attack's title, a sweep's count) wraps within the strip's width: on stage the strip
                // is half the window wide and a horizontal scroll bar would hide the step under it.
                setWrapText(true);
                setPrefWidth(0);
            }

            @Override
            protected void updateItem(StepSnapshot item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeAll("step-passed", "step-failed", "step-current");
                if (empty || item == null) {
                    setText(null);
                    return;
                }
                setText(model.row(item));
                String style = ScenarioViewModel.rowStyle(item.status());
                if (style != null) {
                    getStyleClass().add(style);
                }
            }
        });
        // A language switch re-renders the rows: the snapshots are the same, their words are not.
        i18n.localeProperty().addListener((o, a, b) -> steps.refresh());
        model.shownProperty().addListener((o, a, index) -> {
            int row = ScenarioViewModel.scrollTarget(index.intValue());
            if (row >= 0) {
                steps.scrollTo(row);
            }
        });
        root.managedProperty().bind(model.activeProperty());
        root.visibleProperty().bind(model.activeProperty());
    }

    VBox view() {
        return root;
    }

    @FXML
    void next() {
        onNext.run();
    }

    @FXML
    void restart() {
        onRestart.run();
    }

    @FXML
    void stop() {
        onStop.run();
    }
}
