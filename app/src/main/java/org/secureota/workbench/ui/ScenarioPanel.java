package org.secureota.workbench.ui;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.secureota.workbench.scenario.StepSnapshot;

/**
 * The scenario runner's strip (above the panels; on stage above the attacker): title and position, the narration in large type,
 * the steps with their marks, a failed expectation's expected and seen values, and the controls.
 * Shown while a run exists, in presentation mode too.
 */
final class ScenarioPanel {

    private final VBox root = new VBox();

    ScenarioPanel(ScenarioViewModel model, I18n i18n, Runnable next, Runnable restart, Runnable stop) {
        root.getStyleClass().add("narration");
        root.setId("scenario-panel");
        Label title = new Label();
        title.getStyleClass().add("panel-title");
        title.textProperty().bind(model.titleProperty());
        Label position = new Label();
        position.getStyleClass().add("scenario-position");
        position.textProperty().bind(model.positionProperty());
        Button nextButton = new Button();
        nextButton.setId("scenario-next");
        nextButton.textProperty().bind(i18n.text("scenario.next"));
        nextButton.disableProperty().bind(model.waitingProperty().not());
        nextButton.setOnAction(e -> next.run());
        Button restartButton = new Button();
        restartButton.textProperty().bind(i18n.text("scenario.restart"));
        restartButton.setOnAction(e -> restart.run());
        Button stopButton = new Button();
        stopButton.textProperty().bind(i18n.text("scenario.stop"));
        stopButton.setOnAction(e -> stop.run());
        // Play's pace: the pause after each step, adjustable while the script plays; 0 is full speed.
        Label paceLabel = new Label();
        paceLabel.textProperty().bind(i18n.text("scenario.pause"));
        paceLabel.setMinWidth(Region.USE_PREF_SIZE);
        javafx.scene.control.Spinner<Integer> pace = new javafx.scene.control.Spinner<>(0, 30,
                model.pauseSecondsProperty().get());
        pace.setId("scenario-pause");
        // Bench-only: on stage the header keeps the title, the counter and the buttons; the pace set before applies.
        paceLabel.getStyleClass().add("chrome");
        pace.getStyleClass().add("chrome");
        pace.setPrefWidth(70);
        pace.setMinWidth(Region.USE_PREF_SIZE);
        pace.setEditable(false);
        pace.valueProperty().addListener((o, a, b) -> model.pauseSecondsProperty().set(b));
        model.pauseSecondsProperty().addListener((o, a, b) -> pace.getValueFactory().setValue(b.intValue()));
        javafx.scene.control.Tooltip paceTip = new javafx.scene.control.Tooltip();
        paceTip.textProperty().bind(i18n.text("scenario.pause.tooltip"));
        pace.setTooltip(paceTip);
        paceLabel.setTooltip(paceTip);
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        // The title has its own line and wraps: on stage the strip is half the window wide (above the attacker),
        // too narrow for the title, the counter and the buttons on one line. The counter gives way (cut, whole in
        // a tooltip), never the buttons: the header is not clipped on the right.
        title.setWrapText(true);
        title.setMinHeight(Region.USE_PREF_SIZE);
        position.setMinWidth(0);
        javafx.scene.control.Tooltip positionTip = new javafx.scene.control.Tooltip();
        positionTip.textProperty().bind(position.textProperty());
        position.setTooltip(positionTip);
        for (Button b : new Button[] {nextButton, restartButton, stopButton}) {
            b.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox head = new HBox(12, position, grow, paceLabel, pace, nextButton, restartButton, stopButton);
        head.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        head.getStyleClass().add("scenario-head");
        Label narration = new Label();
        narration.setId("scenario-narration");
        narration.getStyleClass().add("narration-text");
        narration.setWrapText(true);
        narration.setMinHeight(Region.USE_PREF_SIZE);
        narration.textProperty().bind(model.narrationProperty());
        Label failure = new Label();
        failure.getStyleClass().add("scenario-failure");
        failure.setWrapText(true);
        failure.setMinHeight(Region.USE_PREF_SIZE);
        failure.textProperty().bind(model.failureProperty());
        failure.managedProperty().bind(failure.textProperty().isNotEmpty());
        failure.visibleProperty().bind(failure.managedProperty());
        // The steps with their marks, on stage too: the audience sees how far the script got and what held.
        ListView<StepSnapshot> steps = new ListView<>(model.stepSnapshots());
        steps.setId("scenario-steps");
        steps.getStyleClass().add("scenario-steps");
        steps.setFocusTraversable(false);
        steps.setPrefHeight(110);
        steps.setMinHeight(Region.USE_PREF_SIZE);
        steps.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(StepSnapshot item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeAll("step-passed", "step-failed", "step-current");
                if (empty || item == null) {
                    setText(null);
                    return;
                }
                setText(ScenarioViewModel.row(item));
                String style = ScenarioViewModel.rowStyle(item.status());
                if (style != null) {
                    getStyleClass().add(style);
                }
            }
        });
        model.shownProperty().addListener((o, a, index) -> {
            if (index.intValue() >= 1) {
                steps.scrollTo(Math.max(0, index.intValue() - 2));
            }
        });
        root.getChildren().addAll(title, head, narration, failure, steps);
        root.managedProperty().bind(model.activeProperty());
        root.visibleProperty().bind(model.activeProperty());
    }

    VBox view() {
        return root;
    }
}
