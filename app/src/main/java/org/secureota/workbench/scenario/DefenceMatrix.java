package org.secureota.workbench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.secureota.workbench.attack.AttackCatalog;
import org.secureota.workbench.attack.AttackSurface;
import org.secureota.workbench.attack.Judgement;
import org.secureota.workbench.attack.JudgementResult;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.VirtualDeviceOptions;

/**
 * The attack x defence matrix, measured (issue 22): every chosen catalogue attack against a fresh
 * virtual device of every chosen firmware variant, in one headless lab session. One attack at a time
 * (an attack changes the store, the network or the time for the whole lab), all variants at once
 * against it (their devices are independent). Each cell is what the attacker's one judge
 * ({@link org.secureota.workbench.attack.AttemptJudge}) said of that device's attempt: nothing here
 * judges.
 *
 * <p>Each attack runs in the setting its demo script gives it (a device that has accepted a manifest
 * before a replay, one on V3 before a downgrade, a boot after the lab time moved ...): {@link Recipe}.
 */
public final class DefenceMatrix {

    /** How long one device's attempt may take before its cell is recorded as having no judgement. */
    private static final Duration ATTEMPT = Duration.ofSeconds(90);
    private static final String PRODUCT = "shop-display";
    /**
     * Attacks that lead the device endpoint to another server: a refused handshake carries no request that
     * names its device, and the judge then counts a connection only for the one device attempting at that
     * moment, and an attempt starts at the arming: so each device gets the attack armed anew, in turn (a
     * report a device posts after its verdict must not fall into the next device's attempt). Every other
     * attack's devices check at once.
     */
    /** Faults that strike one connection and are spent: armed anew for each device, in turn. */
    private static final java.util.Set<String> ONE_SHOT = java.util.Set.of("dropped-connection");
    private static final java.util.Set<String> ROUTES =
            java.util.Set.of("rogue-server", "wrong-host-cert", "stolen-server-key", "silent-server");

    private final LabSession session;
    private final Consumer<String> progress;
    private int round;

    public DefenceMatrix(LabSession session, Consumer<String> progress) {
        this.session = session;
        this.progress = progress;
    }

    /** The catalogue's attacks, in its order. */
    public static List<String> catalogue() {
        return AttackCatalog.all().stream().map(org.secureota.workbench.attack.Attack::id).toList();
    }

    /** Runs every attack against every variant; the cells in attack order, then variant order. */
    public List<MatrixCell> run(List<String> attacks, List<FirmwareVariant> variants) throws InterruptedException {
        List<MatrixCell> cells = new ArrayList<>();
        for (String attack : attacks) {
            long t0 = System.nanoTime();
            cells.addAll(runAttack(attack, variants));
            progress.accept(String.format("%-20s %5.1f s", attack, (System.nanoTime() - t0) / 1e9));
        }
        return cells;
    }

    private List<MatrixCell> runAttack(String attack, List<FirmwareVariant> variants) throws InterruptedException {
        Recipe r = Recipe.of(attack);
        round++;
        if (attack.equals("steal-image")) {
            // The thief's copy is judged alone, by what it holds: the release's encryption, not a device's firmware.
            List<MatrixCell> out = new ArrayList<>();
            for (FirmwareVariant v : variants) {
                out.add(new MatrixCell(v.wireName(), attack, MatrixCell.NO_ATTEMPT, null, null,
                        "judged by the thief's copy of the stored release, never by a device: no firmware check is involved"));
            }
            return out;
        }
        session.attacker().disarmAll();
        session.serverState().deployments().clearProduct(PRODUCT);
        Map<FirmwareVariant, String> ids = new LinkedHashMap<>();
        List<CompletableFuture<LabDevice>> made = new ArrayList<>();
        for (FirmwareVariant v : variants) {
            String id = String.format("m%02d-%s", round, v.wireName());
            ids.put(v, id);
            made.add(session.createVirtualDevice(id, PRODUCT, VirtualDeviceOptions.factoryFreshV1()
                    .withStartImage(r.startImage()).withVariant(v)));
        }
        Map<String, MatrixCell> failed = new LinkedHashMap<>();
        List<LabDevice> devices = new ArrayList<>();
        for (int i = 0; i < made.size(); i++) {
            LabDevice d = LabSession.join(made.get(i));
            devices.add(d);
        }
        try {
            if (r.prelude() != null) {
                r.prelude().run(this, devices);
            }
            if (r.deploy() != null) {
                LabSession.join(session.deploy(PRODUCT, r.deploy()));
            }
            for (Map.Entry<String, Map<String, String>> extra : r.alsoArmed().entrySet()) {
                session.attacker().arm(extra.getKey(), extra.getValue());
            }
            if (ONE_SHOT.contains(attack) || ROUTES.contains(attack)) {
                return oneShotEach(attack, r, variants, ids);
            }
            long armedAt = session.journal().size();
            try {
                session.attacker().arm(attack, r.params());
            } catch (RuntimeException e) {
                for (FirmwareVariant v : variants) {
                    failed.put(v.wireName(), new MatrixCell(v.wireName(), attack, MatrixCell.NO_ATTEMPT, null, null,
                            "not armed: " + e.getMessage()));
                }
                return new ArrayList<>(failed.values());
            }
            if (r.bootAfterArming()) {
                rebootAll(devices);
            }
            checkAll(devices);
            List<MatrixCell> out = new ArrayList<>();
            for (FirmwareVariant v : variants) {
                Optional<Judgement> j = session.attacker().awaitJudgement(attack, ids.get(v), armedAt, ATTEMPT);
                out.add(j.map(x -> cell(v, x)).orElseGet(() -> new MatrixCell(v.wireName(), attack, MatrixCell.NO_ATTEMPT,
                        null, null, "no verdict within " + ATTEMPT.toSeconds() + " s, so nothing to judge")));
            }
            return out;
        } finally {
            session.attacker().disarmAll();
            List<CompletableFuture<Void>> gone = new ArrayList<>();
            for (LabDevice d : devices) {
                gone.add(session.removeDevice(d.id()));
            }
            gone.forEach(f -> {
                try {
                    LabSession.join(f);
                } catch (RuntimeException ignored) {
                    // A board that will not stop is the next round's problem only if its id came back; it does not.
                }
            });
        }
    }

    /** Armed anew for each device in turn (a one-shot fault, or a route: see {@link #ROUTES}). */
    private List<MatrixCell> oneShotEach(String attack, Recipe r, List<FirmwareVariant> variants,
                                         Map<FirmwareVariant, String> ids) throws InterruptedException {
        List<MatrixCell> out = new ArrayList<>();
        for (FirmwareVariant v : variants) {
            long armedAt = session.journal().size();
            try {
                session.attacker().arm(attack, r.params());
            } catch (RuntimeException e) {
                out.add(new MatrixCell(v.wireName(), attack, MatrixCell.NO_ATTEMPT, null, null, "not armed: " + e.getMessage()));
                continue;
            }
            LabDevice d = session.device(ids.get(v)).orElseThrow();
            checkAll(List.of(d));
            Optional<Judgement> j = session.attacker().awaitJudgement(attack, ids.get(v), armedAt, ATTEMPT);
            out.add(j.map(x -> cell(v, x)).orElseGet(() -> new MatrixCell(v.wireName(), attack, MatrixCell.NO_ATTEMPT,
                    null, null, "no verdict within " + ATTEMPT.toSeconds() + " s, so nothing to judge")));
            session.attacker().disarm(attack);
        }
        return out;
    }

    private static MatrixCell cell(FirmwareVariant v, Judgement j) {
        String result = j.result() == JudgementResult.RESISTED ? MatrixCell.RESISTED
                : j.result() == JudgementResult.NOT_RESISTED ? MatrixCell.NOT_RESISTED : MatrixCell.NO_ATTEMPT;
        return new MatrixCell(v.wireName(), j.attackId(), result, j.verdict(),
                j.stoppedBy() == null ? null : j.stoppedBy().wireName(), j.reasons().isEmpty() ? j.reason() : j.reasons().get(0));
    }

    /** Every device checks now; waits until each has reported a verdict after this moment. */
    void checkAll(List<LabDevice> devices) throws InterruptedException {
        long from = session.journal().size();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (LabDevice d : devices) {
            sent.add(d.check());
        }
        sent.forEach(LabSession::join);
        awaitVerdicts(devices, from);
    }

    private void awaitVerdicts(List<LabDevice> devices, long from) throws InterruptedException {
        long deadline = System.nanoTime() + ATTEMPT.toNanos();
        for (LabDevice d : devices) {
            while (System.nanoTime() < deadline
                    && session.journal().events(org.secureota.workbench.journal.EventType.OTA_VERDICT, d.id(), from)
                            .isEmpty()) {
                Thread.sleep(100); // not a wait for an answer by time: polls the journal until the deadline
            }
        }
    }

    private void rebootAll(List<LabDevice> devices) throws InterruptedException {
        List<Long> before = new ArrayList<>();
        for (LabDevice d : devices) {
            before.add(d.device().boots());
            LabSession.join(d.reset());
        }
        long deadline = System.nanoTime() + ATTEMPT.toNanos();
        for (int i = 0; i < devices.size(); i++) {
            while (System.nanoTime() < deadline && devices.get(i).device().boots() <= before.get(i)) {
                Thread.sleep(100); // polls the device model until its boot report arrives or the deadline
            }
        }
    }

    /**
     * Where an attack is tried: the start image of the fresh devices, what happens before it is armed,
     * the version deployed, its parameters, and whether the devices boot after arming (a time attack is
     * read at boot).
     */
    record Recipe(String startImage, Prelude prelude, String deploy, Map<String, Map<String, String>> alsoArmed,
                  Map<String, String> params, boolean bootAfterArming) {



        static Recipe of(String attack) {
            Recipe plain = new Recipe("v1_base", null, "2.0.0", Map.of(), Map.of(),
                    AttackCatalog.find(attack).map(a -> a.surface() == AttackSurface.TIME).orElse(false));
            return switch (attack) {
                // A device on V3 is offered V2 anew (demo script 23).
                case "downgrade" -> new Recipe("v3_liquid", null, "4.0.0", Map.of(), Map.of("to", "2.0.0"), false);
                // A device that accepted 3.0.0's manifest (its download failed: nothing installed, the counter
                // remembered) is served 2.0.0's older manifest (demo script 19).
                case "replayed-manifest" -> new Recipe("v1_base", (m, ds) -> {
                    LabSession.join(m.session.deploy(PRODUCT, "3.0.0"));
                    m.session.attacker().arm("flipped-byte", Map.of());
                    m.checkAll(ds);
                    m.session.attacker().disarm("flipped-byte");
                }, "4.0.0", Map.of(), Map.of("from", "2.0.0"), false);
                // A manifest that expired a day ago, and the lab time turned back two days (demo script 22), within
                // the certificates' validity (the matrix's lab PKI was issued weeks ago). The devices first have a
                // signed "nothing newer": their time floor is then a signed time, not only their build time.
                case "time-rollback" -> new Recipe("v1_base", (m, ds) -> m.checkAll(ds), "2.0.0",
                        Map.of("freeze", Map.of("expired_days", "1")), Map.of("days", "2"), true);
                case "freeze" -> new Recipe("v1_base", null, "2.0.0", Map.of(), Map.of("expired_days", "30"), false);
                // Nothing deployed: a signed "nothing newer" first, then the clock two days ahead makes the server's
                // next statement look stale (demo script 26). With a release deployed, its manifest (valid 30 days)
                // would still install, which the catalogue allows but the judge counts as taken.
                case "time-forward" -> new Recipe("v1_base", (m, ds) -> m.checkAll(ds), null, Map.of(),
                        Map.of("days", "2"), true);
                // The device has a signed "nothing newer" first (demo script 21).
                case "silent-server" -> new Recipe("v1_base", (m, ds) -> m.checkAll(ds), "2.0.0", Map.of(), Map.of(), false);
                default -> plain;
            };
        }
    }

    @FunctionalInterface
    interface Prelude {
        void run(DefenceMatrix matrix, List<LabDevice> devices) throws InterruptedException;
    }
}
