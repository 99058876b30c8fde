package org.secureota.workbench.ui;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.secureota.workbench.attack.Attack;
import org.secureota.workbench.attack.AttackCatalog;
import org.secureota.workbench.attack.AttackSurface;
import org.secureota.workbench.attack.Attacker;
import org.secureota.workbench.attack.Judgement;

/**
 * The attacker panel's state: every attack of the catalogue as a card, grouped by where it acts.
 * Arming and disarming run on {@code work} (they touch files and the network); their results come
 * back through {@code fx}. The panel judges nothing: it shows the judgements the lab's attacker
 * publishes ({@link #judged}), which say whether the device resisted and which check stopped the attack.
 */
public final class AttackerViewModel {

    private final Map<AttackSurface, List<AttackCardModel>> groups = new EnumMap<>(AttackSurface.class);
    private final List<AttackCardModel> cards = new ArrayList<>();
    private final Executor work;
    private final Executor fx;
    /** What arms and disarms: the live lab's attacker ({@link #setAttacker}); null until the lab is open. */
    private volatile Arming arming;
    /** The panel's search: the cards whose title or id hold every word typed stay shown. */
    private final javafx.beans.property.StringProperty search = new javafx.beans.property.SimpleStringProperty(this, "search", "");
    /** False while a replay is shown: a recorded session arms nothing. */
    private final javafx.beans.property.BooleanProperty live = new javafx.beans.property.SimpleBooleanProperty(this, "live", true);
    private final javafx.beans.binding.BooleanBinding networkNote;
    private final javafx.beans.binding.BooleanBinding noMatch;
    private final Map<AttackSurface, javafx.beans.binding.BooleanBinding> groupShown = new EnumMap<>(AttackSurface.class);
    /** True in presentation mode: the panel shows the armed card alone (or one line saying none is). */
    private final javafx.beans.property.BooleanProperty stage = new javafx.beans.property.SimpleBooleanProperty(this, "stage");
    private final javafx.beans.binding.BooleanBinding noneArmed;
    private final Map<AttackCardModel, javafx.beans.binding.BooleanBinding> inSight = new java.util.HashMap<>();

    /** Arms and disarms attacks by id: the lab's {@link Attacker} (a unit test gives its own). */
    interface Arming {
        void arm(String id, Map<String, String> parameters);

        void disarm(String id);
    }
    private final javafx.beans.property.ReadOnlyBooleanWrapper available = new javafx.beans.property.ReadOnlyBooleanWrapper(this, "available");

    /** The devices that installed an attacker's image, and run it still (their banners keep saying so). */
    private final ForgedImages forged = new ForgedImages();

    /** Each device's latest judgement on display, whoever published it; the outcome banners follow it. */
    private final javafx.collections.ObservableMap<String, Judgement> latest = javafx.collections.FXCollections.observableHashMap();
    /**
     * One read-only view, kept: an unmodifiable observable map holds its listeners' link to {@link #latest}
     * weakly, so a fresh view per call was collected and a banner's listener on it went silent (the banner
     * then said NOT UPDATED beside a card that said resisted, until the device's next snapshot).
     */
    private final javafx.collections.ObservableMap<String, Judgement> latestView =
            javafx.collections.FXCollections.unmodifiableObservableMap(latest);

    public AttackerViewModel(I18n i18n, Executor work, Executor fx) {
        this.work = work;
        this.fx = fx;
        for (Attack a : AttackCatalog.all()) {
            AttackCardModel card = new AttackCardModel(a, i18n);
            cards.add(card);
            groups.computeIfAbsent(a.surface(), s -> new ArrayList<>()).add(card);
            card.judgementProperty().addListener((o, before, after) -> {
                if (after != null && after.deviceId() != null) {
                    forged.judged(after);
                    latest.put(after.deviceId(), after);
                } else if (before != null && before.deviceId() != null && before.equals(latest.get(before.deviceId()))) {
                    // The card forgets (disarmed, re-armed, the device moved on); a device that installed a
                    // forged image still runs it, and its banner keeps saying so.
                    Judgement stillRuns = forged.running(before.deviceId());
                    if (stillRuns != null) {
                        latest.put(before.deviceId(), stillRuns);
                    } else {
                        latest.remove(before.deviceId());
                    }
                }
            });
            // A card holds its attack's last judgement only; the banners of the other devices it judged forget it
            // too when the attack is disarmed or armed again (unless the device runs the image it installed).
            card.armedProperty().addListener((o, was, now) -> forgetJudgementsOf(a.id()));
            // An armed card is always in sight: a search that hides it (armed from the menu or a script) gives way.
            card.armedProperty().addListener((o, was, armed) -> {
                if (armed && !card.shownProperty().get()) {
                    search.set("");
                }
            });
            // The search follows the language: a French title matches French words.
            // (A change listener on the title: it reads the new title each time, so the lazy binding keeps signalling.)
            search.addListener((o, before, query) -> card.setShown(card.matches(query)));
            card.titleProperty().addListener((o, before, title) -> card.setShown(card.matches(search.get())));
        }
        for (Map.Entry<AttackSurface, List<AttackCardModel>> g : groups.entrySet()) {
            javafx.beans.Observable[] deps = g.getValue().stream().map(AttackCardModel::shownProperty).toArray(javafx.beans.Observable[]::new);
            groupShown.put(g.getKey(), javafx.beans.binding.Bindings.createBooleanBinding(
                    () -> g.getValue().stream().anyMatch(c -> c.shownProperty().get()), deps).and(stage.not()));
        }
        javafx.beans.Observable[] allShown = cards.stream().map(AttackCardModel::shownProperty).toArray(javafx.beans.Observable[]::new);
        noMatch = javafx.beans.binding.Bindings.createBooleanBinding(
                () -> cards.stream().noneMatch(c -> c.shownProperty().get()), allShown).and(stage.not());
        javafx.beans.Observable[] allArmed = cards.stream().map(AttackCardModel::armedProperty).toArray(javafx.beans.Observable[]::new);
        noneArmed = javafx.beans.binding.Bindings.createBooleanBinding(
                () -> cards.stream().noneMatch(c -> c.armedProperty().get()), allArmed);
        for (AttackCardModel c : cards) {
            // On stage the armed card alone; on the bench every card the search matches.
            inSight.put(c, javafx.beans.binding.Bindings.when(stage).then(c.armedProperty()).otherwise(c.shownProperty()));
        }
        // The network cards are off when the devices do not go through the endpoint: the panel says why, once.
        List<AttackCardModel> network = groups.getOrDefault(AttackSurface.NETWORK, List.of());
        networkNote = network.isEmpty() ? javafx.beans.binding.Bindings.createBooleanBinding(() -> false)
                : network.get(0).availableProperty().not().and(available).and(groupShown.get(AttackSurface.NETWORK)).and(stage.not());
    }

    /** Presentation mode: the panel shows the armed card only, without the search, group titles or notes. */
    public javafx.beans.property.BooleanProperty stageProperty() {
        return stage;
    }

    /** Whether {@code card} shows now: the armed one on stage, the ones the search matches on the bench. */
    public javafx.beans.binding.BooleanBinding inSightProperty(AttackCardModel card) {
        return inSight.get(card);
    }

    /** True when no attack is armed (on stage the panel then says so in one line). */
    public javafx.beans.binding.BooleanBinding noneArmedProperty() {
        return noneArmed;
    }

    /** The search typed in the panel. */
    public javafx.beans.property.StringProperty searchProperty() {
        return search;
    }

    /** Whether any card of {@code surface} matches the search (its group title shows only then; never on stage). */
    public javafx.beans.binding.BooleanBinding groupShownProperty(AttackSurface surface) {
        return groupShown.get(surface);
    }

    /** True when the search matches no attack at all. */
    public javafx.beans.binding.BooleanBinding noMatchProperty() {
        return noMatch;
    }

    /** Whether the panel explains why the network attacks are off (the lab is open, its devices bypass the endpoint). */
    public javafx.beans.binding.BooleanBinding networkNoteProperty() {
        return networkNote;
    }

    /** False while a replay is shown: the cards and the Attack menu arm nothing then. */
    public javafx.beans.property.BooleanProperty liveProperty() {
        return live;
    }

    /** The judgement each device's banner shows (device id to judgement), FX thread; read only. */
    public javafx.collections.ObservableMap<String, Judgement> latestJudgements() {
        return latestView;
    }

    /**
     * A device now runs {@code version}: a judgement of it made on another version no longer speaks
     * about what the device shows, so its card and banner clear. FX thread.
     */
    public void deviceRuns(String deviceId, String version) {
        if (version == null) {
            return;
        }
        for (AttackCardModel c : cards) {
            Judgement j = c.judgementProperty().get();
            if (j != null && deviceId.equals(j.deviceId()) && j.versionAfter() != null && !j.versionAfter().equals(version)) {
                c.judgementProperty().set(null);
            }
        }
    }

    /**
     * A device's snapshot (what {@link #deviceRuns} needs, and more): a device that installed an attacker's
     * image keeps its judgement on its banner until it runs a genuine image again. FX thread.
     */
    public void deviceShows(String deviceId, org.secureota.workbench.device.DeviceSnapshot s) {
        if (s == null) {
            return;
        }
        deviceRuns(deviceId, s.version());
        Judgement gone = forged.follow(deviceId, s);
        if (gone != null && gone.equals(latest.get(deviceId))) {
            latest.remove(deviceId);
        }
    }

    private void forgetJudgementsOf(String attackId) {
        for (Map.Entry<String, Judgement> e : List.copyOf(latest.entrySet())) {
            if (e.getValue().attackId().equals(attackId) && !e.getValue().equals(forged.running(e.getKey()))) {
                latest.remove(e.getKey());
            }
        }
    }

    /** Reset demo: every device is factory-fresh, nothing is armed: no card and no banner keeps a judgement. */
    public void forgetJudgements() {
        forged.forget();
        for (AttackCardModel c : cards) {
            c.judgementProperty().set(null);
        }
        latest.clear();
    }

    /**
     * The live lab's attacker (null until the lab is open) and the surfaces it can reach from where
     * the devices are; the other cards stay disabled. FX thread.
     */
    public void setAttacker(Attacker attacker, Set<AttackSurface> reachable) {
        setArming(attacker == null ? null : new Arming() {
            @Override
            public void arm(String id, Map<String, String> parameters) {
                attacker.arm(id, parameters);
            }

            @Override
            public void disarm(String id) {
                attacker.disarm(id);
            }
        }, reachable);
    }

    /** What arms and disarms, and the surfaces it reaches (the other cards stay disabled). FX thread. */
    void setArming(Arming arming, Set<AttackSurface> reachable) {
        this.arming = arming;
        boolean on = arming != null;
        available.set(on);
        for (AttackCardModel c : cards) {
            c.availableProperty().set(on && reachable.contains(c.attack().surface()));
        }
    }

    /** Whether the lab's attacker is there (the lab is open). */
    public javafx.beans.property.ReadOnlyBooleanProperty availableProperty() {
        return available.getReadOnlyProperty();
    }

    public Map<AttackSurface, List<AttackCardModel>> groups() {
        return groups;
    }

    public List<AttackCardModel> cards() {
        return cards;
    }

    public Optional<AttackCardModel> card(String id) {
        return cards.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Arms the card's attack with its parameters, or disarms it if armed. */
    public CompletableFuture<Void> toggle(AttackCardModel card) {
        Arming a = arming;
        if (a == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the lab is still opening"));
        }
        if (!live.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "a recorded session is on screen: choose File > Back to the live lab to arm or disarm " + card.id()));
        }
        if (!card.availableProperty().get()) {
            return CompletableFuture.failedFuture(new IllegalStateException(card.id()
                    + " acts on the network path, and the devices of this lab do not go through the network endpoint"));
        }
        boolean arm = !card.armedProperty().get();
        return CompletableFuture.runAsync(() -> {
            if (arm) {
                a.arm(card.id(), card.values());
            } else {
                a.disarm(card.id());
            }
        }, work).thenRunAsync(() -> {
            card.armedProperty().set(arm);
            if (arm) {
                card.judgementProperty().set(null);
            }
        }, fx);
    }

    /** Arms the attack after the last armed one in catalogue order (the presenter's "next attack" key). */
    public CompletableFuture<Void> armNext() {
        int last = -1;
        for (int i = 0; i < cards.size(); i++) {
            if (cards.get(i).armedProperty().get() || cards.get(i).judgementProperty().get() != null) {
                last = i;
            }
        }
        CompletableFuture<Void> disarm = disarmAll();
        AttackCardModel next = null;
        for (int k = 1; k <= cards.size() && next == null; k++) {
            AttackCardModel c = cards.get((last + k) % cards.size());
            if (c.availableProperty().get()) {
                next = c;
            }
        }
        if (next == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no attack is available in this lab"));
        }
        AttackCardModel chosen = next;
        return disarm.thenCompose(v -> toggle(chosen));
    }

    public CompletableFuture<Void> disarmAll() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (AttackCardModel c : cards) {
            if (c.armedProperty().get()) {
                all.add(toggle(c));
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /**
     * Follows the attacker's journal events, whoever drove it (this panel, a demo script, the lab
     * console): armed and disarmed states. A replayed session (no live attacker) also shows the
     * judgements its journal recorded, exactly as published. FX thread.
     */
    public void journaled(org.secureota.workbench.journal.JournalEvent e) {
        String id = e.field("attack").orElse(null);
        if (id == null) {
            return;
        }
        card(id).ifPresent(c -> {
            if (e.type().equals(org.secureota.workbench.journal.EventType.ATTACK_ARMED.wireName())) {
                c.armedProperty().set(true);
                c.judgementProperty().set(null);
                c.attackingProperty().set(versions(e));
                // Armed from anywhere (a script, the CLI, the menu): the fields show the values it runs with.
                if (e.fields().get("parameters") instanceof Map<?, ?> armedWith) {
                    for (AttackParameterModel p : c.parameterModels()) {
                        Object v = armedWith.get(p.name());
                        if (v != null) {
                            p.wireProperty().set(String.valueOf(v));
                        }
                    }
                }
            } else if (e.type().equals(org.secureota.workbench.journal.EventType.ATTACK_RETARGETED.wireName())) {
                // The attack followed a new deployment: the card says which releases it alters now.
                c.attackingProperty().set(versions(e));
            } else if (e.type().equals(org.secureota.workbench.journal.EventType.ATTACK_DISARMED.wireName())) {
                c.armedProperty().set(false);
                c.attackingProperty().set("");
            } else if (arming == null) {
                Judgement.fromJournal(e).ifPresent(c.judgementProperty()::set);
            }
        });
    }

    private static String versions(org.secureota.workbench.journal.JournalEvent e) {
        Object versions = e.fields().get("versions");
        return versions instanceof java.util.Collection<?> v ? String.join(", ", v.stream().map(String::valueOf).toList()) : "";
    }

    /** A judgement the lab's attacker published ({@code LabSession.onJudgement}): shown on its card. FX thread. */
    public void judged(Judgement j) {
        card(j.attackId()).ifPresent(c -> c.judgementProperty().set(j));
    }
}
