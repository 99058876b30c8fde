package org.secureota.workbench.ui;

import java.util.Locale;
import java.util.function.BiConsumer;
import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;

/**
 * The Attack menu's list of every attack by where it acts: each item arms or disarms its attack, as its
 * card does, and shows what the attacker says is armed (not the click). The menu's fixed items stay.
 */
final class AttackMenu {

    /** The property key that marks the items this class adds. */
    private static final String ITEM = "attack-item";

    private AttackMenu() {
    }

    /**
     * Replaces the attack items of {@code menu} with {@code model}'s attacks.
     *
     * @param live    true while a live lab is shown: a replay's menu arms nothing
     * @param onError hears an arm or disarm that failed, with the attack's id
     */
    static void list(Menu menu, AttackerViewModel model, I18n i18n, ObservableBooleanValue live,
                     BiConsumer<String, Throwable> onError) {
        menu.getItems().removeIf(i -> i.getProperties().containsKey(ITEM));
        for (var group : model.groups().entrySet()) {
            SeparatorMenuItem separator = new SeparatorMenuItem();
            separator.getProperties().put(ITEM, true);
            MenuItem title = new MenuItem();
            title.textProperty().bind(i18n.text("attacker.group." + group.getKey().name().toLowerCase(Locale.ROOT)));
            title.setDisable(true);
            title.getProperties().put(ITEM, true);
            menu.getItems().addAll(separator, title);
            for (AttackCardModel card : group.getValue()) {
                CheckMenuItem item = new CheckMenuItem();
                item.setId("attack-menu-" + card.id());
                item.getProperties().put(ITEM, true);
                item.textProperty().bind(card.titleProperty());
                item.setSelected(card.armedProperty().get());
                card.armedProperty().addListener((o, a, armed) -> item.setSelected(armed));
                item.disableProperty().bind(card.availableProperty().not().or(javafx.beans.binding.Bindings.not(live)));
                item.setOnAction(e -> {
                    // The attacker says what is armed: the item shows it, not the click.
                    item.setSelected(card.armedProperty().get());
                    model.toggle(card).whenComplete((v, ex) -> {
                        if (ex != null) {
                            onError.accept(card.id(), ex);
                        }
                    });
                });
                menu.getItems().add(item);
            }
        }
    }
}
