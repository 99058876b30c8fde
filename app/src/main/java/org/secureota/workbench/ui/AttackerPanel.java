package org.secureota.workbench.ui;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import javafx.beans.property.StringProperty;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.secureota.workbench.attack.AttackSurface;

/**
 * The attacker panel's view: one card per attack, grouped by surface, built from the
 * {@link AttackerViewModel}; every text binds to the model, every toggle goes to it.
 */
final class AttackerPanel {

    private final VBox root = new VBox();

    AttackerPanel(AttackerViewModel model, I18n i18n, BiConsumer<String, Throwable> onFailure) {
        root.getStyleClass().addAll("panel", "attacker-panel");
        Label title = new Label();
        title.getStyleClass().add("panel-title");
        title.textProperty().bind(i18n.text("attacker.title"));
        // Finding an attack without scrolling a long panel: typing filters the cards by title or id.
        TextField search = new TextField();
        search.setId("attack-search");
        search.promptTextProperty().bind(i18n.text("attacker.search"));
        root.getChildren().addAll(title, search);
        List<VBox> cards = new java.util.ArrayList<>();
        for (Map.Entry<AttackSurface, List<AttackCardModel>> group : model.groups().entrySet()) {
            Label g = new Label();
            g.getStyleClass().add("attack-group-title");
            g.textProperty().bind(i18n.text("attacker.group." + group.getKey().wireName()));
            root.getChildren().add(g);
            if (group.getKey() == AttackSurface.NETWORK) {
                Label note = new Label();
                note.setWrapText(true);
                note.getStyleClass().add("muted");
                note.textProperty().bind(i18n.text("attacker.unavailable"));
                AttackCardModel first = group.getValue().get(0);
                note.managedProperty().bind(first.availableProperty().not().and(model.availableProperty()));
                note.visibleProperty().bind(note.managedProperty());
                root.getChildren().add(note);
            }
            for (AttackCardModel card : group.getValue()) {
                VBox box = card(card, model, i18n, onFailure);
                box.getProperties().put(AttackCardModel.class, card);
                cards.add(box);
                root.getChildren().add(box);
            }
        }
        search.textProperty().addListener((o, a, query) -> {
            for (VBox box : cards) {
                boolean shown = matches((AttackCardModel) box.getProperties().get(AttackCardModel.class), query);
                box.setVisible(shown);
                box.setManaged(shown);
            }
        });
    }

    /** The card's title (in the current language) or id contains every word typed, case aside. */
    static boolean matches(AttackCardModel card, String query) {
        if (query == null || query.isBlank()) {
            return true;
        }
        String text = (card.titleProperty().get() + " " + card.id()).toLowerCase(java.util.Locale.ROOT);
        for (String word : query.toLowerCase(java.util.Locale.ROOT).trim().split("\\s+")) {
            if (!text.contains(word)) {
                return false;
            }
        }
        return true;
    }

    private static VBox card(AttackCardModel card, AttackerViewModel model, I18n i18n, BiConsumer<String, Throwable> onFailure) {
        VBox box = new VBox();
        box.getStyleClass().add("attack-card");
        box.setId("attack-" + card.id());
        ToggleButton toggle = new ToggleButton();
        toggle.setId("arm-" + card.id());
        toggle.textProperty().bind(i18n.bind(() -> i18n.get(card.armedProperty().get() ? "attacker.armed" : "attacker.arm"),
                card.armedProperty()));
        toggle.disableProperty().bind(card.availableProperty().not());
        toggle.setOnAction(e -> {
            toggle.setSelected(card.armedProperty().get());
            model.toggle(card).whenComplete((v, ex) -> {
                if (ex != null) {
                    onFailure.accept(card.id(), ex);
                }
            });
        });
        card.armedProperty().addListener((o, a, b) -> {
            toggle.setSelected(b);
            box.getStyleClass().remove("armed");
            if (b) {
                box.getStyleClass().add("armed");
            }
        });
        Label title = new Label();
        title.getStyleClass().add("attack-title");
        title.textProperty().bind(card.titleProperty());
        Tooltip explanation = new Tooltip();
        explanation.setWrapText(true);
        explanation.setMaxWidth(480);
        explanation.textProperty().bind(card.explanationProperty());
        title.setTooltip(explanation);
        // A long title (French titles run longer) wraps under itself; the Arm button keeps its width.
        title.setWrapText(true);
        title.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        toggle.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox.setHgrow(title, javafx.scene.layout.Priority.ALWAYS);
        HBox head = new HBox(8, toggle, title);
        head.getStyleClass().add("attack-head");
        box.getChildren().add(head);
        for (Map.Entry<String, StringProperty> p : card.parameters().entrySet()) {
            TextField field = new TextField();
            field.setPrefColumnCount(8);
            // The model keeps the wire value (once, every...); the field shows it in the current language.
            javafx.util.StringConverter<String> shown = new javafx.util.StringConverter<>() {
                @Override
                public String toString(String wire) {
                    return card.displayValue(wire);
                }

                @Override
                public String fromString(String typed) {
                    return card.wireValue(typed);
                }
            };
            field.textProperty().bindBidirectional(p.getValue(), shown);
            javafx.beans.value.ChangeListener<java.util.ResourceBundle> relabel =
                    (o, a, b) -> field.setText(shown.toString(p.getValue().get()));
            // Weakly (the field holds the listener): a panel of a closed session must not stay reachable from the I18n.
            field.getProperties().put("relabel", relabel);
            i18n.bundleProperty().addListener(new javafx.beans.value.WeakChangeListener<>(relabel));
            field.disableProperty().bind(card.armedProperty());
            Tooltip help = new Tooltip();
            help.textProperty().bind(i18n.bind(() -> card.parameterHelp(p.getKey())));
            field.setTooltip(help);
            Label name = new Label();
            name.textProperty().bind(i18n.bind(() -> card.parameterLabel(p.getKey())));
            name.getStyleClass().add("key");
            HBox row = new HBox(6, name, field);
            row.getStyleClass().add("attack-parameter");
            row.managedProperty().bind(card.availableProperty());
            row.visibleProperty().bind(card.availableProperty());
            box.getChildren().add(row);
        }
        Label expected = new Label();
        expected.setWrapText(true);
        expected.getStyleClass().add("muted");
        expected.textProperty().bind(card.expectedProperty());
        Label attacking = new Label();
        attacking.setId("attacking-" + card.id());
        attacking.getStyleClass().add("muted");
        attacking.textProperty().bind(i18n.bind(() -> card.attackingProperty().get().isEmpty() ? ""
                : i18n.get("attacker.attacking", card.attackingProperty().get()), card.attackingProperty()));
        attacking.managedProperty().bind(card.attackingProperty().isNotEmpty());
        attacking.visibleProperty().bind(attacking.managedProperty());
        Label outcome = new Label();
        outcome.setId("outcome-" + card.id());
        outcome.setWrapText(true);
        outcome.textProperty().bind(card.outcomeProperty());
        outcome.managedProperty().bind(outcome.textProperty().isNotEmpty());
        outcome.visibleProperty().bind(outcome.managedProperty());
        card.judgementProperty().addListener((o, a, j) -> {
            outcome.getStyleClass().removeAll("resisted", "not-resisted", "no-attempt");
            if (j != null) {
                // Red only for an attack that got through; no attempt yet is not a failure.
                outcome.getStyleClass().add(switch (j.result()) {
                    case RESISTED -> "resisted";
                    case NOT_RESISTED -> "not-resisted";
                    case NO_ATTEMPT -> "no-attempt";
                });
            }
        });
        expected.managedProperty().bind(card.availableProperty());
        expected.visibleProperty().bind(card.availableProperty());
        box.getChildren().addAll(expected, attacking, outcome);
        return box;
    }

    VBox view() {
        return root;
    }
}
