package org.secureota.workbench.ui;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.secureota.workbench.attack.Attack;
import org.secureota.workbench.attack.AttackCatalog;
import org.secureota.workbench.attack.AttackSurface;
import org.secureota.workbench.attack.Attacker;
import org.secureota.workbench.attack.Judgement;

/**
 * The attacker panel's state: every attack of the catalogue as a card, grouped by where it acts.
 * Arming, disarming and judging run on {@code work} (they touch files and the network); their
 * results come back through {@code fx}. After each device verdict the armed attacks are judged, so
 * the panel says whether the device resisted and which check stopped the attack.
 */
public final class AttackerViewModel {

    private final Map<AttackSurface, List<AttackCardModel>> groups = new EnumMap<>(AttackSurface.class);
    private final List<AttackCardModel> cards = new ArrayList<>();
    private final Executor work;
    private final Executor fx;
    private volatile Attacker attacker;
    /** Attacks this panel armed: it judges them; a script or the console judges its own. */
    private final Set<String> armedHere = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final javafx.beans.property.ReadOnlyBooleanWrapper available = new javafx.beans.property.ReadOnlyBooleanWrapper(this, "available");

    /** Each device's latest judgement on display, whoever published it; the outcome banners follow it. */
    private final javafx.collections.ObservableMap<String, Judgement> latest = javafx.collections.FXCollections.observableHashMap();

    public AttackerViewModel(I18n i18n, Executor work, Executor fx) {
        this.work = work;
        this.fx = fx;
        for (Attack a : AttackCatalog.all()) {
            AttackCardModel card = new AttackCardModel(a, i18n);
            cards.add(card);
            groups.computeIfAbsent(a.surface(), s -> new ArrayList<>()).add(card);
            card.judgementProperty().addListener((o, before, after) -> {
                if (after != null && after.deviceId() != null) {
                    latest.put(after.deviceId(), after);
                } else if (before != null && before.deviceId() != null && before.equals(latest.get(before.deviceId()))) {
                    latest.remove(before.deviceId());
                }
            });
        }
    }

    /** The judgement each device's banner shows (device id to judgement), FX thread; read only. */
    public javafx.collections.ObservableMap<String, Judgement> latestJudgements() {
        return javafx.collections.FXCollections.unmodifiableObservableMap(latest);
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
     * The live lab's attacker (null until the lab is open) and the surfaces it can reach from where
     * the devices are; the other cards stay disabled. FX thread.
     */
    public void setAttacker(Attacker attacker, Set<AttackSurface> reachable) {
        this.attacker = attacker;
        available.set(attacker != null);
        for (AttackCardModel c : cards) {
            c.availableProperty().set(attacker != null && reachable.contains(c.attack().surface()));
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
        Attacker a = attacker;
        if (a == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the lab is still opening"));
        }
        if (!card.availableProperty().get()) {
            return CompletableFuture.failedFuture(new IllegalStateException(card.id()
                    + " acts on the network path, and the devices of this lab do not go through the network endpoint"));
        }
        boolean arm = !card.armedProperty().get();
        return CompletableFuture.runAsync(() -> {
            if (arm) {
                a.arm(card.id(), card.values());
                armedHere.add(card.id());
            } else {
                armedHere.remove(card.id());
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
     * console): armed and disarmed states, and each judgement. FX thread.
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
            } else if (e.type().equals(org.secureota.workbench.journal.EventType.ATTACK_DISARMED.wireName())) {
                c.armedProperty().set(false);
            } else if (e.type().equals(org.secureota.workbench.journal.EventType.IMAGE_STOLEN.wireName())
                    || e.type().equals(org.secureota.workbench.journal.EventType.ATTACK_JUDGED.wireName())) {
                org.secureota.workbench.attack.JudgementResult result = java.util.Arrays.stream(
                        org.secureota.workbench.attack.JudgementResult.values())
                        .filter(r -> r.wireName().equals(e.field("result").orElse(""))).findFirst().orElse(null);
                if (result != null) {
                    c.judgementProperty().set(new Judgement(id, e.deviceId(), result, e.field("verdict").orElse(null),
                            Set.of(), number(e, "http_requests"), number(e, "image_bytes_served"),
                            e.field("version_before").orElse(null), e.field("version_after").orElse(null),
                            List.of(e.message())));
                }
            }
        });
    }

    private static long number(org.secureota.workbench.journal.JournalEvent e, String field) {
        Object v = e.fields().get(field);
        return v instanceof Number n ? n.longValue() : 0;
    }

    /**
     * A device reached a verdict: judges every armed attack for it. {@code onFailure} hears what
     * could not be judged.
     */
    public void deviceVerdict(String deviceId, Consumer<Throwable> onFailure) {
        Attacker a = attacker;
        if (a == null) {
            return;
        }
        for (AttackCardModel c : cards) {
            if (!c.armedProperty().get() || !armedHere.contains(c.id())) {
                continue;
            }
            CompletableFuture.supplyAsync(() -> a.judge(c.id(), deviceId), work)
                    .thenAcceptAsync((Judgement j) -> c.judgementProperty().set(j), fx)
                    .exceptionally(e -> {
                        onFailure.accept(e);
                        return null;
                    });
        }
    }
}
