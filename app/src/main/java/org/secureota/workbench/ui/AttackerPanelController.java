package org.secureota.workbench.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import org.secureota.workbench.attack.AttackSurface;

/**
 * Thin controller of attacker-panel.fxml: the search field, and the cards (attack-card.fxml) grouped by
 * surface, bound to an {@link AttackerViewModel}. An armed card scrolls into sight; a replay disables the cards.
 * In presentation mode the panel shows the armed card alone, or one line saying no attack is armed.
 */
public final class AttackerPanelController {

    @FXML VBox attackerPanel;
    @FXML TextField search;
    @FXML Label noMatch;
    @FXML Label noneArmed;
    @FXML ScrollPane attackerScroll;
    @FXML VBox cards;

    private AttackerViewModel model;

    /** Loads the panel bound to {@code model}; {@code onFailure} hears a failed arm or disarm with the attack's id. */
    static AttackerPanelController load(AttackerViewModel model, I18n i18n, BiConsumer<String, Throwable> onFailure) {
        FXMLLoader loader = new FXMLLoader(AttackerPanelController.class.getResource("attacker-panel.fxml"));
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("attacker-panel.fxml could not be loaded", e);
        }
        AttackerPanelController c = loader.getController();
        c.bind(model, i18n, onFailure);
        return c;
    }

    private void bind(AttackerViewModel m, I18n i18n, BiConsumer<String, Throwable> onFailure) {
        this.model = m;
        I18nBinder.bind(attackerPanel, i18n);
        search.textProperty().bindBidirectional(m.searchProperty());
        noMatch.textProperty().bind(i18n.bind(() -> i18n.get("attacker.search.none", m.searchProperty().get().trim()),
                m.searchProperty()));
        noMatch.visibleProperty().bind(m.noMatchProperty());
        noMatch.managedProperty().bind(m.noMatchProperty());
        search.visibleProperty().bind(m.stageProperty().not());
        search.managedProperty().bind(search.visibleProperty());
        noneArmed.visibleProperty().bind(m.stageProperty().and(m.noneArmedProperty()));
        noneArmed.managedProperty().bind(noneArmed.visibleProperty());
        cards.disableProperty().bind(m.liveProperty().not());
        for (Map.Entry<AttackSurface, List<AttackCardModel>> group : m.groups().entrySet()) {
            Label title = new Label();
            title.getStyleClass().add("attack-group-title");
            title.textProperty().bind(i18n.text("attacker.group." + group.getKey().wireName()));
            title.visibleProperty().bind(m.groupShownProperty(group.getKey()));
            title.managedProperty().bind(m.groupShownProperty(group.getKey()));
            cards.getChildren().add(title);
            if (group.getKey() == AttackSurface.NETWORK) {
                Label note = new Label();
                note.setWrapText(true);
                note.getStyleClass().add("muted");
                note.textProperty().bind(i18n.text("attacker.unavailable"));
                note.managedProperty().bind(m.networkNoteProperty());
                note.visibleProperty().bind(m.networkNoteProperty());
                cards.getChildren().add(note);
            }
            for (AttackCardModel card : group.getValue()) {
                VBox view = AttackCardController.load(card, m, onFailure).view();
                view.visibleProperty().bind(m.inSightProperty(card));
                view.managedProperty().bind(view.visibleProperty());
                cards.getChildren().add(view);
                card.armedProperty().addListener((o, a, armed) -> {
                    if (armed) {
                        reveal(card.id());
                    }
                });
            }
        }
    }

    /** Scrolls so that the card of {@code attackId} shows (an armed card is always in sight). */
    void reveal(String attackId) {
        Node card = cards.lookup("#attack-" + attackId);
        if (card == null || !card.isVisible()) {
            return;
        }
        attackerScroll.layout();
        double contentHeight = cards.getBoundsInLocal().getHeight();
        double viewport = attackerScroll.getViewportBounds().getHeight();
        double y = card.getBoundsInParent().getMinY();
        attackerScroll.setVvalue(contentHeight <= viewport ? 0 : Math.min(1, Math.max(0, (y - 8) / (contentHeight - viewport))));
    }

    AttackerViewModel model() {
        return model;
    }

    /** The panel's root, as the window places it (right of the devices, or under the script strip on stage). */
    VBox view() {
        return attackerPanel;
    }
}
