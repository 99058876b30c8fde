package org.secureota.workbench.device;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The observable model of one device, real or virtual: what its telemetry last said, and whether
 * its link is up. Modelled on Cryptomator's {@code VaultState}: explicit {@link #transition}s of the
 * connection state, and {@link #await}/{@link #awaitState} so tests and scenarios wait on the model
 * instead of sleeping.
 *
 * <p>Thread-safe. The state is an immutable {@link DeviceSnapshot}, replaced as a whole on every
 * change, so readers never see half an update. Listeners run synchronously, in order, on the thread
 * that made the change (usually the link's reader thread), and must return quickly; the GUI adapts
 * them onto its own thread, and slow consumers subscribe to the journal instead. There is no JavaFX
 * here: the same model serves the CLI, the tests and the GUI.
 */
public final class Device {

    /** Told about every change, with the snapshot before and after it. */
    @FunctionalInterface
    public interface Listener {
        void changed(DeviceSnapshot before, DeviceSnapshot after);
    }

    private final Object lock = new Object();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private DeviceSnapshot current;
    /** Set by an {@code ack} of {@code status}: the next {@code boot} is a report, not a new boot. */
    private boolean statusReportPending;

    /** @param name what to call the device until it reports its id: the expected id or the port path */
    public Device(String name) {
        this.current = DeviceSnapshot.unknown(Objects.requireNonNull(name, "name"));
    }

    public DeviceSnapshot snapshot() {
        synchronized (lock) {
            return current;
        }
    }

    public ConnectionState state() {
        return snapshot().connection();
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /**
     * Moves the connection state from {@code from} to {@code to} if it is {@code from}, atomically.
     * Returns false (and changes nothing) otherwise, so two threads cannot both act on one transition.
     */
    public boolean transition(ConnectionState from, ConnectionState to) {
        synchronized (lock) {
            if (current.connection() != from) {
                return false;
            }
            setConnectionLocked(to);
            return true;
        }
    }

    /** Sets the connection state whatever it was. */
    public void setState(ConnectionState to) {
        synchronized (lock) {
            setConnectionLocked(to);
        }
    }

    private void setConnectionLocked(ConnectionState to) {
        DeviceSnapshot s = current;
        if (s.connection() == to) {
            return;
        }
        if (to == ConnectionState.CONNECTED) {
            // A fresh link: whatever the device said before may be stale; the next boot counts anew.
            statusReportPending = false;
        }
        replaceLocked(new DeviceSnapshot(s.name(), to, s.deviceId(), s.provisioned(), s.runningSlot(),
                s.runningLabel(), s.version(), s.secureVersion(), s.project(), s.resetReason(), s.runningState(),
                s.minSecureVersion(), s.partitions(), s.otadata(), s.slots(), s.lcd(), s.led(), s.selfTest(),
                s.lastProgress(), s.lastVerdict(), s.lastError(), s.boots(), s.uptimeMs()));
    }

    /**
     * Updates the model from one decoded line. Human and ignored lines change nothing. Returns
     * true when the line was a new boot (not a {@code status} report), which the link journals.
     */
    public boolean apply(TelemetryLine line) {
        synchronized (lock) {
            DeviceSnapshot s = current;
            boolean newBoot = false;
            DeviceSnapshot next;
            if (line instanceof TelemetryLine.Boot b) {
                newBoot = !statusReportPending;
                statusReportPending = false;
                // A new boot starts a new self-test and a new uptime; the last verdict and error stay,
                // because "UPDATED, then a reboot" must still show why the device rebooted.
                next = new DeviceSnapshot(s.name(), s.connection(), b.deviceId(), b.provisioned(), b.slot(),
                        b.label(), b.version(), b.secureVersion(), b.project(), b.resetReason(), b.state(),
                        b.minSecureVersion(), s.partitions(), s.otadata(), s.slots(), s.lcd(), s.led(),
                        newBoot ? null : s.selfTest(), newBoot ? null : s.lastProgress(), s.lastVerdict(),
                        s.lastError(), s.boots() + (newBoot ? 1 : 0), newBoot ? null : s.uptimeMs());
            } else if (line instanceof TelemetryLine.Partitions p) {
                next = new DeviceSnapshot(s.name(), s.connection(), s.deviceId(), s.provisioned(), s.runningSlot(),
                        s.runningLabel(), s.version(), s.secureVersion(), s.project(), s.resetReason(),
                        s.runningState(), s.minSecureVersion(), p.table(), p.otadata(), p.slots(), s.lcd(), s.led(),
                        s.selfTest(), s.lastProgress(), s.lastVerdict(), s.lastError(), s.boots(), s.uptimeMs());
            } else if (line instanceof TelemetryLine.Lcd l) {
                next = with(s, l.screen(), s.led());
            } else if (line instanceof TelemetryLine.Led l) {
                next = with(s, s.lcd(), l.pattern());
            } else if (line instanceof TelemetryLine.SelfTest t) {
                next = new DeviceSnapshot(s.name(), s.connection(), s.deviceId(), s.provisioned(), s.runningSlot(),
                        s.runningLabel(), s.version(), s.secureVersion(), s.project(), s.resetReason(),
                        s.runningState(), s.minSecureVersion(), s.partitions(), s.otadata(), s.slots(), s.lcd(),
                        s.led(), t, s.lastProgress(), s.lastVerdict(), s.lastError(), s.boots(), s.uptimeMs());
            } else if (line instanceof TelemetryLine.AppState a) {
                next = withAppState(s, a);
            } else if (line instanceof TelemetryLine.OtaProgress p) {
                next = new DeviceSnapshot(s.name(), s.connection(), s.deviceId(), s.provisioned(), s.runningSlot(),
                        s.runningLabel(), s.version(), s.secureVersion(), s.project(), s.resetReason(),
                        s.runningState(), s.minSecureVersion(), s.partitions(), s.otadata(), s.slots(), s.lcd(),
                        s.led(), s.selfTest(), p, s.lastVerdict(), s.lastError(), s.boots(), s.uptimeMs());
            } else if (line instanceof TelemetryLine.OtaVerdict v) {
                next = new DeviceSnapshot(s.name(), s.connection(), s.deviceId(), s.provisioned(), s.runningSlot(),
                        s.runningLabel(), s.version(), s.secureVersion(), s.project(), s.resetReason(),
                        s.runningState(), s.minSecureVersion(), s.partitions(), s.otadata(), s.slots(), s.lcd(),
                        s.led(), s.selfTest(), s.lastProgress(), v, s.lastError(), s.boots(), s.uptimeMs());
            } else if (line instanceof TelemetryLine.DeviceError e) {
                next = new DeviceSnapshot(s.name(), s.connection(), s.deviceId(), s.provisioned(), s.runningSlot(),
                        s.runningLabel(), s.version(), s.secureVersion(), s.project(), s.resetReason(),
                        s.runningState(), s.minSecureVersion(), s.partitions(), s.otadata(), s.slots(), s.lcd(),
                        s.led(), s.selfTest(), s.lastProgress(), s.lastVerdict(), e, s.boots(), s.uptimeMs());
            } else if (line instanceof TelemetryLine.Heartbeat h) {
                next = new DeviceSnapshot(s.name(), s.connection(), s.deviceId(), s.provisioned(), s.runningSlot(),
                        s.runningLabel(), s.version(), s.secureVersion(), s.project(), s.resetReason(),
                        h.state() != null ? h.state() : s.runningState(), s.minSecureVersion(), s.partitions(),
                        s.otadata(), s.slots(), s.lcd(), s.led(), s.selfTest(), s.lastProgress(), s.lastVerdict(),
                        s.lastError(), s.boots(), h.uptimeMs());
            } else if (line instanceof TelemetryLine.Ack a) {
                if (DeviceCommand.STATUS.wireName().equals(a.command())) {
                    statusReportPending = true;
                }
                return false;
            } else {
                return false; // human and ignored lines carry no state
            }
            replaceLocked(next);
            return newBoot;
        }
    }

    private static DeviceSnapshot with(DeviceSnapshot s, LcdScreen lcd, LedPattern led) {
        return new DeviceSnapshot(s.name(), s.connection(), s.deviceId(), s.provisioned(), s.runningSlot(),
                s.runningLabel(), s.version(), s.secureVersion(), s.project(), s.resetReason(), s.runningState(),
                s.minSecureVersion(), s.partitions(), s.otadata(), s.slots(), lcd, led, s.selfTest(), s.lastProgress(),
                s.lastVerdict(), s.lastError(), s.boots(), s.uptimeMs());
    }

    /** The app confirmed itself: the running state and that slot's row change, nothing else. */
    private static DeviceSnapshot withAppState(DeviceSnapshot s, TelemetryLine.AppState a) {
        boolean running = a.slot().equals(s.runningSlot());
        List<SlotReport> slots = s.slots().stream()
                .map(r -> r.slot().equals(a.slot())
                        ? new SlotReport(r.label(), r.slot(), r.offset(), r.size(), a.state(), r.running(),
                                r.nextBoot(), r.image())
                        : r)
                .toList();
        return new DeviceSnapshot(s.name(), s.connection(), s.deviceId(), s.provisioned(), s.runningSlot(),
                s.runningLabel(), s.version(), s.secureVersion(), s.project(), s.resetReason(),
                running ? a.state() : s.runningState(), s.minSecureVersion(), s.partitions(), s.otadata(), slots,
                s.lcd(), s.led(), s.selfTest(), s.lastProgress(), s.lastVerdict(), s.lastError(), s.boots(),
                s.uptimeMs());
    }

    private void replaceLocked(DeviceSnapshot next) {
        DeviceSnapshot before = current;
        current = next;
        lock.notifyAll();
        // Inside the lock on purpose: listeners see changes in the order they happened.
        for (Listener l : listeners) {
            l.changed(before, next);
        }
    }

    /**
     * Waits until the model satisfies {@code condition} (checked at once, then on every change) and
     * returns the snapshot that did.
     *
     * @param what a description for the timeout message ("second boot", "LED blinking")
     * @throws TimeoutException naming {@code what} and showing the last snapshot
     */
    public DeviceSnapshot await(Predicate<DeviceSnapshot> condition, Duration timeout, String what)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!condition.test(current)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("device " + current.journalId() + ": no " + what + " within "
                            + timeout.toMillis() + " ms; last known state: " + current);
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return current;
        }
    }

    /** Waits until the connection state is {@code desired}; VaultState's {@code awaitState}. */
    public DeviceSnapshot awaitState(ConnectionState desired, Duration timeout)
            throws InterruptedException, TimeoutException {
        return await(s -> s.connection() == desired, timeout, "connection state " + desired);
    }
}
