package org.secureota.workbench.device;

import com.fazecast.jSerialComm.SerialPort;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.EventType;

/**
 * The workbench's end of a device's UART: a serial port opened with jSerialComm (a real board's
 * {@code /dev/ttyUSB0}, or the virtual ESP32's pty link), read line by line on a thread of its own.
 * Every line is decoded ({@link TelemetryCodec}), journaled raw and typed, and applied to the
 * {@link Device} model.
 *
 * <p>When the port vanishes (board unplugged, board process killed) the link says so once: the
 * model goes {@link ConnectionState#DISCONNECTED} and one {@code device.disconnected} event is
 * journaled, then the link quietly retries until the port comes back, and picks up where it left
 * off (a fresh {@code status}). Only {@link #close()} stops it.
 */
public final class DeviceLink implements AutoCloseable {

    public static final int BAUD_RATE = 115_200;
    /** Short enough that {@link #close()} returns promptly, long enough not to spin. */
    private static final int READ_TIMEOUT_MS = 100;
    private static final Duration RECONNECT_INTERVAL = Duration.ofMillis(500);
    /**
     * After opening, bytes up to the first newline may be the tail of a line sent before the port
     * was open; they are discarded. A device that stays silent this long is at a line boundary.
     */
    private static final long SYNC_QUIET_NANOS = Duration.ofMillis(300).toNanos();

    /**
     * Ports opened by a link of this JVM, until it is closed (also while it waits for a vanished port).
     * The operating system's lock stops other processes; within one process jSerialComm's answer to a
     * second open is an unrelated error code, so the link checks first and says what is wrong.
     */
    private static final Set<String> OPEN_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final String portPath;
    private final Device device;
    private final Journal journal;
    private final TelemetryCodec codec = new TelemetryCodec();
    private final Object writeLock = new Object();
    private final Thread reader;
    /**
     * Handles the lines the reader splits, in order, on a thread of their own: the model's listeners
     * can take a while under load, and a reader that waited for them would leave the device's bytes in
     * the port's buffer, so a line's time (received_ms) would be when the reader got round to it.
     */
    private final java.util.concurrent.ExecutorService handler;
    private volatile SerialPort port;
    private volatile boolean closed;

    private DeviceLink(String portPath, Device device, Journal journal, SerialPort first) {
        this.portPath = portPath;
        this.device = device;
        this.journal = journal;
        this.port = first;
        this.reader = new Thread(this::readLoop, "device-link " + portPath);
        this.reader.setDaemon(true);
        this.handler = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "device-link lines " + portPath);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens {@code portPath} at 115200 8N1 without flow control and starts reading. The first open
     * must succeed: a wrong path or a missing permission is the user's to fix, and the exception says
     * how. Later losses of the port are handled by reconnecting.
     */
    public static DeviceLink open(String portPath, Device device, Journal journal) {
        Objects.requireNonNull(portPath, "portPath");
        String key = ownershipKey(portPath);
        if (!OPEN_IN_THIS_JVM.add(key)) {
            throw new DeviceLinkException(DeviceLinkException.Problem.BUSY, "Cannot open serial port '" + portPath
                    + "': this workbench already reads it"
                    + " through another link; two readers would split the device's bytes. Use that link's Device.");
        }
        device.setState(ConnectionState.CONNECTING);
        SerialPort port;
        try {
            port = openPort(portPath);
        } catch (DeviceLinkException e) {
            OPEN_IN_THIS_JVM.remove(key);
            device.setState(ConnectionState.DISCONNECTED);
            throw e;
        }
        DeviceLink link = new DeviceLink(portPath, device, journal, port);
        device.onListenerFailure(e -> journal.tryAppend(EventType.DEVICE_LINK_ERROR, device.snapshot().journalId(),
                "a listener of the device model failed: " + e, Map.of("line", "", "error", String.valueOf(e))));
        link.connected(false);
        link.reader.start();
        return link;
    }

    /** The serial ports this machine has, for {@code device list}. */
    public static List<SerialPortInfo> availablePorts() {
        return Arrays.stream(SerialPort.getCommPorts())
                .map(p -> new SerialPortInfo(p.getSystemPortPath(), p.getDescriptivePortName(), p.getPortDescription(),
                        p.getPortLocation()))
                .toList();
    }

    public String portPath() {
        return portPath;
    }

    public Device device() {
        return device;
    }

    /** Sends a command; its effects arrive as telemetry. */
    public void send(SerialCommand command) {
        sendLine(codec.encode(command));
    }

    /**
     * Sends one raw line, as typed on a serial console (tests use it to send what the protocol
     * forbids); at most {@link TelemetryCodec#MAX_COMMAND_BYTES} bytes with its newline.
     */
    public void sendLine(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (bytes.length > TelemetryCodec.MAX_COMMAND_BYTES) {
            throw new IllegalArgumentException("a command line is at most " + TelemetryCodec.MAX_COMMAND_BYTES
                    + " bytes; the device would drop this one (" + bytes.length + " bytes)");
        }
        synchronized (writeLock) {
            SerialPort p = port;
            if (p == null || device.state() != ConnectionState.CONNECTED) {
                throw new DeviceLinkException("Cannot send '" + line + "': the serial port " + portPath
                        + " is not connected (is the board plugged in and powered?).");
            }
            // Journaled before the write: once the bytes are out the device may answer at once, and its
            // answer (journaled by the handler thread) must not come before the command in the journal.
            journal.append(EventType.SERIAL_TX, device.snapshot().journalId(), line,
                    Map.of("port", portPath));
            int written = p.writeBytes(bytes, bytes.length);
            if (written != bytes.length) {
                String why = "the write failed (error " + p.getLastErrorCode() + ", " + Math.max(0, written) + " of "
                        + bytes.length + " bytes written); the port may have vanished";
                journal.tryAppend(EventType.DEVICE_LINK_ERROR, device.snapshot().journalId(),
                        "sending '" + line + "' to " + portPath + " failed: " + why, Map.of("line", line, "error", why));
                throw new DeviceLinkException("Cannot send '" + line + "' to " + portPath + ": " + why + ".");
            }
        }
    }

    /** Stops reading and closes the port; the model ends {@link ConnectionState#DISCONNECTED}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        reader.interrupt();
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainLines();
        handler.shutdown();
        SerialPort p = port;
        port = null;
        if (p != null) {
            p.closePort();
        }
        OPEN_IN_THIS_JVM.remove(ownershipKey(portPath));
        if (device.state() != ConnectionState.DISCONNECTED) {
            device.setState(ConnectionState.DISCONNECTED);
            journal.append(EventType.DEVICE_DISCONNECTED, device.snapshot().journalId(),
                    "serial port " + portPath + " closed by the workbench", Map.of("port", portPath, "reason", "closed"));
        }
    }

    private static String ownershipKey(String portPath) {
        return portPath.contains("/") ? Path.of(portPath).toAbsolutePath().normalize().toString() : portPath;
    }

    private static SerialPort openPort(String path) {
        // jSerialComm reads a path that does not exist as a bare port name under /dev and then says
        // so in its own terms; the user gave a path, so answer about that path.
        if (path.contains("/") && !Files.exists(Path.of(path))) {
            throw new DeviceLinkException(DeviceLinkException.Problem.MISSING, "Cannot open serial port '" + path
                    + "': it does not exist (is the board"
                    + " plugged in, or the virtual board running?). './workbench device list' shows the ports.");
        }
        SerialPort p;
        try {
            p = SerialPort.getCommPort(path);
        } catch (RuntimeException e) {
            throw new DeviceLinkException("Cannot open serial port '" + path + "': " + e.getMessage()
                    + ". './workbench device list' shows the ports.");
        }
        p.setComPortParameters(BAUD_RATE, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        // No flow control: the ESP32 UART uses none, and a pty has no modem lines to honour it.
        p.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, READ_TIMEOUT_MS, 0);
        if (!p.openPort()) {
            int errno = p.getLastErrorCode();
            String why = switch (errno) {
                case 2 -> "it does not exist (is the board plugged in, or the virtual board running?)";
                case 13 -> "permission denied (add yourself to the 'dialout' group:"
                        + " sudo usermod -aG dialout $USER, then log in again)";
                // jSerialComm locks the port (flock): EWOULDBLOCK/EBUSY mean another reader has it, and two
                // readers would split the device's bytes between them.
                case 11, 16 -> "another program has it open (close it: a serial monitor, another workbench)";
                default -> "error " + errno + " at " + p.getLastErrorLocation();
            };
            DeviceLinkException.Problem problem = switch (errno) {
                case 2 -> DeviceLinkException.Problem.MISSING;
                case 13 -> DeviceLinkException.Problem.PERMISSION_DENIED;
                case 11, 16 -> DeviceLinkException.Problem.BUSY;
                default -> DeviceLinkException.Problem.OTHER;
            };
            throw new DeviceLinkException(problem, "Cannot open serial port '" + path + "': " + why + ".");
        }
        // Bytes the board wrote while nobody listened can be stale (a pty keeps them): start clean.
        p.flushIOBuffers();
        return p;
    }

    // Journal first, model second: whoever sees the model change finds the event already recorded.
    private void connected(boolean reconnect) {
        journal.append(EventType.DEVICE_CONNECTED, device.snapshot().journalId(),
                (reconnect ? "serial port " + portPath + " is back" : "serial port " + portPath + " open")
                        + " at " + BAUD_RATE + " 8N1", Map.of("port", portPath, "reconnect", reconnect));
        device.setState(ConnectionState.CONNECTED);
    }

    /** Waits (briefly) until the lines read so far are handled, so what follows is journaled after them. */
    private void drainLines() {
        if (Thread.currentThread().getName().equals("device-link lines " + portPath)) {
            return; // a listener closing the link from a line: those before it are handled already
        }
        try {
            handler.submit(() -> { }).get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | java.util.concurrent.RejectedExecutionException e) {
            // Nothing more to wait for: the handler is gone or stuck; what follows is journaled anyway.
        }
    }

    private void lost(String reason) {
        drainLines();
        SerialPort p = port;
        port = null;
        if (p != null) {
            p.closePort();
        }
        // Ctrl-C reaches the virtual boards (same terminal) as it reaches the workbench: the port goes
        // because everything is stopping, which is no loss to report nor to reconnect after.
        boolean stopping = ShutdownFlag.isShuttingDown();
        journal.tryAppend(EventType.DEVICE_DISCONNECTED, device.snapshot().journalId(),
                stopping ? "serial port " + portPath + " closed: the workbench is stopping"
                        : "serial port " + portPath + " lost: " + reason + "; reconnecting when it comes back",
                Map.of("port", portPath, "reason", stopping ? "stopping" : reason));
        device.setState(ConnectionState.DISCONNECTED);
    }

    private void readLoop() {
        byte[] buf = new byte[1024];
        LineSplitter lines = new LineSplitter();
        long syncStarted = System.nanoTime();
        boolean statusSent = false;
        while (!closed) {
            SerialPort p = port;
            if (p == null) {
                if (!sleep(RECONNECT_INTERVAL)) {
                    break;
                }
                try {
                    port = openPort(portPath);
                } catch (DeviceLinkException stillGone) {
                    continue; // retry quietly: the loss was journaled once
                }
                lines = new LineSplitter();
                syncStarted = System.nanoTime();
                statusSent = false;
                connected(true);
                continue;
            }
            int n = p.readBytes(buf, buf.length);
            // When the bytes left the port: the lines are journaled only once the model has taken them.
            long receivedMs = System.currentTimeMillis();
            if (closed) {
                break;
            }
            if (n < 0) {
                lost("the port stopped reading (board unplugged or its process ended; error "
                        + p.getLastErrorCode() + ")");
                continue;
            }
            if (n == 0 && portPath.contains("/") && !Files.exists(Path.of(portPath))) {
                // Some USB-serial drivers report an unplug as silence, not as an error: the device node going
                // away is the only sign.
                lost("the port's device node " + portPath + " disappeared (board unplugged?)");
                continue;
            }
            for (int i = 0; i < n; i++) {
                LineSplitter.Line line = lines.accept(buf[i]);
                if (line != null) {
                    handler.execute(() -> deliverGuarded(line, receivedMs));
                }
            }
            // Once in step with the device's lines, ask for a fresh picture (docs/telemetry.md, Link).
            if (!statusSent && (lines.synced() || (!lines.pending() && System.nanoTime() - syncStarted > SYNC_QUIET_NANOS))) {
                lines.markSynced();
                statusSent = true;
                try {
                    send(SerialCommand.STATUS);
                } catch (DeviceLinkException e) {
                    lost("write failed");
                }
            }
        }
    }

    /**
     * A failing model listener (a view, a scenario hook) must not kill the reader: the link would go
     * deaf while the device keeps talking. The failure is journaled once per line and reading goes on.
     */
    private void deliverGuarded(LineSplitter.Line line, long receivedMs) {
        try {
            deliver(line, receivedMs);
        } catch (RuntimeException e) {
            try {
                journal.append(EventType.DEVICE_LINK_ERROR, device.snapshot().journalId(),
                        "handling a line from " + portPath + " failed: " + e, Map.of("line", line.text(),
                                "error", String.valueOf(e)));
            } catch (RuntimeException journalClosed) {
                // Nobody is recording any more; the owner is closing the link.
            }
        }
    }

    private void deliver(LineSplitter.Line line, long receivedMs) {
        TelemetryLine decoded = line.overlong()
                ? new TelemetryLine.Human(line.text(), "line is longer than the protocol's "
                        + TelemetryCodec.MAX_LINE_BYTES + " bytes; the rest was dropped")
                : codec.decode(line.text());
        boolean newBoot = device.apply(decoded);
        TelemetryJournal.received(journal, device.snapshot().journalId(), portPath, decoded, newBoot, receivedMs);
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Splits the byte stream into lines of at most {@link TelemetryCodec#MAX_LINE_BYTES} bytes,
     * stripping {@code \r\n}. Until the first newline after opening, bytes are discarded: they may be
     * the tail of a line the device began before the port was open.
     */
    static final class LineSplitter {
        record Line(String text, boolean overlong) {
        }

        private final ByteArrayOutputStream current = new ByteArrayOutputStream(256);
        private boolean synced;
        private boolean overlong;

        boolean synced() {
            return synced;
        }

        /** True when bytes of an unfinished line are held. */
        boolean pending() {
            return current.size() > 0 || overlong;
        }

        /** The device was quiet with nothing held: the next byte starts a line. */
        void markSynced() {
            synced = true;
        }

        Line accept(byte b) {
            if (b == '\n') {
                boolean wasSynced = synced;
                synced = true;
                byte[] bytes = current.toByteArray();
                current.reset();
                boolean cut = overlong;
                overlong = false;
                if (!wasSynced) {
                    return null; // the partial first line
                }
                int len = bytes.length;
                if (len > 0 && bytes[len - 1] == '\r') {
                    len--;
                }
                return new Line(new String(bytes, 0, len, StandardCharsets.UTF_8), cut);
            }
            if (current.size() < TelemetryCodec.MAX_LINE_BYTES) {
                current.write(b);
            } else {
                overlong = true; // keep the first 4096 bytes for the journal, drop the rest
            }
            return null;
        }
    }
}
