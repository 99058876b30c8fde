package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.attack.AttackCatalog;
import org.secureota.workbench.attack.AttackSurface;

/**
 * The Attack menu's state without a screen (current-thread executors): every attack by surface with what the
 * attacker says is armed, arm or disarm each, arm the next, disarm all; a replay or a lab still opening arms nothing.
 */
@Tag("unit")
class AttackMenuViewModelTest {

    private final I18n i18n = new I18n(Locale.ENGLISH);
    private final AttackerViewModel attacker = new AttackerViewModel(i18n, Runnable::run, Runnable::run);
    private final AttackMenuViewModel menu = new AttackMenuViewModel(attacker, i18n);
    private final AttackerViewModelTest.Recorded lab = new AttackerViewModelTest.Recorded();

    private AttackMenuViewModel.Item item(String id) {
        return menu.items().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void itListsEveryAttackOnceUnderItsSurface() {
        assertThat(menu.items()).hasSize(AttackCatalog.all().size());
        assertThat(menu.items().stream().map(AttackMenuViewModel.Item::id).distinct()).hasSize(AttackCatalog.all().size());
        assertThat(menu.groups().stream().map(AttackMenuViewModel.Group::surface).toList())
                .containsExactlyElementsOf(attacker.groups().keySet());
        for (AttackMenuViewModel.Group g : menu.groups()) {
            assertThat(g.items()).allMatch(i -> i.card().attack().surface() == g.surface());
        }
        AttackMenuViewModel.Group network = menu.groups().stream().filter(g -> g.surface() == AttackSurface.NETWORK).findFirst().orElseThrow();
        assertThat(network.title().get()).isEqualTo("On the network path");
        i18n.setLocale(Locale.FRENCH);
        assertThat(network.title().get()).isEqualTo(i18n.get("attacker.group.network")).isNotEqualTo("On the network path");
        assertThat(item("flipped-byte").title().get()).isEqualTo(attacker.card("flipped-byte").orElseThrow().titleProperty().get());
    }

    @Test
    void nothingActsBeforeTheLabIsOpenNorDuringAReplay() {
        assertThat(menu.enabledProperty().get()).isFalse();
        assertThat(menu.items()).noneMatch(i -> i.enabled().get());
        assertThat(menu.armNext()).isCompletedExceptionally();

        attacker.setArming(lab, EnumSet.of(AttackSurface.STORE, AttackSurface.TIME));
        assertThat(menu.enabledProperty().get()).isTrue();
        assertThat(item("flipped-byte").enabled().get()).isTrue();
        assertThat(item("rogue-server").enabled().get()).as("the devices bypass the endpoint").isFalse();

        attacker.liveProperty().set(false);
        assertThat(menu.enabledProperty().get()).isFalse();
        assertThat(menu.items()).noneMatch(i -> i.enabled().get());
        assertThat(menu.armNext().handle((v, e) -> e.getMessage()).join()).contains("recorded session");
        assertThat(menu.disarmAll()).isCompletedExceptionally();
        assertThat(menu.toggle(item("flipped-byte"))).isCompletedExceptionally();
        assertThat(lab.calls).isEmpty();
        attacker.liveProperty().set(true);
        assertThat(menu.enabledProperty().get()).isTrue();
    }

    @Test
    void anItemArmsAndDisarmsItsAttackAsTheCardDoes() {
        attacker.setArming(lab, EnumSet.allOf(AttackSurface.class));
        AttackMenuViewModel.Item flipped = item("flipped-byte");
        AttackCardModel card = attacker.card("flipped-byte").orElseThrow();
        menu.toggle(flipped).join();
        assertThat(flipped.armed().get()).isTrue();
        assertThat(card.armedProperty().get()).as("the panel's card says so too").isTrue();
        assertThat(lab.calls).hasSize(1);
        assertThat(lab.calls.get(0)).startsWith("arm flipped-byte");

        // Armed from the card: the menu item follows.
        attacker.toggle(attacker.card("rogue-server").orElseThrow()).join();
        assertThat(item("rogue-server").armed().get()).isTrue();

        menu.toggle(flipped).join();
        assertThat(flipped.armed().get()).isFalse();
        assertThat(card.armedProperty().get()).isFalse();

        menu.disarmAll().join();
        assertThat(menu.items()).noneMatch(i -> i.armed().get());
        assertThat(lab.calls).endsWith("disarm rogue-server");
    }

    @Test
    void armTheNextAttackWalksTheCatalogueOneAtATime() {
        attacker.setArming(lab, EnumSet.allOf(AttackSurface.class));
        List<String> order = attacker.cards().stream().map(AttackCardModel::id).toList();
        menu.armNext().join();
        assertThat(armed()).containsExactly(order.get(0));
        menu.armNext().join();
        assertThat(armed()).containsExactly(order.get(1));
        assertThat(lab.calls).containsExactly("arm " + order.get(0) + " " + attacker.card(order.get(0)).orElseThrow().values(),
                "disarm " + order.get(0), "arm " + order.get(1) + " " + attacker.card(order.get(1)).orElseThrow().values());
    }

    private List<String> armed() {
        return menu.items().stream().filter(i -> i.armed().get()).map(AttackMenuViewModel.Item::id).toList();
    }
}
