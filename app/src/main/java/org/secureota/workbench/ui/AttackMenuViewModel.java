package org.secureota.workbench.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import org.secureota.workbench.attack.AttackSurface;

/**
 * The Attack menu's state: every attack of the catalogue by where it acts, each with its armed state (what the
 * attacker says, not the click) and whether it can be armed now; arm or disarm each, arm the next, disarm all.
 * Everything is disabled while a replay is shown ({@link AttackerViewModel#liveProperty()}) or before the lab
 * is open. It acts through the same {@link AttackerViewModel} as the attacker panel's cards.
 */
public final class AttackMenuViewModel {

    /** One surface's attacks under its title. */
    public record Group(AttackSurface surface, StringBinding title, List<Item> items) {
    }

    /** One attack's item: its title, armed state and whether it can be toggled now. */
    public record Item(AttackCardModel card, BooleanBinding enabled) {

        public String id() {
            return card.id();
        }

        public StringBinding title() {
            return card.titleProperty();
        }

        /** Armed as the attacker says (the menu shows this, not the click). */
        public ReadOnlyBooleanProperty armed() {
            return card.armedProperty();
        }
    }

    private final AttackerViewModel attacker;
    private final List<Group> groups = new ArrayList<>();
    private final BooleanBinding enabled;

    public AttackMenuViewModel(AttackerViewModel attacker, I18n i18n) {
        this.attacker = attacker;
        enabled = attacker.availableProperty().and(attacker.liveProperty());
        for (Map.Entry<AttackSurface, List<AttackCardModel>> g : attacker.groups().entrySet()) {
            List<Item> items = new ArrayList<>();
            for (AttackCardModel card : g.getValue()) {
                items.add(new Item(card, card.availableProperty().and(attacker.liveProperty())));
            }
            groups.add(new Group(g.getKey(), i18n.text("attacker.group." + g.getKey().name().toLowerCase(Locale.ROOT)),
                    List.copyOf(items)));
        }
    }

    public List<Group> groups() {
        return groups;
    }

    /** Every item, in menu order. */
    public List<Item> items() {
        return groups.stream().flatMap(g -> g.items().stream()).toList();
    }

    /** Whether "Arm the next attack" and "Disarm all" act now: the lab is open and live (not a replay). */
    public BooleanBinding enabledProperty() {
        return enabled;
    }

    /** Arms the item's attack, or disarms it if armed, as its card's toggle does. */
    public CompletableFuture<Void> toggle(Item item) {
        return attacker.toggle(item.card());
    }

    public CompletableFuture<Void> armNext() {
        return enabled.get() ? attacker.armNext() : refused();
    }

    public CompletableFuture<Void> disarmAll() {
        return enabled.get() ? attacker.disarmAll() : refused();
    }

    private CompletableFuture<Void> refused() {
        return CompletableFuture.failedFuture(new IllegalStateException(attacker.liveProperty().get()
                ? "the lab is still opening" : "a recorded session is on screen: choose File > Back to the live lab first"));
    }
}
