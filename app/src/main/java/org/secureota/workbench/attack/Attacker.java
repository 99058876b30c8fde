package org.secureota.workbench.attack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.EventType;

/**
 * The attacker of one lab: arms attacks of the {@link AttackCatalog} by id, undoes them, and judges a
 * device's attempt against them. Every arm and disarm is journaled with source {@code attacker}.
 *
 * <p>At most one attack per {@link AttackSurface} is armed at a time, so undos never interleave on the same
 * file, route or clock. Arm and disarm do their I/O on the caller's thread (call them off the UI thread);
 * they are serialized with each other.
 */
public final class Attacker implements AutoCloseable {

    private final AttackTarget target;
    private final Map<String, Arming> armed = new LinkedHashMap<>();
    private final Map<String, Arming> last = new LinkedHashMap<>();
    private final List<Consumer<List<ArmedAttack>>> listeners = new CopyOnWriteArrayList<>();

    private static final class Arming {
        final ArmedAttack attack;
        final Undo undo;
        final StolenImage stolen;
        long disarmedSeq = Long.MAX_VALUE;

        Arming(ArmedAttack attack, Undo undo, StolenImage stolen) {
            this.attack = attack;
            this.undo = undo;
            this.stolen = stolen;
        }
    }

    public Attacker(AttackTarget target) {
        this.target = Objects.requireNonNull(target, "target");
    }

    public AttackTarget target() {
        return target;
    }

    /**
     * Arms attack {@code id} with {@code parameters} (by name; missing ones take their defaults). Refuses an
     * unknown id, an unknown parameter, a bad value, or a second attack on the same surface, naming what was
     * wrong; nothing is changed then.
     */
    public ArmedAttack arm(String id, Map<String, String> parameters) {
        ArmedAttack a = armLocked(id, parameters);
        fire();
        return a;
    }

    private synchronized ArmedAttack armLocked(String id, Map<String, String> parameters) {
        Attack attack = AttackCatalog.require(id);
        AttackParameters p = attack.resolve(parameters);
        if (armed.containsKey(id)) {
            throw new AttackException(id + " is already armed; disarm it first ('disarm " + id + "')");
        }
        for (Arming a : armed.values()) {
            if (a.attack.attack().surface() == attack.surface()) {
                throw new AttackException(id + " acts on the " + attack.surface().wireName() + ", where "
                        + a.attack.id() + " is armed; disarm " + a.attack.id() + " first");
            }
        }
        Attack.ArmedChange change;
        try {
            change = attack.act(target, p);
        } catch (AttackException e) {
            throw e;
        } catch (Exception e) {
            throw new AttackException(id + " could not be armed: " + e.getMessage() + "; nothing was changed", e);
        }
        ExpectedOutcome expected = attack.expected(p);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("attack", id);
        f.put("surface", attack.surface().wireName());
        f.put("parameters", p.values());
        f.put("expected_verdicts", List.copyOf(new java.util.TreeSet<>(expected.verdicts())));
        f.put("stopped_by", expected.stoppedBy().wireName());
        f.put("must_not_happen", expected.mustNotHappen().stream().map(Forbidden::wireName).sorted().toList());
        f.put("needs_restart", expected.needsRestart());
        JournalEvent e = target.journal().append(EventType.ATTACK_ARMED, null, "armed " + id
                + (p.values().isEmpty() ? "" : " (" + p + ")") + ": " + change.description(), f);
        ArmedAttack a = new ArmedAttack(attack, p, expected, change.description(), e.seq(), Instant.now());
        StolenImage stolen = change.stolen();
        if (stolen != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("attack", id);
            s.put("product", stolen.product());
            s.put("version", stolen.version());
            s.put("copy", stolen.copy().toString());
            s.put("bytes", stolen.copyBytes());
            s.put("encrypted", stolen.encrypted());
            s.put("longest_plaintext_run", stolen.longestRun());
            s.put("result", (stolen.resisted() ? JudgementResult.RESISTED : JudgementResult.NOT_RESISTED).wireName());
            target.journal().append(EventType.IMAGE_STOLEN, null, stolen.evidence(), s);
        }
        Arming arming = new Arming(a, change.undo(), stolen);
        armed.put(id, arming);
        last.put(id, arming);
        return a;
    }

    /** Undoes attack {@code id}; refuses an id that is not armed, naming the armed ones. */
    public String disarm(String id) {
        try {
            return disarmLocked(id);
        } finally {
            fire();
        }
    }

    private synchronized String disarmLocked(String id) {
        AttackCatalog.require(id);
        Arming a = armed.remove(id);
        if (a == null) {
            throw new AttackException(id + " is not armed; armed now: "
                    + (armed.isEmpty() ? "none" : String.join(", ", armed.keySet())));
        }
        String problem = null;
        try {
            a.undo.undo();
        } catch (Exception e) {
            problem = e.getMessage();
        }
        String message = problem == null ? "disarmed " + id + ": everything it changed is restored"
                : "disarmed " + id + ", but undoing it failed: " + problem;
        JournalEvent e = target.journal().append(EventType.ATTACK_DISARMED, null, message,
                problem == null ? Map.of("attack", id) : Map.of("attack", id, "undo_failed", problem));
        a.disarmedSeq = e.seq();
        if (problem != null) {
            throw new AttackException(message + ". Check the lab folder by hand.");
        }
        return message;
    }

    /** Disarms every armed attack, newest first; used when the session closes. */
    public void disarmAll() {
        List<String> ids;
        synchronized (this) {
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

    /**
     * Calls {@code listener} with the armed attacks after every arm and disarm, on the thread that armed or
     * disarmed, outside the attacker's lock (a GUI hands it to its own thread). Closing the returned handle
     * removes it.
     */
    public AutoCloseable addListener(Consumer<List<ArmedAttack>> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void fire() {
        List<ArmedAttack> now = armed();
        for (Consumer<List<ArmedAttack>> l : listeners) {
            try {
                l.accept(now);
            } catch (RuntimeException e) {
                // a failing listener must not undo the attacker's work nor stop the other listeners
            }
        }
    }

    public synchronized List<ArmedAttack> armed() {
        return armed.values().stream().map(a -> a.attack).toList();
    }

    public synchronized Optional<ArmedAttack> armed(String id) {
        return Optional.ofNullable(armed.get(id)).map(a -> a.attack);
    }

    /**
     * Judges {@code deviceId}'s first attempt after attack {@code id} was last armed (up to its disarming, if
     * it was disarmed since), and journals the judgement.
     */
    public Judgement judge(String id, String deviceId) {
        Arming a;
        synchronized (this) {
            AttackCatalog.require(id);
            a = last.get(id);
        }
        if (a == null) {
            throw new AttackException(id + " was never armed in this session, so there is nothing to judge");
        }
        Judgement j = a.stolen != null ? theft(a, deviceId)
                : AttackJudge.judge(target.journal(), a.attack, deviceId, a.attack.armedSeq(), a.disarmedSeq);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("attack", id);
        f.put("result", j.result().wireName());
        if (j.verdict() != null) {
            f.put("verdict", j.verdict());
        }
        f.put("http_requests", j.httpRequests());
        f.put("image_bytes_served", j.imageBytesServed());
        if (j.versionBefore() != null) {
            f.put("version_before", j.versionBefore());
        }
        if (j.versionAfter() != null) {
            f.put("version_after", j.versionAfter());
        }
        target.journal().append(EventType.ATTACK_JUDGED, deviceId, j.summary(), f);
        return j;
    }

    /**
     * An image theft is judged by the copy alone, the same for every device: the device is never touched,
     * and whether it updates says nothing of what the thief can read.
     */
    private static Judgement theft(Arming a, String deviceId) {
        StolenImage s = a.stolen;
        return new Judgement(a.attack.id(), deviceId, s.resisted() ? JudgementResult.RESISTED
                : JudgementResult.NOT_RESISTED, null, a.attack.expected().verdicts(), 0, 0, null, null,
                List.of(s.evidence()));
    }

    @Override
    public void close() {
        disarmAll();
    }
}
