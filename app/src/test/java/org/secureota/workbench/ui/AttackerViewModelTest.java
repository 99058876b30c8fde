package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.attack.AttackCatalog;
import org.secureota.workbench.attack.AttackSurface;
import org.secureota.workbench.attack.DeviceCheck;
import org.secureota.workbench.attack.Judgement;
import org.secureota.workbench.attack.JudgementResult;

/**
 * The attacker panel's state without a screen (current-thread executors): the search, which cards can be armed,
 * the texts and styles the cards show, the parameters in either language, and arming through what the lab gives.
 */
@Tag("unit")
class AttackerViewModelTest {

    /** What the lab's attacker was asked, in order ("arm flipped-byte {...}", "disarm flipped-byte"). */
    static final class Recorded implements AttackerViewModel.Arming {
        final List<String> calls = new ArrayList<>();
        /** An id whose arming the attacker refuses, as it does for a bad parameter. */
        String refuse;

        @Override
        public void arm(String id, Map<String, String> parameters) {
            if (id.equals(refuse)) {
                throw new IllegalArgumentException(id + ": offset must be a number or random");
            }
            calls.add("arm " + id + " " + parameters);
        }

        @Override
        public void disarm(String id) {
            calls.add("disarm " + id);
        }
    }

    private final I18n i18n = new I18n(Locale.ENGLISH);
    private final AttackerViewModel model = new AttackerViewModel(i18n, Runnable::run, Runnable::run);
    private final Recorded attacker = new Recorded();

    private AttackCardModel card(String id) {
        return model.card(id).orElseThrow();
    }

    private List<String> shown() {
        return model.cards().stream().filter(c -> c.shownProperty().get()).map(AttackCardModel::id).toList();
    }

    @Test
    void everyAttackOfTheCatalogueIsACardInItsSurfacesGroup() {
        assertThat(model.cards()).hasSize(AttackCatalog.all().size());
        model.groups().forEach((surface, cards) -> assertThat(cards).allMatch(c -> c.attack().surface() == surface));
        assertThat(shown()).hasSize(AttackCatalog.all().size());
        assertThat(model.noMatchProperty().get()).isFalse();
    }

    @Test
    void theSearchKeepsTheCardsWhoseTitleOrIdHoldEveryWordTyped() {
        model.searchProperty().set("flipped");
        assertThat(shown()).containsExactly("flipped-byte");
        assertThat(model.groupShownProperty(AttackSurface.STORE).get()).isTrue();
        assertThat(model.groupShownProperty(AttackSurface.NETWORK).get()).as("no network card matches").isFalse();
        assertThat(model.groupShownProperty(AttackSurface.TIME).get()).isFalse();

        // Every word, case aside, in the title or the id.
        model.searchProperty().set("  IMAGE   truncated ");
        assertThat(shown()).containsExactly("truncated-image");
        model.searchProperty().set("image");
        assertThat(shown()).contains("truncated-image", "padded-image", "resealed-image", "steal-image");

        model.searchProperty().set("no such attack");
        assertThat(shown()).isEmpty();
        assertThat(model.noMatchProperty().get()).isTrue();
        for (AttackSurface s : model.groups().keySet()) {
            assertThat(model.groupShownProperty(s).get()).isFalse();
        }

        model.searchProperty().set("");
        assertThat(shown()).hasSize(model.cards().size());
        assertThat(model.noMatchProperty().get()).isFalse();
    }

    @Test
    void theSearchFollowsTheLanguage() {
        String english = card("flipped-byte").titleProperty().get();
        i18n.setLocale(Locale.FRENCH);
        String french = card("flipped-byte").titleProperty().get();
        assertThat(french).isNotEqualTo(english);
        String frenchWord = java.util.Arrays.stream(french.split("\\s+")).filter(w -> w.length() > 4
                && !english.toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT))).findFirst().orElseThrow();
        model.searchProperty().set(frenchWord);
        assertThat(shown()).contains("flipped-byte");
        i18n.setLocale(Locale.ENGLISH);
        assertThat(shown()).as("back in English, the French word matches no title of flipped-byte").doesNotContain("flipped-byte");
    }

    @Test
    void beforeTheLabIsOpenNothingCanBeArmed() {
        assertThat(model.availableProperty().get()).isFalse();
        assertThat(model.cards()).noneMatch(c -> c.availableProperty().get());
        assertThat(model.networkNoteProperty().get()).as("no lab: nothing to explain yet").isFalse();
        CompletableFuture<Void> f = model.toggle(card("flipped-byte"));
        assertThat(f).isCompletedExceptionally();
        assertThat(f.handle((v, e) -> e.getMessage()).join()).contains("still opening");
        assertThat(attacker.calls).isEmpty();
    }

    @Test
    void devicesThatBypassTheEndpointLeaveTheNetworkCardsOffAndThePanelSaysWhy() {
        model.setArming(attacker, EnumSet.of(AttackSurface.STORE, AttackSurface.TIME));
        assertThat(card("flipped-byte").availableProperty().get()).isTrue();
        assertThat(card("rogue-server").availableProperty().get()).isFalse();
        assertThat(model.networkNoteProperty().get()).isTrue();
        // A search that hides every network card hides their note too.
        model.searchProperty().set("flipped");
        assertThat(model.networkNoteProperty().get()).isFalse();
        model.searchProperty().set("");

        CompletableFuture<Void> f = model.toggle(card("rogue-server"));
        assertThat(f.handle((v, e) -> e.getMessage()).join()).contains("rogue-server").contains("network endpoint");
        assertThat(attacker.calls).isEmpty();

        model.setArming(attacker, EnumSet.allOf(AttackSurface.class));
        assertThat(model.networkNoteProperty().get()).isFalse();
        assertThat(card("rogue-server").availableProperty().get()).isTrue();
    }

    @Test
    void armingGoesToTheAttackerWithTheParametersAndTheCardSaysArmed() {
        model.setArming(attacker, EnumSet.allOf(AttackSurface.class));
        AttackCardModel flipped = card("flipped-byte");
        AttackParameterModel offset = flipped.parameterModels().stream().filter(p -> p.name().equals("offset")).findFirst().orElseThrow();
        offset.textProperty().set("100");
        assertThat(flipped.armLabelProperty().get()).isEqualTo("Arm");
        assertThat(offset.editableProperty().get()).isTrue();

        model.toggle(flipped).join();
        assertThat(attacker.calls).hasSize(1);
        assertThat(attacker.calls.get(0)).startsWith("arm flipped-byte").contains("offset=100");
        assertThat(flipped.armedProperty().get()).isTrue();
        assertThat(flipped.armLabelProperty().get()).isEqualTo("Armed");
        assertThat(offset.editableProperty().get()).as("an armed attack keeps the values it was armed with").isFalse();
        i18n.setLocale(Locale.FRENCH);
        assertThat(flipped.armLabelProperty().get()).isNotEqualTo("Armed").isEqualTo(i18n.get("attacker.armed"));
        i18n.setLocale(Locale.ENGLISH);

        model.toggle(flipped).join();
        assertThat(attacker.calls).containsExactly(attacker.calls.get(0), "disarm flipped-byte");
        assertThat(flipped.armedProperty().get()).isFalse();
        assertThat(offset.editableProperty().get()).isTrue();
    }

    @Test
    void anArmingTheAttackerRefusesLeavesTheCardDisarmed() {
        model.setArming(attacker, EnumSet.allOf(AttackSurface.class));
        attacker.refuse = "flipped-byte";
        CompletableFuture<Void> f = model.toggle(card("flipped-byte"));
        assertThat(f).isCompletedExceptionally();
        assertThat(f.handle((v, e) -> (e instanceof CompletionException ? e.getCause() : e).getMessage()).join())
                .contains("offset must be a number");
        assertThat(card("flipped-byte").armedProperty().get()).isFalse();
    }

    @Test
    void aReplayArmsNothing() {
        model.setArming(attacker, EnumSet.allOf(AttackSurface.class));
        model.liveProperty().set(false);
        CompletableFuture<Void> f = model.toggle(card("flipped-byte"));
        assertThat(f.handle((v, e) -> e.getMessage()).join()).contains("Back to the live lab");
        assertThat(attacker.calls).isEmpty();
        model.liveProperty().set(true);
        model.toggle(card("flipped-byte")).join();
        assertThat(attacker.calls).hasSize(1);
    }

    @Test
    void anArmedCardHiddenByTheSearchComesBackInSight() {
        model.setArming(attacker, EnumSet.allOf(AttackSurface.class));
        model.searchProperty().set("rogue");
        assertThat(card("flipped-byte").shownProperty().get()).isFalse();
        // Armed from elsewhere (the Attack menu, a script) while the search hides its card.
        model.toggle(card("flipped-byte")).join();
        assertThat(card("flipped-byte").shownProperty().get()).isTrue();
        assertThat(model.searchProperty().get()).isEmpty();
    }

    @Test
    void aKeywordParameterShowsInTheCurrentLanguageAndIsTypedInEither() {
        AttackCardModel tampered = card("tampered-record");
        AttackParameterModel repeat = tampered.parameterModels().stream().filter(p -> p.name().equals("repeat")).findFirst().orElseThrow();
        assertThat(repeat.wireProperty().get()).isEqualTo("every");
        assertThat(repeat.textProperty().get()).isEqualTo("every");
        i18n.setLocale(Locale.FRENCH);
        assertThat(repeat.textProperty().get()).as("relabelled on a language switch").isEqualTo("à chaque fois");
        assertThat(repeat.labelProperty().get()).isNotBlank();
        repeat.textProperty().set("une fois");
        assertThat(repeat.wireProperty().get()).isEqualTo("once");
        assertThat(repeat.textProperty().get()).as("what was typed stays as typed").isEqualTo("une fois");
        assertThat(tampered.values()).containsEntry("repeat", "once");
        i18n.setLocale(Locale.ENGLISH);
        assertThat(repeat.textProperty().get()).isEqualTo("once");
        repeat.textProperty().set("EVERY");
        assertThat(repeat.wireProperty().get()).isEqualTo("every");
        // Anything else goes to the attack as typed: the attacker names a bad value when arming.
        repeat.textProperty().set("twice");
        assertThat(repeat.wireProperty().get()).isEqualTo("twice");
    }

    @Test
    void onStageOnlyTheArmedCardIsInSightAndNothingElse() {
        model.setArming(attacker, EnumSet.allOf(AttackSurface.class));
        model.searchProperty().set("rogue");
        model.stageProperty().set(true);
        assertThat(model.noneArmedProperty().get()).isTrue();
        assertThat(model.noMatchProperty().get()).as("no search sentence on stage").isFalse();
        for (AttackSurface s : AttackSurface.values()) {
            if (model.groupShownProperty(s) != null) {
                assertThat(model.groupShownProperty(s).get()).as("no group title on stage: " + s).isFalse();
            }
        }
        assertThat(model.networkNoteProperty().get()).isFalse();
        assertThat(model.cards()).allSatisfy(c -> assertThat(model.inSightProperty(c).get()).as(c.id()).isFalse());

        model.toggle(card("flipped-byte")).join();
        assertThat(model.noneArmedProperty().get()).isFalse();
        assertThat(model.cards()).allSatisfy(c -> assertThat(model.inSightProperty(c).get()).as(c.id())
                .isEqualTo(c.id().equals("flipped-byte")));

        model.stageProperty().set(false);
        assertThat(model.inSightProperty(card("flipped-byte")).get()).isTrue();
        assertThat(model.inSightProperty(card("rogue-server")).get()).as("back on the bench: every card").isTrue();
        model.toggle(card("flipped-byte")).join();
        model.stageProperty().set(true);
        assertThat(model.noneArmedProperty().get()).isTrue();
        assertThat(model.inSightProperty(card("flipped-byte")).get()).isFalse();
    }

    @Test
    void anAttackArmedElsewhereShowsTheValuesItWasArmedWith() {
        AttackCardModel flipped = card("flipped-byte");
        AttackParameterModel offset = flipped.parameterModels().stream().filter(p -> p.name().equals("offset")).findFirst().orElseThrow();
        assertThat(offset.textProperty().get()).isEqualTo("random");
        // A script armed it with offset=4096: the journal's ATTACK_ARMED event says so, the card follows.
        model.journaled(new org.secureota.workbench.journal.JournalEvent(7, java.time.Instant.EPOCH, 0L,
                org.secureota.workbench.journal.Source.ATTACKER, null,
                org.secureota.workbench.journal.EventType.ATTACK_ARMED.wireName(), "armed flipped-byte",
                Map.of("attack", "flipped-byte", "parameters", Map.of("offset", "4096", "product", "default", "version", "deployed"))));
        assertThat(flipped.armedProperty().get()).isTrue();
        assertThat(offset.textProperty().get()).isEqualTo("4096");
        assertThat(offset.tooltipProperty().get()).startsWith("4096\n");
        assertThat(flipped.values()).containsEntry("offset", "4096");
    }

    @Test
    void aParameterFieldAsksForItsWholeValueAndItsTooltipGivesTheValueAndTheHelp() {
        AttackParameterModel host = card("wrong-host-cert").parameterModels().stream()
                .filter(p -> p.name().equals("host")).findFirst().orElseThrow();
        assertThat(host.textProperty().get()).isEqualTo("updates.example.net");
        assertThat(host.columnsProperty().get()).as("room for all 19 characters").isGreaterThan("updates.example.net".length());
        String help = host.helpProperty().get();
        assertThat(help).isNotBlank();
        assertThat(host.tooltipProperty().get()).isEqualTo("updates.example.net\n" + help);
        host.textProperty().set("a-much-longer-host-name.example.org");
        assertThat(host.columnsProperty().get()).isGreaterThan("a-much-longer-host-name.example.org".length());
        assertThat(host.tooltipProperty().get()).startsWith("a-much-longer-host-name.example.org\n");
        i18n.setLocale(Locale.FRENCH);
        assertThat(host.tooltipProperty().get()).as("the help in French").endsWith(host.helpProperty().get())
                .isNotEqualTo("a-much-longer-host-name.example.org\n" + help);
        i18n.setLocale(Locale.ENGLISH);
        AttackParameterModel repeat = card("tampered-record").parameterModels().stream()
                .filter(p -> p.name().equals("repeat")).findFirst().orElseThrow();
        assertThat(repeat.columnsProperty().get()).as("a short value still gets a usable field")
                .isEqualTo(AttackParameterModel.MIN_COLUMNS);
        repeat.textProperty().set("");
        assertThat(repeat.tooltipProperty().get()).as("nothing typed: the help alone").isEqualTo(repeat.helpProperty().get());
    }

    @Test
    void theCardsOutcomeStyleIsRedOnlyForAnAttackThatGotThrough() {
        AttackCardModel flipped = card("flipped-byte");
        assertThat(flipped.outcomeStyleProperty().get()).isEmpty();
        flipped.armedProperty().set(true);
        for (var r : Map.of(JudgementResult.RESISTED, "resisted", JudgementResult.NOT_RESISTED, "not-resisted",
                JudgementResult.NO_ATTEMPT, "no-attempt").entrySet()) {
            flipped.judgementProperty().set(new Judgement("flipped-byte", "esp32-lab-01", r.getKey(), "HASH_MISMATCH",
                    Set.of("HASH_MISMATCH"), DeviceCheck.SHA256, true, 2, 1000, "1.0.0", "1.0.0", "answered", 1));
            assertThat(flipped.outcomeStyleProperty().get()).isEqualTo(r.getValue());
            assertThat(flipped.outcomeProperty().get()).contains("esp32-lab-01");
        }
        model.forgetJudgements();
        assertThat(flipped.outcomeStyleProperty().get()).isEmpty();
        assertThat(flipped.outcomeProperty().get()).isEmpty();
    }

    @Test
    void aStoreAttackSaysWhichReleasesItAlters() {
        AttackCardModel flipped = card("flipped-byte");
        assertThat(flipped.attackingTextProperty().get()).isEmpty();
        flipped.attackingProperty().set("shop-display 3.0.0");
        assertThat(flipped.attackingTextProperty().get()).isEqualTo("Attacks shop-display 3.0.0");
        i18n.setLocale(Locale.FRENCH);
        assertThat(flipped.attackingTextProperty().get()).isEqualTo(i18n.get("attacker.attacking", "shop-display 3.0.0"))
                .isNotEqualTo("Attacks shop-display 3.0.0");
    }
}
