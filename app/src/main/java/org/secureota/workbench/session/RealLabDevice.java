package org.secureota.workbench.session;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.secureota.workbench.device.ConnectionState;
import org.secureota.workbench.device.CutPoint;
import org.secureota.workbench.device.Device;
import org.secureota.workbench.device.SerialCommand;
import org.secureota.workbench.device.DeviceLink;
import org.secureota.workbench.device.DeviceSnapshot;

/**
 * A real board (or anything that speaks the telemetry protocol) attached by its serial port. The
 * workbench does not switch its power: power actions fail with a clear reason, {@code reset} is a
 * software restart, and the board snapshot follows the link.
 */
final class RealLabDevice implements LabDevice, LabSession.Closeable {

    private final LabSession session;
    private final String port;
    private final Device model;
    private final DeviceLink link;

    private RealLabDevice(LabSession session, String port, Device model, DeviceLink link) {
        this.session = session;
        this.port = port;
        this.model = model;
        this.link = link;
    }

    static RealLabDevice attach(LabSession session, String port) {
        Device model = new Device(port);
        RealLabDevice d = new RealLabDevice(session, port, model, DeviceLink.open(port, model, session.journal()));
        model.addListener((before, after) -> d.changed(after));
        d.changed(model.snapshot());
        return d;
    }

    private void changed(DeviceSnapshot after) {
        BoardPower power = after.connection() == ConnectionState.CONNECTED ? BoardPower.RUNNING : BoardPower.OFF;
        session.updateDevice(this, port, s -> s.withDevice(port, after).withBoard(port, b -> new BoardSnapshot(port, power, null, port, null)));
    }

    /** The port name: a real board is known by its port until it reports its id. */
    @Override
    public String id() {
        return port;
    }

    @Override
    public String product() {
        String project = model.snapshot().project();
        return project == null ? "" : project;
    }

    @Override
    public boolean isVirtual() {
        return false;
    }

    @Override
    public Device model() {
        return model;
    }

    @Override
    public BoardSnapshot board() {
        return session.snapshot().boards().getOrDefault(port, BoardSnapshot.off(port));
    }

    private CompletableFuture<Void> notSwitched(String what) {
        return CompletableFuture.failedFuture(new LabSessionException("Cannot " + what + " " + port + ": the workbench"
                + " does not switch a real board's power. Use the board's power supply or its EN button."));
    }

    @Override
    public CompletableFuture<Void> powerOn() {
        return notSwitched("power on");
    }

    /** A software restart ({@code reboot}): the nearest a serial link comes to the EN button. */
    @Override
    public CompletableFuture<Void> reset() {
        return run(() -> link.send(SerialCommand.REBOOT));
    }

    @Override
    public CompletableFuture<Void> powerCut() {
        return notSwitched("cut the power of");
    }

    @Override
    public CompletableFuture<Void> armCut(long flashOp, CutPoint point) {
        return notSwitched("arm a power cut on");
    }

    @Override
    public CompletableFuture<Void> disarmCut() {
        return notSwitched("disarm a power cut on");
    }

    @Override
    public CompletableFuture<Void> resetFlashCount() {
        return notCounted();
    }

    @Override
    public CompletableFuture<Long> flashOperations() {
        return notCounted();
    }

    private <T> CompletableFuture<T> notCounted() {
        return CompletableFuture.failedFuture(new LabSessionException("Cannot count the flash operations of " + port
                + ": only the virtual ESP32's flash model counts them."));
    }

    @Override
    public CompletableFuture<Void> check() {
        return run(() -> link.send(SerialCommand.CHECK));
    }

    @Override
    public CompletableFuture<Void> status() {
        return run(() -> link.send(SerialCommand.STATUS));
    }

    @Override
    public CompletableFuture<Void> send(String rawLine) {
        return run(() -> link.sendLine(rawLine));
    }

    @Override
    public Path transcript() {
        return session.transcriptFile(model.snapshot().journalId());
    }

    private CompletableFuture<Void> run(Runnable action) {
        return session.async(() -> {
            action.run();
            return null;
        });
    }

    @Override
    public void close() {
        link.close();
    }
}
