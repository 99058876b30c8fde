package org.secureota.workbench.device;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.secureota.workbench.firmware.OtaState;
import org.secureota.workbench.foundation.OrderedExecutor;

/**
 * The observable model of one device, real or virtual: what its telemetry last said, and whether
 * its link is up. Modelled on Cryptomator's {@code VaultState}: explicit {@link #transition}s of the
 * connection state, and {@link #await}/{@link #awaitState} so tests and scenarios wait on the model
 * instead of sleeping.
 *
 * <p>Thread-safe. The state is an immutable {@link DeviceSnapshot}, replaced as a whole on every
 * change, so readers never see half an update. Listeners are told of every change, in order, on a
 * listener thread ({@link OrderedExecutor}), never on the thread that made the change (the link's
 * serial reader) and never under the model's lock: a listener that blocks delays only later
 * notifications, and one that throws is reported to {@link #onListenerFailure} (the link journals
 * it) while the others still run. There is no JavaFX here: the same model serves the CLI, the
 * tests and the GUI.
 */
public final class Device {

    /** Told about every change, with the snapshot before and after it. */
    @FunctionalInterface
    public interface Listener {
        void changed(DeviceSnapshot before, DeviceSnapshot after);
    }

    private final Object lock = new Object();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** The working copy, changed under {@link #lock} and published as {@link #current}. */
    private final State state;
    private final OrderedExecutor notifier = OrderedExecutor.onSharedPool(this::listenerFailed);
    private volatile Consumer<RuntimeException> onListenerFailure = e -> { };
    private DeviceSnapshot current;
    /** Set by an {@code ack} of {@code status}: the next {@code boot} is a report, not a new boot. */
    private boolean statusReportPending;

    /** @param name what to call the device until it reports its id: the expected id or the port path */
    public Device(String name) {
        this.state = new State(Objects.requireNonNull(name, "name"));
        this.current = state.freeze();
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

    /** Who hears of a listener that threw (the link journals it); by default nobody. */
    public void onListenerFailure(Consumer<RuntimeException> handler) {
        this.onListenerFailure = Objects.requireNonNull(handler, "handler");
    }

    private void listenerFailed(RuntimeException e) {
        onListenerFailure.accept(e);
    }

    /**
     * Moves the connection state from {@code from} to {@code to} if it is {@code from}, atomically.
     * Returns false (and changes nothing) otherwise, so two threads cannot both act on one transition.
     */
    public boolean transition(ConnectionState from, ConnectionState to) {
        synchronized (lock) {
            if (state.connection != from) {
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
        if (state.connection == to) {
            return;
        }
        if (to == ConnectionState.CONNECTED) {
            // A fresh link: a status ack seen on an earlier link says nothing about the next boot.
            statusReportPending = false;
        }
        state.connection = to;
        publishLocked();
    }

    /**
     * Updates the model from one decoded line. Human and ignored lines change nothing. Returns
     * true when the line was a new boot (not a {@code status} report), which the link journals.
     */
    public boolean apply(TelemetryLine line) {
        synchronized (lock) {
            boolean newBoot = false;
            State s = state;
            if (line instanceof TelemetryLine.Boot b) {
                // The device says whether this answers a status command; only a device older than that
                // member leaves us to infer it from a preceding status ack.
                newBoot = b.statusReport() != null ? !b.statusReport() : !statusReportPending;
                statusReportPending = false;
                s.deviceId = b.deviceId();
                s.provisioned = b.provisioned();
                s.runningSlot = b.slot();
                s.runningLabel = b.label();
                s.version = b.version();
                s.secureVersion = b.secureVersion();
                s.project = b.project();
                s.resetReason = b.resetReason();
                s.runningState = OtaState.fromWireName(b.state()).orElse(null);
                s.minSecureVersion = b.minSecureVersion();
                s.profile = b.profile();
                if (newBoot) {
                    // A new boot runs a new self-test from a new uptime. The last verdict and error stay:
                    // "UPDATED, then a reboot" must still show why the device rebooted.
                    s.boots++;
                    if (s.attemptOpen) {
                        // Progress with no verdict, then a boot: the power went (or the board was reset) mid-update.
                        s.interrupted = s.lastProgress;
                        s.attemptOpen = false;
                    }
                    s.selfTest = null;
                    s.lastProgress = null;
                    s.uptimeMs = null;
                }
            } else if (line instanceof TelemetryLine.Partitions p) {
                s.partitions = p.table();
                s.otadata = p.otadata();
                s.slots = p.slots();
            } else if (line instanceof TelemetryLine.Lcd l) {
                s.lcd = l.screen();
            } else if (line instanceof TelemetryLine.Led l) {
                s.led = l.pattern();
            } else if (line instanceof TelemetryLine.SelfTest t) {
                s.selfTest = t;
            } else if (line instanceof TelemetryLine.AppState a) {
                // The app confirmed itself: that slot's row changes, and the running state if it is ours.
                OtaState confirmed = OtaState.fromWireName(a.state()).orElse(null);
                if (a.slot().equals(s.runningSlot)) {
                    s.runningState = confirmed;
                }
                s.slots = s.slots.stream()
                        .map(r -> r.slot().equals(a.slot()) ? new SlotReport(r.label(), r.slot(), r.offset(), r.size(),
                                confirmed, r.running(), r.nextBoot(), r.image()) : r)
                        .toList();
            } else if (line instanceof TelemetryLine.OtaProgress p) {
                s.lastProgress = p;
                s.attemptOpen = true;
            } else if (line instanceof TelemetryLine.OtaVerdict v) {
                s.lastVerdict = v;
                s.attemptOpen = false;
                s.interrupted = null;
            } else if (line instanceof TelemetryLine.DeviceError e) {
                s.lastError = e;
            } else if (line instanceof TelemetryLine.Heartbeat h) {
                s.uptimeMs = h.uptimeMs();
                if (h.state() != null) {
                    s.runningState = OtaState.fromWireName(h.state()).orElse(s.runningState);
                }
            } else if (line instanceof TelemetryLine.Ack a) {
                if (SerialCommand.STATUS.wireName().equals(a.command())) {
                    statusReportPending = true;
                }
                return false;
            } else {
                return false; // human and ignored lines carry no state
            }
            publishLocked();
            return newBoot;
        }
    }

    private void publishLocked() {
        DeviceSnapshot before = current;
        current = state.freeze();
        lock.notifyAll();
        DeviceSnapshot after = current;
        // Enqueued inside the lock, so notifications keep the order of the changes; run outside it.
        for (Listener l : listeners) {
            notifier.execute(() -> l.changed(before, after));
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

    /** The mutable working copy behind the snapshots; only touched under the lock. */
    private static final class State {
        final String name;
        ConnectionState connection = ConnectionState.DISCONNECTED;
        String deviceId;
        Boolean provisioned;
        String runningSlot;
        String runningLabel;
        String version;
        Long secureVersion;
        String project;
        String resetReason;
        OtaState runningState;
        Long minSecureVersion;
        List<TelemetryLine.PartitionRow> partitions = List.of();
        List<TelemetryLine.OtaDataRow> otadata = List.of();
        List<SlotReport> slots = List.of();
        LcdScreen lcd = LcdScreen.BLANK;
        LedPattern led = LedPattern.OFF;
        TelemetryLine.SelfTest selfTest;
        TelemetryLine.OtaProgress lastProgress;
        TelemetryLine.OtaVerdict lastVerdict;
        TelemetryLine.DeviceError lastError;
        long boots;
        Long uptimeMs;
        /** Progress seen since the last verdict: an attempt is under way. */
        boolean attemptOpen;
        TelemetryLine.OtaProgress interrupted;
        String profile;

        State(String name) {
            this.name = name;
        }

        DeviceSnapshot freeze() {
            return new DeviceSnapshot(name, connection, deviceId, provisioned, runningSlot, runningLabel, version,
                    secureVersion, project, resetReason, runningState, minSecureVersion, partitions, otadata, slots,
                    lcd, led, selfTest, lastProgress, lastVerdict, lastError, boots, uptimeMs, interrupted, profile);
        }
    }
}
