package org.secureota.workbench.attack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.JournalSubscription;
import org.secureota.workbench.foundation.OrderedExecutor;
import org.secureota.workbench.server.Deployments;

/**
 * The attacker of one lab: arms attacks of the {@link AttackCatalog} by id, undoes them, and judges every
 * device attempt made while one is armed. It is the one judge: when a device ends an attempt (its
 * {@code ota.verdict}), the attacker judges that attempt against each attack armed at that moment with
 * {@link AttemptJudge}, journals the {@link Judgement} ({@code attacker.judged}, every field) and hands it to
 * the {@link #onJudgement} listeners. Nobody else decides whether or how to judge.
 *
 * <p>At most one attack per {@link AttackSurface} is armed at a time, so undos never interleave on the same
 * file, route or clock. A store attack armed with {@code version=deployed} follows the deployments: when they
 * change, it undoes itself on the releases no longer deployed and alters the newly deployed ones
 * ({@code attacker.retargeted}).
 *
 * <p>Threading: arm, disarm and following a deployment do their I/O on the caller's thread (never the UI
 * thread), serialized with each other, and never under the lock that guards the attacker's state: that lock
 * only swaps the armed map and the judgements. Judging runs on the attacker's own thread; listeners run on
 * the delivery executor given at construction (the lab session's ordered event thread).
 */
public final class Attacker implements AutoCloseable {

    /** How long a judgement waits for the device's connections to be journaled as closed. */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    /** Then this long, for the server's request log of a download the device abandoned. */
    private static final long GRACE_MS = 150;

    private final AttackTarget target;
    private final Executor delivery;
    /** Guards the fields below; never held across I/O or a listener call. */
    private final Object lock = new Object();
    /** Serializes arm, disarm and following a deployment: the I/O that changes the lab. */
    private final Object actions = new Object();
    private final Map<String, Arming> armed = new LinkedHashMap<>();
    private final Set<AttackSurface> reserved = EnumSet.noneOf(AttackSurface.class);
    private final List<Arming> history = new ArrayList<>();
    private final List<Judgement> judgements = new ArrayList<>();
    private final Map<String, Long> lastVerdict = new HashMap<>();
    private long heardUpTo;
    private int pending;
    private final List<Consumer<List<ArmedAttack>>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Judgement>> judgementListeners = new CopyOnWriteArrayList<>();
    private final ExecutorService judging = Executors.newSingleThreadExecutor(OrderedExecutor.daemon("attacker-judge"));
    private final JournalSubscription verdicts;
    private final Consumer<Deployments.Snapshot> deploymentWatch = d -> followDeployments();

    /** One arming, from arm to disarm; the fields change only under {@link #lock}. */
    private static final class Arming {
        ArmedAttack attack;
        final StrikeKind kind;
        final boolean follows;
        final String product;
        /** Per altered release version (store attacks), or under "" for one change elsewhere. */
        final Map<String, Attack.ArmedChange> changes = new TreeMap<>();
        final Set<String> alteredVersions = new LinkedHashSet<>();
        final Set<String> alteredFiles = new LinkedHashSet<>();
        final StolenImage stolen;
        long disarmedSeq = Long.MAX_VALUE;
        boolean accepted;

        Arming(ArmedAttack attack, StrikeKind kind, boolean follows, String product, StolenImage stolen) {
            this.attack = attack;
            this.kind = kind;
            this.follows = follows;
            this.product = product;
            this.stolen = stolen;
        }

        AttemptJudge.Armed view() {
            return new AttemptJudge.Armed(attack, kind, Set.copyOf(alteredVersions), Set.copyOf(alteredFiles));
        }
    }

    /** An attacker whose listeners run on its judging thread (tests, the CLI). */
    public Attacker(AttackTarget target) {
        this(target, Runnable::run);
    }

    /** @param delivery where the {@link #onJudgement} and {@link #addListener} listeners run, in order */
    public Attacker(AttackTarget target, Executor delivery) {
        this.target = Objects.requireNonNull(target, "target");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.verdicts = target.journal().subscribe("attacker", false, this::heard);
        target.state().deployments().addListener(deploymentWatch);
    }

    public AttackTarget target() {
        return target;
    }

    // ---- arming ----

    /**
     * Arms attack {@code id} with {@code parameters} (by name; missing ones take their defaults). Refuses an
     * unknown id, an unknown parameter, a bad value, a second attack on the same surface, or a lab whose state
     * cannot show the attack, naming what was wrong; nothing is changed then.
     */
    public ArmedAttack arm(String id, Map<String, String> parameters) {
        Attack attack = AttackCatalog.require(id);
        AttackParameters p = attack.resolve(parameters);
        ExpectedOutcome expected = attack.expected(p);
        StrikeKind kind = StrikeKind.of(attack, expected);
        synchronized (lock) {
            if (armed.containsKey(id)) {
                throw new AttackException(id + " is already armed; disarm it first ('disarm " + id + "')");
            }
            for (Arming a : armed.values()) {
                if (a.attack.attack().surface() == attack.surface()) {
                    throw new AttackException(id + " acts on the " + attack.surface().wireName() + ", where "
                            + a.attack.id() + " is armed; disarm " + a.attack.id() + " first");
                }
            }
            if (!reserved.add(attack.surface())) {
                throw new AttackException(id + " acts on the " + attack.surface().wireName() + ", where another"
                        + " attack is being armed or disarmed; try again in a moment");
            }
        }
        try {
            ArmedAttack a;
            synchronized (actions) {
                a = armNow(attack, p, expected, kind);
            }
            fire();
            return a;
        } finally {
            synchronized (lock) {
                reserved.remove(attack.surface());
            }
        }
    }

    private ArmedAttack armNow(Attack attack, AttackParameters p, ExpectedOutcome expected, StrikeKind kind) {
        String id = attack.id();
        boolean store = attack.surface() == AttackSurface.STORE && kind != StrikeKind.COPY;
        boolean follows = store && p.is("version", "deployed");
        String product = store || kind == StrikeKind.COPY ? StoreEdit.product(target, p) : null;
        // Every change is made before the armed state is committed; a failure undoes what was made.
        Map<String, Attack.ArmedChange> changes = new TreeMap<>();
        try {
            if (follows) {
                Set<String> versions = StoreEdit.deployedVersions(target, product);
                if (versions.isEmpty()) {
                    throw new AttackException(id + ": no release of " + product + " is deployed, so there is nothing"
                            + " to attack yet; deploy one first, or name one with version=X.Y.Z");
                }
                for (String v : versions) {
                    changes.put(v, act(attack, withVersion(p, v)));
                }
            } else {
                changes.put(store ? StoreEdit.offered(target, id, p).version() : "", act(attack, p));
            }
        } catch (RuntimeException e) {
            undoAll(changes.values());
            throw e;
        }
        String description = describe(changes);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("attack", id);
        f.put("surface", attack.surface().wireName());
        f.put("parameters", p.values());
        f.put("expected_verdicts", Judgement.sorted(expected.verdicts()));
        f.put("stopped_by", expected.stoppedBy().wireName());
        f.put("must_not_happen", expected.mustNotHappen().stream().map(Forbidden::wireName).sorted().toList());
        f.put("needs_restart", expected.needsRestart());
        if (store) {
            f.put("versions", List.copyOf(changes.keySet()));
        }
        JournalEvent e = target.journal().append(EventType.ATTACK_ARMED, null, "armed " + id
                + (p.values().isEmpty() ? "" : " (" + p + ")") + ": " + description, f);
        ArmedAttack a = new ArmedAttack(attack, p, expected, description, e.seq(), Instant.now());
        StolenImage stolen = changes.values().stream().map(Attack.ArmedChange::stolen).filter(Objects::nonNull)
                .findFirst().orElse(null);
        Arming arming = new Arming(a, kind, follows, product, stolen);
        Map<String, String> files = store ? filesOf(product, changes.keySet()) : Map.of();
        synchronized (lock) {
            arming.changes.putAll(changes);
            track(arming, files);
            armed.put(id, arming);
            history.add(arming);
        }
        if (stolen != null) {
            theft(arming, stolen);
        }
        return a;
    }

    private Attack.ArmedChange act(Attack attack, AttackParameters p) {
        try {
            return attack.act(target, p);
        } catch (AttackException e) {
            throw e;
        } catch (Exception e) {
            throw new AttackException(attack.id() + " could not be armed: " + e.getMessage() + "; nothing was changed", e);
        }
    }

    private static AttackParameters withVersion(AttackParameters p, String version) {
        Map<String, String> values = new LinkedHashMap<>(p.values());
        values.put("version", version);
        return new AttackParameters(values);
    }

    private static String describe(Map<String, Attack.ArmedChange> changes) {
        return String.join("; ", changes.values().stream().map(Attack.ArmedChange::description).toList());
    }

    /** The served file of each version (read from the store: call it outside {@link #lock}). */
    private Map<String, String> filesOf(String product, Set<String> versions) {
        Map<String, String> files = new TreeMap<>();
        for (String v : versions) {
            target.state().releases().find(product, v).ifPresent(r -> files.put(v, r.imageFileName()));
        }
        return files;
    }

    /** Under {@link #lock}: the releases (versions and served files) this arming alters, ever. */
    private static void track(Arming a, Map<String, String> files) {
        a.alteredVersions.addAll(files.keySet());
        a.alteredFiles.addAll(files.values());
    }

    private static List<String> undoAll(Iterable<Attack.ArmedChange> changes) {
        List<String> problems = new ArrayList<>();
        for (Attack.ArmedChange c : changes) {
            try {
                c.undo().undo();
            } catch (Exception e) {
                problems.add(e.getMessage());
            }
        }
        return problems;
    }

    /** The image thief is judged by its copy, at once, for the whole lab. */
    private void theft(Arming a, StolenImage s) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("attack", a.attack.id());
        f.put("product", s.product());
        f.put("version", s.version());
        f.put("copy", s.copy().toString());
        f.put("bytes", s.copyBytes());
        f.put("encrypted", s.encrypted());
        f.put("longest_plaintext_run", s.longestRun());
        f.put("result", (s.resisted() ? JudgementResult.RESISTED : JudgementResult.NOT_RESISTED).wireName());
        JournalEvent stolen = target.journal().append(EventType.IMAGE_STOLEN, null, s.evidence(), f);
        publish(new Judgement(a.attack.id(), null, s.resisted() ? JudgementResult.RESISTED : JudgementResult.NOT_RESISTED,
                null, a.attack.expected().verdicts(), a.attack.expected().stoppedBy(), true, 0, 0, null, null,
                (s.resisted() ? "the thief's copy is ciphertext only: " : "the thief's copy gives the image away: ")
                        + s.evidence(), stolen.seq()));
    }

    // ---- following the deployments ----

    /** Moves every store attack armed with version=deployed to what is deployed now. */
    private void followDeployments() {
        boolean changed = false;
        synchronized (actions) {
            List<Arming> following;
            synchronized (lock) {
                following = armed.values().stream().filter(a -> a.follows).toList();
            }
            for (Arming a : following) {
                changed |= retarget(a);
            }
        }
        if (changed) {
            fire();
        }
    }

    private boolean retarget(Arming a) {
        Set<String> now;
        Map<String, Attack.ArmedChange> before;
        synchronized (lock) {
            if (armed.get(a.attack.id()) != a) {
                return false;
            }
            before = new TreeMap<>(a.changes);
        }
        now = StoreEdit.deployedVersions(target, a.product);
        if (now.isEmpty() || now.equals(before.keySet())) {
            return false;
        }
        Map<String, Attack.ArmedChange> after = new TreeMap<>(before);
        List<String> problems = new ArrayList<>();
        for (String v : before.keySet()) {
            if (!now.contains(v)) {
                problems.addAll(undoAll(List.of(after.remove(v))));
            }
        }
        for (String v : now) {
            if (!after.containsKey(v)) {
                try {
                    after.put(v, act(a.attack.attack(), withVersion(a.attack.parameters(), v)));
                } catch (RuntimeException e) {
                    problems.add(v + ": " + e.getMessage());
                }
            }
        }
        String description = describe(after);
        Map<String, String> files = filesOf(a.product, after.keySet());
        synchronized (lock) {
            a.changes.clear();
            a.changes.putAll(after);
            track(a, files);
            a.attack = new ArmedAttack(a.attack.attack(), a.attack.parameters(), a.attack.expected(), description,
                    a.attack.armedSeq(), a.attack.armedAt());
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("attack", a.attack.id());
        f.put("product", a.product);
        f.put("versions", List.copyOf(after.keySet()));
        f.put("previous", List.copyOf(before.keySet()));
        target.journal().append(EventType.ATTACK_RETARGETED, null, a.attack.id() + " follows the deployment: it now"
                + " attacks " + a.product + " " + String.join(", ", after.keySet()) + " (before: "
                + String.join(", ", before.keySet()) + ")" + (problems.isEmpty() ? "" : "; " + String.join("; ", problems)), f);
        return true;
    }

    // ---- disarming ----

    /** Undoes attack {@code id}; refuses an id that is not armed, naming the armed ones. */
    public String disarm(String id) {
        AttackCatalog.require(id);
        String message;
        try {
            synchronized (actions) {
                message = disarmNow(id);
            }
        } finally {
            fire();
        }
        return message;
    }

    private String disarmNow(String id) {
        Arming a;
        List<Attack.ArmedChange> changes;
        synchronized (lock) {
            a = armed.remove(id);
            if (a == null) {
                throw new AttackException(id + " is not armed; armed now: "
                        + (armed.isEmpty() ? "none" : String.join(", ", armed.keySet())));
            }
            changes = List.copyOf(a.changes.values());
        }
        List<String> problems = undoAll(changes);
        String resigned = "";
        if (problems.isEmpty() && a.kind == StrikeKind.MANIFEST && a.accepted) {
            // A device accepted a manifest the attack signed with a counter from the store's sequence: the
            // deployed releases get a newer counter, so that device takes honest releases again.
            try {
                resigned = StoreEdit.resignDeployed(target, a.product);
            } catch (RuntimeException e) {
                problems.add("re-signing the deployment failed: " + e.getMessage());
            }
        }
        String message = problems.isEmpty() ? "disarmed " + id + ": everything it changed is restored" + resigned
                : "disarmed " + id + ", but undoing it failed: " + String.join("; ", problems);
        JournalEvent e = target.journal().append(EventType.ATTACK_DISARMED, null, message,
                problems.isEmpty() ? Map.of("attack", id) : Map.of("attack", id, "undo_failed", String.join("; ", problems)));
        synchronized (lock) {
            a.disarmedSeq = e.seq();
        }
        if (!problems.isEmpty()) {
            throw new AttackException(message + ". Check the lab folder by hand.");
        }
        return message;
    }

    /** Disarms every armed attack, newest first; used when the session closes. */
    public void disarmAll() {
        List<String> ids;
        synchronized (lock) {
            ids = new ArrayList<>(armed.keySet());
        }
        for (int i = ids.size() - 1; i >= 0; i--) {
            try {
                disarm(ids.get(i));
            } catch (AttackException e) {
                // keep undoing the others; the journal has the failure
            }
        }
    }

    // ---- judging ----

    /** The journal subscriber's thread: every verdict is judged against the attacks armed at that moment. */
    private void heard(JournalEvent e) {
        if (!EventType.OTA_VERDICT.is(e) || e.deviceId() == null) {
            synchronized (lock) {
                heardUpTo = e.seq();
            }
            return;
        }
        long previous;
        boolean maybe;
        synchronized (lock) {
            heardUpTo = e.seq();
            previous = lastVerdict.getOrDefault(e.deviceId(), 0L);
            lastVerdict.put(e.deviceId(), e.seq());
            // An attack being armed right now may have journaled its arming before this verdict without being
            // committed yet: the judging task, which runs a moment later, looks again.
            maybe = !reserved.isEmpty() || !due(e.seq()).isEmpty();
            if (maybe) {
                pending++;
            }
        }
        if (!maybe) {
            return;
        }
        long connections = target.endpoint().lastConnectionId();
        try {
            judging.execute(() -> {
                try {
                    judgeAttempt(e, previous, connections);
                } finally {
                    synchronized (lock) {
                        pending--;
                        lock.notifyAll();
                    }
                }
            });
        } catch (RejectedExecutionException closed) {
            synchronized (lock) {
                pending--;
            }
        }
    }

    /** Under {@link #lock}: the attacks armed at the journal position {@code seq}, judged by a device's attempt. */
    private List<Arming> due(long seq) {
        return history.stream().filter(a -> a.kind != StrikeKind.COPY && a.attack.armedSeq() < seq
                && a.disarmedSeq > seq).toList();
    }

    private void judgeAttempt(JournalEvent verdict, long previousVerdict, long connections) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        try {
            while (target.endpoint().anyOpenUpTo(connections) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(GRACE_MS);
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
            return;
        }
        List<Arming> due;
        synchronized (lock) {
            due = due(verdict.seq());
        }
        for (Arming a : due) {
            long from = Math.max(a.attack.armedSeq(), previousVerdict);
            List<JournalEvent> events = new ArrayList<>();
            List<JournalEvent> boots = target.journal().events(EventType.DEVICE_BOOT, verdict.deviceId(), 0).stream()
                    .filter(b -> b.seq() <= from).toList();
            if (!boots.isEmpty()) {
                events.add(boots.get(boots.size() - 1));
            }
            events.addAll(target.journal().read(from + 1, Long.MAX_VALUE));
            AttemptJudge.Armed view;
            synchronized (lock) {
                view = a.view();
            }
            Judgement j = AttemptJudge.judge(view, verdict, events, from);
            if (j.result() == JudgementResult.NOT_RESISTED) {
                synchronized (lock) {
                    a.accepted = true;
                }
            }
            publish(j);
        }
    }

    private void publish(Judgement j) {
        target.journal().tryAppend(EventType.ATTACK_JUDGED, j.deviceId(), j.summary(), j.fields());
        synchronized (lock) {
            judgements.add(j);
            lock.notifyAll();
        }
        deliver(() -> {
            for (Consumer<Judgement> l : judgementListeners) {
                try {
                    l.accept(j);
                } catch (RuntimeException e) {
                    // a failing listener must not stop the judge nor the other listeners
                }
            }
        });
    }

    private void deliver(Runnable r) {
        try {
            delivery.execute(r);
        } catch (RejectedExecutionException closed) {
            // the session is closing: nobody listens any more
        }
    }

    /**
     * Calls {@code listener} with every judgement the attacker publishes from now on, in order, on the
     * delivery executor. Closing the returned handle removes it.
     */
    public AutoCloseable onJudgement(Consumer<Judgement> listener) {
        Objects.requireNonNull(listener, "listener");
        judgementListeners.add(listener);
        return () -> judgementListeners.remove(listener);
    }

    /** Every judgement published in this session, oldest first. */
    public List<Judgement> judgements() {
        synchronized (lock) {
            return List.copyOf(judgements);
        }
    }

    /** The last judgement of {@code attackId} for {@code deviceId} (null: the image thief's), if any. */
    public Optional<Judgement> latest(String attackId, String deviceId) {
        synchronized (lock) {
            for (int i = judgements.size() - 1; i >= 0; i--) {
                Judgement j = judgements.get(i);
                if (j.attackId().equals(attackId) && Objects.equals(j.deviceId(), deviceId)) {
                    return Optional.of(j);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Waits for the judgement of {@code attackId} on the attempt of {@code deviceId} that a verdict after
     * {@code afterSeq} ended (tests, scripts, the console); empty after {@code timeout}.
     */
    public Optional<Judgement> awaitJudgement(String attackId, String deviceId, long afterSeq, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                for (Judgement j : judgements) {
                    if (j.attackId().equals(attackId) && Objects.equals(j.deviceId(), deviceId)
                            && (j.verdictSeq() > afterSeq || deviceId == null)) {
                        return Optional.of(j);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /**
     * Whether every attempt ended by a verdict at or before {@code seq} has been judged and published (the
     * judge settles for a moment after a verdict: scripts wait for this before reading the judgements).
     */
    public boolean judgedThrough(long seq) {
        synchronized (lock) {
            return heardUpTo >= seq && pending == 0;
        }
    }

    // ---- the armed list ----

    /**
     * Calls {@code listener} with the armed attacks after every arm, disarm and move to a new deployment, on
     * the delivery executor, outside the attacker's lock. Closing the returned handle removes it.
     */
    public AutoCloseable addListener(Consumer<List<ArmedAttack>> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void fire() {
        List<ArmedAttack> now = armed();
        deliver(() -> {
            for (Consumer<List<ArmedAttack>> l : listeners) {
                try {
                    l.accept(now);
                } catch (RuntimeException e) {
                    // a failing listener must not undo the attacker's work nor stop the other listeners
                }
            }
        });
    }

    public List<ArmedAttack> armed() {
        synchronized (lock) {
            return armed.values().stream().map(a -> a.attack).toList();
        }
    }

    public Optional<ArmedAttack> armed(String id) {
        synchronized (lock) {
            return Optional.ofNullable(armed.get(id)).map(a -> a.attack);
        }
    }

    /** The releases a store attack alters now (empty for other attacks, or when not armed). */
    public Set<String> attackedVersions(String id) {
        synchronized (lock) {
            Arming a = armed.get(id);
            return a == null || a.product == null ? Set.of() : new TreeSet<>(a.changes.keySet());
        }
    }

    @Override
    public void close() {
        target.state().deployments().removeListener(deploymentWatch);
        disarmAll();
        verdicts.close();
        judging.shutdown();
        try {
            judging.awaitTermination(SETTLE.toSeconds() + 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
