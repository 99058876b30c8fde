package org.secureota.workbench.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.secureota.workbench.attack.Attacker;
import org.secureota.workbench.attack.Judgement;
import org.secureota.workbench.attack.JudgementResult;
import org.secureota.workbench.device.CutPoint;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.FlashLayout;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.VirtualDeviceOptions;

/** A script's view of a real lab session and its attacker: every call goes to the session's own parts. */
public final class SessionScenarioLab implements ScenarioLab {

    private final LabSession session;
    private final Attacker attacker;
    private final Path projectRoot;

    private final org.secureota.workbench.device.LcdLanguage lcdLanguage;

    public SessionScenarioLab(LabSession session, Attacker attacker, Path projectRoot) {
        this(session, attacker, projectRoot, null);
    }

    /** {@code lcdLanguage}: the LCD language of the devices the script makes (null: none set, French). */
    public SessionScenarioLab(LabSession session, Attacker attacker, Path projectRoot,
                              org.secureota.workbench.device.LcdLanguage lcdLanguage) {
        this.session = session;
        this.attacker = attacker;
        this.projectRoot = projectRoot;
        this.lcdLanguage = lcdLanguage;
    }

    @Override
    public Journal journal() {
        return session.journal();
    }

    @Override
    public List<JournalEvent> eventsAfter(long afterSeq) {
        long last = lastSeq();
        return afterSeq >= last ? List.of() : session.journal().read(afterSeq + 1, last);
    }

    @Override
    public long lastSeq() {
        return session.journal().size();
    }

    @Override
    public CompletableFuture<Void> publish(String imageName, String product, boolean encrypt) {
        return session.publish(projectRoot.resolve("esp32-firmware/build/images").resolve(imageName + ".bin"), product,
                encrypt).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Void> createDevice(String id, String product, String startImage, FlashLayout layout) {
        return session.createVirtualDevice(id, product, VirtualDeviceOptions.factoryFreshV1().withStartImage(startImage)
                .withLayout(layout).withPowerOn(true).withLcdLanguage(lcdLanguage)).thenApply(d -> null);
    }

    @Override
    public CompletableFuture<Void> createDevice(String id, String product, String startImage, FlashLayout layout,
                                                org.secureota.workbench.device.FirmwareVariant variant) {
        return session.createVirtualDevice(id, product, VirtualDeviceOptions.factoryFreshV1().withStartImage(startImage)
                .withLayout(layout).withPowerOn(true).withVariant(variant)).thenApply(d -> null);
    }

    @Override
    public List<String> deviceIds() {
        List<String> ids = new ArrayList<>();
        session.devices().forEach(d -> ids.add(d.id()));
        return ids;
    }

    @Override
    public Optional<DeviceSnapshot> device(String id) {
        return session.device(id).map(LabDevice::device);
    }

    @Override
    public Optional<String> boardPower(String id) {
        return session.device(id).map(LabDevice::board).map(b -> b.power().name());
    }

    @Override
    public CompletableFuture<Void> deploy(String product, String version) {
        return session.deploy(product, version).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Void> deployToDevice(String device, String version) {
        return session.deployToDevice(device, version).thenApply(r -> null);
    }

    private LabDevice require(String id) {
        return session.device(id).orElseThrow(() -> new IllegalStateException("no device " + id + " in the session"));
    }

    @Override
    public CompletableFuture<Void> check(String device) {
        return require(device).check();
    }

    @Override
    public CompletableFuture<Void> powerOn(String device) {
        return require(device).powerOn();
    }

    @Override
    public CompletableFuture<Void> reset(String device) {
        return require(device).reset();
    }

    @Override
    public CompletableFuture<Void> powerCut(String device) {
        return require(device).powerCut();
    }

    @Override
    public CompletableFuture<Void> armCut(String device, long operation, CutPoint point) {
        return require(device).armCut(operation, point);
    }

    @Override
    public CompletableFuture<Void> disarmCut(String device) {
        return require(device).disarmCut();
    }

    @Override
    public CompletableFuture<Void> arm(String attack, Map<String, String> params) {
        // The attacker does its I/O on the caller's thread: keep it off the runner's.
        return CompletableFuture.runAsync(() -> attacker.arm(attack, params));
    }

    @Override
    public CompletableFuture<Void> disarm(String attack) {
        return CompletableFuture.runAsync(() -> attacker.disarm(attack));
    }

    /**
     * The attacker's published judgements of the attempts that ended after {@code afterSeq} (each device's, or
     * the image theft's): resisted when at least one attempt met the attack and every such attempt resisted.
     * Until the attacker has judged every verdict seen so far, the outcome is "not judged yet".
     */
    @Override
    public AttackJudgement judge(String attack, long afterSeq) {
        long lastVerdict = eventsAfter(afterSeq).stream().filter(EventType.OTA_VERDICT::is)
                .mapToLong(JournalEvent::seq).max().orElse(afterSeq);
        if (!attacker.judgedThrough(lastVerdict)) {
            return new AttackJudgement(attack, "not judged yet", false, null, null);
        }
        List<String> evidence = new ArrayList<>();
        boolean anyAttempt = false;
        boolean allResisted = true;
        for (Judgement j : attacker.judgements()) {
            if (!j.attackId().equals(attack) || j.verdictSeq() <= afterSeq) {
                continue;
            }
            evidence.add(j.summary());
            if (j.result() == JudgementResult.NO_ATTEMPT) {
                continue;
            }
            anyAttempt = true;
            allResisted &= j.result() == JudgementResult.RESISTED;
        }
        String outcome = !anyAttempt ? "no attempt" : allResisted ? "resisted" : "NOT resisted";
        return new AttackJudgement(attack, outcome, anyAttempt && allResisted,
                evidence.isEmpty() ? null : String.join("; ", evidence), null);
    }
}
