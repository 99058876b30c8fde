package org.secureota.workbench.scenario;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.secureota.workbench.device.CutPoint;
import org.secureota.workbench.device.Device;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.FlashLayout;
import org.secureota.workbench.device.TelemetryCodec;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;

/**
 * A lab for the runner's own sequencing tests (step, play, pause, timeouts): a real journal and
 * real {@link Device} models that the test feeds protocol lines, as a serial link would. It has no
 * server and no boards, so every action on them fails, loudly; the shipped scripts run against the
 * real session in {@code DemoScriptsTest}.
 */
final class TelemetryFedLab implements ScenarioLab {

    final Journal journal = new Journal();
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final TelemetryCodec codec = new TelemetryCodec();

    /** Feeds one telemetry line to a device and journals it with the fields the real link records. */
    void receive(String id, String line, String type, Map<String, Object> fields) {
        devices.get(id).apply(codec.decode(line));
        journal.append(Source.DEVICE, id, type, line, fields);
    }

    @Override
    public Journal journal() {
        return journal;
    }

    @Override
    public List<JournalEvent> eventsAfter(long afterSeq) {
        return journal.snapshot().stream().filter(e -> e.seq() > afterSeq).toList();
    }

    @Override
    public long lastSeq() {
        return journal.size();
    }

    @Override
    public CompletableFuture<Void> publish(String imageName, String product, boolean encrypt) {
        return unsupported("publish");
    }

    @Override
    public CompletableFuture<Void> createDevice(String id, String product, String startImage, FlashLayout layout) {
        devices.put(id, new Device(id));
        receive(id, "@ota1 {\"ev\":\"boot\",\"slot\":\"ota_0\",\"label\":\"app0\",\"version\":\"1.0.0\",\"secure_version\":1,"
                + "\"project\":\"" + product + "\",\"reset_reason\":\"poweron\",\"state\":\"valid\",\"min_secure_version\":0,"
                + "\"provisioned\":true,\"device_id\":\"" + id + "\",\"status_report\":false}", "device.boot", Map.of());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public List<String> deviceIds() {
        return devices.keySet().stream().sorted().toList();
    }

    @Override
    public Optional<DeviceSnapshot> device(String id) {
        return Optional.ofNullable(devices.get(id)).map(Device::snapshot);
    }

    @Override
    public Optional<String> boardPower(String id) {
        return Optional.empty();
    }

    @Override
    public CompletableFuture<Void> deploy(String product, String version) {
        return unsupported("deploy");
    }

    @Override
    public CompletableFuture<Void> deployToDevice(String device, String version) {
        return unsupported("deploy");
    }

    @Override
    public CompletableFuture<Void> check(String device) {
        return unsupported("check");
    }

    @Override
    public CompletableFuture<Void> powerOn(String device) {
        return unsupported("power-on");
    }

    @Override
    public CompletableFuture<Void> reset(String device) {
        return unsupported("reset");
    }

    @Override
    public CompletableFuture<Void> powerCut(String device) {
        return unsupported("power-cut");
    }

    @Override
    public CompletableFuture<Void> armCut(String device, long operation, CutPoint point) {
        return unsupported("arm-cut");
    }

    @Override
    public CompletableFuture<Void> disarmCut(String device) {
        return unsupported("disarm-cut");
    }

    @Override
    public CompletableFuture<Void> arm(String attack, Map<String, String> params) {
        return unsupported("arm");
    }

    @Override
    public CompletableFuture<Void> disarm(String attack) {
        return unsupported("disarm");
    }

    @Override
    public AttackJudgement judge(String attack, long afterSeq) {
        throw new UnsupportedOperationException("this lab has no attacker");
    }

    private static CompletableFuture<Void> unsupported(String what) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this lab has no server or boards: " + what));
    }
}
