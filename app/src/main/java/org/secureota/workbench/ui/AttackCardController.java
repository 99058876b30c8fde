package org.secureota.workbench.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.BiConsumer;
import javafx.beans.value.ChangeListener;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Thin controller of attack-card.fxml: binds one card to its {@link AttackCardModel}; the toggle goes to the panel's model. */
public final class AttackCardController {

    @FXML VBox card;
    @FXML ToggleButton toggle;
    @FXML Label title;
    @FXML Tooltip explanation;
    @FXML GridPane parameters;
    @FXML Label expected;
    @FXML Label attacking;
    @FXML Label outcome;

    private AttackCardModel model;

    /** Loads one card bound to {@code model}; {@code onFailure} hears a failed arm or disarm with the attack's id. */
    static AttackCardController load(AttackCardModel model, AttackerViewModel attacker, BiConsumer<String, Throwable> onFailure) {
        FXMLLoader loader = new FXMLLoader(AttackCardController.class.getResource("attack-card.fxml"));
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("attack-card.fxml could not be loaded", e);
        }
        AttackCardController c = loader.getController();
        c.bind(model, attacker, onFailure);
        return c;
    }

    private void bind(AttackCardModel m, AttackerViewModel attacker, BiConsumer<String, Throwable> onFailure) {
        this.model = m;
        card.setId("attack-" + m.id());
        card.getProperties().put(AttackCardModel.class, m);
        toggle.setId("arm-" + m.id());
        toggle.textProperty().bind(m.armLabelProperty());
        toggle.disableProperty().bind(m.availableProperty().not());
        toggle.setOnAction(e -> {
            // The attacker says what is armed: the toggle shows it, not the click.
            toggle.setSelected(m.armedProperty().get());
            attacker.toggle(m).whenComplete((v, ex) -> {
                if (ex != null) {
                    onFailure.accept(m.id(), ex);
                }
            });
        });
        showArmed(m.armedProperty().get());
        m.armedProperty().addListener((o, a, armed) -> showArmed(armed));
        title.textProperty().bind(m.titleProperty());
        explanation.textProperty().bind(m.explanationProperty());
        int row = 0;
        for (AttackParameterModel p : m.parameterModels()) {
            addParameterRow(row++, p);
        }
        // Every parameter shows when the attack can reach the lab's devices: the grid shows or goes as one.
        if (row > 0) {
            parameters.managedProperty().bind(m.availableProperty());
        } else {
            parameters.setManaged(false);
        }
        parameters.visibleProperty().bind(parameters.managedProperty());
        expected.textProperty().bind(m.expectedProperty());
        expected.managedProperty().bind(m.availableProperty());
        expected.visibleProperty().bind(m.availableProperty());
        attacking.setId("attacking-" + m.id());
        attacking.textProperty().bind(m.attackingTextProperty());
        attacking.managedProperty().bind(m.attackingTextProperty().isNotEmpty());
        attacking.visibleProperty().bind(attacking.managedProperty());
        outcome.setId("outcome-" + m.id());
        outcome.textProperty().bind(m.outcomeProperty());
        outcome.managedProperty().bind(outcome.textProperty().isNotEmpty());
        outcome.visibleProperty().bind(outcome.managedProperty());
        showOutcomeStyle(null, m.outcomeStyleProperty().get());
        m.outcomeStyleProperty().addListener((ChangeListener<String>) (o, before, after) -> showOutcomeStyle(before, after));
    }

    private void showArmed(boolean armed) {
        toggle.setSelected(armed);
        card.getStyleClass().remove("armed");
        if (armed) {
            card.getStyleClass().add("armed");
        }
    }

    private void showOutcomeStyle(String before, String after) {
        if (before != null && !before.isEmpty()) {
            outcome.getStyleClass().remove(before);
        }
        if (after != null && !after.isEmpty()) {
            outcome.getStyleClass().add(after);
        }
    }

    /**
     * One parameter: its name in the first column, its field in the second, as wide as the card allows and at
     * least as wide as its value, so "updates.example.net" shows whole; the tooltip gives the whole value and the help.
     */
    private void addParameterRow(int row, AttackParameterModel p) {
        TextField field = new TextField();
        field.setId("parameter-" + model.id() + "-" + p.name());
        field.prefColumnCountProperty().bind(p.columnsProperty());
        field.setMaxWidth(Double.MAX_VALUE);
        GridPane.setHgrow(field, Priority.ALWAYS);
        field.textProperty().bindBidirectional(p.textProperty());
        field.disableProperty().bind(p.editableProperty().not());
        Tooltip tip = new Tooltip();
        tip.setWrapText(true);
        tip.setMaxWidth(480);
        tip.textProperty().bind(p.tooltipProperty());
        field.setTooltip(tip);
        Label name = new Label();
        name.textProperty().bind(p.labelProperty());
        name.getStyleClass().add("key");
        name.setLabelFor(field);
        parameters.addRow(row, name, field);
    }

    AttackCardModel model() {
        return model;
    }

    VBox view() {
        return card;
    }
}
