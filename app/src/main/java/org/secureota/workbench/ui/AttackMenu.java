package org.secureota.workbench.ui;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;

/**
 * The Attack menu as a thin binding of an {@link AttackMenuViewModel}: its fixed items (arm the next attack,
 * disarm all) and, below them, every attack by where it acts; each item arms or disarms its attack, as its
 * card does, and shows what the attacker says is armed (not the click).
 */
final class AttackMenu {

    /** The property key that marks the items this class adds. */
    private static final String ITEM = "attack-item";

    private AttackMenu() {
    }

    /**
     * Binds {@code menu} to {@code model}, replacing the attack items a previous lab's model listed.
     *
     * @param onError hears an action that failed, with what it was (an attack's id or the item's text)
     */
    static void bind(Menu menu, MenuItem armNext, MenuItem disarmAll, AttackMenuViewModel model,
                     BiConsumer<String, Throwable> onError) {
        armNext.disableProperty().bind(model.enabledProperty().not());
        disarmAll.disableProperty().bind(model.enabledProperty().not());
        armNext.setOnAction(e -> report(model.armNext(), armNext.getText().replace("_", ""), onError));
        disarmAll.setOnAction(e -> report(model.disarmAll(), disarmAll.getText().replace("_", ""), onError));
        menu.getItems().removeIf(i -> i.getProperties().containsKey(ITEM));
        for (AttackMenuViewModel.Group group : model.groups()) {
            SeparatorMenuItem separator = new SeparatorMenuItem();
            separator.getProperties().put(ITEM, true);
            MenuItem title = new MenuItem();
            title.textProperty().bind(group.title());
            title.setDisable(true);
            title.getProperties().put(ITEM, true);
            menu.getItems().addAll(separator, title);
            for (AttackMenuViewModel.Item attack : group.items()) {
                CheckMenuItem item = new CheckMenuItem();
                item.setId("attack-menu-" + attack.id());
                item.getProperties().put(ITEM, true);
                item.textProperty().bind(attack.title());
                item.setSelected(attack.armed().get());
                attack.armed().addListener((o, a, armed) -> item.setSelected(armed));
                item.disableProperty().bind(attack.enabled().not());
                item.setOnAction(e -> {
                    // The attacker says what is armed: the item shows it, not the click.
                    item.setSelected(attack.armed().get());
                    report(model.toggle(attack), attack.id(), onError);
                });
                menu.getItems().add(item);
            }
        }
    }

    private static void report(CompletableFuture<Void> action, String what, BiConsumer<String, Throwable> onError) {
        action.whenComplete((v, ex) -> {
            if (ex != null) {
                onError.accept(what, ex);
            }
        });
    }
}
