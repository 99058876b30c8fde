package org.secureota.workbench.network;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Records every connection the device endpoint forwards, as the device saw it: when it opened, each
 * block of bytes with its time and direction, and how each side ended. {@link CaptureExport} turns the
 * file into a pcapng capture. The file is the session's {@code capture/streams.bin}:
 * <pre>
 *   "OTACAP1\n", then records, big-endian:
 *   OPEN  1, id u64, time us u64, device host UTF, device port u16, endpoint port u16, upstream name UTF,
 *            upstream host UTF, upstream port u16
 *   DATA  2, id u64, time us u64, from device u8 (1 up, 0 down), length u32, bytes
 *   FIN   3, id u64, time us u64, from device u8 (the side that finished sending)
 *   RESET 4, id u64, time us u64
 * </pre>
 * An id with {@link #ATTACK_LEG} set is the attacker's own leg of a connection: from the endpoint to a
 * look-alike server, or to the lab server on a connection a fault acts on (the bytes before the fault).
 * Its OPEN names the endpoint's side ({@code device host/port}: the endpoint's outgoing socket;
 * {@code endpoint port}: the upstream's port).
 * Written as the bytes pass (a block at a time, flushed), so that an export during the session
 * has everything up to that moment. A write error stops the recording, never the forwarding.
 */
public final class CaptureRecorder implements AutoCloseable {

    /** Where a session keeps it, relative to the session folder. */
    public static final String FILE = "capture/streams.bin";
    static final byte[] MAGIC = "OTACAP1\n".getBytes(StandardCharsets.US_ASCII);
    static final int OPEN = 1;
    static final int DATA = 2;
    static final int FIN = 3;
    static final int RESET = 4;
    /** Set in the id of an attacker's leg. */
    public static final long ATTACK_LEG = 1L << 62;

    private final Path file;
    private final DataOutputStream out;
    private String error;
    private boolean closed;

    private CaptureRecorder(Path file, DataOutputStream out) {
        this.file = file;
        this.out = out;
    }

    /** Creates (or replaces) {@code file} and its folder. */
    public static CaptureRecorder create(Path file) throws IOException {
        // The capture holds every byte of every device's connections: private, as the session folder is.
        org.secureota.workbench.foundation.LabFolder.ensurePrivateDirectory(file.toAbsolutePath().getParent());
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 1 << 16));
        out.write(MAGIC);
        out.flush();
        return new CaptureRecorder(file, out);
    }

    public Path file() {
        return file;
    }

    /** Why recording stopped, or null while it runs. */
    public synchronized String error() {
        return error;
    }

    synchronized void opened(long id, String deviceHost, int devicePort, int endpointPort, Upstream to) {
        if (closed || error != null) {
            return;
        }
        try {
            head(OPEN, id);
            out.writeUTF(deviceHost);
            out.writeShort(devicePort);
            out.writeShort(endpointPort);
            out.writeUTF(to.name());
            out.writeUTF(to.address().getHostString());
            out.writeShort(to.address().getPort());
            out.flush();
        } catch (IOException e) {
            stop(e);
        }
    }

    /** The attacker's leg of a connection (id with {@link #ATTACK_LEG}): from the endpoint at {@code host:port}. */
    void openedLeg(long legId, String host, int port, Upstream to) {
        opened(legId, host, port, to.address().getPort(), to);
    }

    synchronized void data(long id, boolean fromDevice, byte[] b, int off, int len) {
        if (closed || error != null || len <= 0) {
            return;
        }
        try {
            head(DATA, id);
            out.writeByte(fromDevice ? 1 : 0);
            out.writeInt(len);
            out.write(b, off, len);
            out.flush();
        } catch (IOException e) {
            stop(e);
        }
    }

    synchronized void fin(long id, boolean fromDevice) {
        if (closed || error != null) {
            return;
        }
        try {
            head(FIN, id);
            out.writeByte(fromDevice ? 1 : 0);
            out.flush();
        } catch (IOException e) {
            stop(e);
        }
    }

    synchronized void reset(long id) {
        if (closed || error != null) {
            return;
        }
        try {
            head(RESET, id);
            out.flush();
        } catch (IOException e) {
            stop(e);
        }
    }

    private void head(int type, long id) throws IOException {
        out.writeByte(type);
        out.writeLong(id);
        out.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
    }

    private void stop(IOException e) {
        error = "capture stopped: cannot write " + file + ": " + e.getMessage();
        try {
            out.close();
        } catch (IOException ignored) {
            // already failed
        }
    }

    @Override
    public synchronized void close() {
        if (closed || error != null) {
            closed = true;
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            error = "capture incomplete: cannot close " + file + ": " + e.getMessage();
        }
    }
}
