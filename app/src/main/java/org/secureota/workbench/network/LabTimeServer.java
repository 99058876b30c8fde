package org.secureota.workbench.network;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;

/**
 * The lab's time source: a small SNTP server (RFC 4330, NTPv4 server mode of RFC 5905) on UDP,
 * loopback by default, that the virtual ESP32 queries before it trusts any certificate or manifest
 * expiry ({@code VESP32_SNTP_SERVER=host:port}). Its time is the real clock plus a settable
 * {@link #offset(Duration)}, so a time-shift attack can be shown: set it two years ahead and the
 * device finds the server certificate expired.
 *
 * <p>Every answer follows the protocol a real server follows, because the firmware checks it: mode
 * 4, the client's version echoed (3 or 4), stratum 1 with reference id {@code LAB}, leap indicator
 * 0, and the request's transmit timestamp copied as the originate timestamp (the client's defence
 * against off-path forgeries). Requests that are not client-mode NTP packets are dropped. Each
 * query is journaled ({@code time.query}, source {@link Source#NETWORK}).
 */
public final class LabTimeServer implements AutoCloseable {

    /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
    static final long NTP_UNIX_OFFSET = 2_208_988_800L;
    static final int PACKET_SIZE = 48;
    public static final String QUERY_EVENT = EventType.TIME_QUERY.wireName();

    private final DatagramSocket socket;
    private final Journal journal;
    private final Clock clock;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final AtomicLong queries = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    private LabTimeServer(DatagramSocket socket, Journal journal, Clock clock) {
        this.socket = socket;
        this.journal = journal;
        this.clock = clock;
        this.thread = new Thread(this::serve, "lab-time-server :" + socket.getLocalPort());
        this.thread.setDaemon(true);
    }

    /** Starts a time server on 127.0.0.1 and a free port. */
    public static LabTimeServer start(Journal journal) throws IOException {
        return start(journal, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Clock.systemUTC());
    }

    /** Starts a time server on {@code address} (port 0: any free port) that tells {@code clock}'s time plus the offset. */
    public static LabTimeServer start(Journal journal, InetSocketAddress address, Clock clock) throws IOException {
        Objects.requireNonNull(journal, "journal");
        DatagramSocket socket = new DatagramSocket(null);
        try {
            socket.bind(address);
        } catch (SocketException e) {
            socket.close();
            throw new IOException("Cannot listen for SNTP on " + address + " (" + e.getMessage()
                    + "). Is another time server using this port?", e);
        }
        LabTimeServer server = new LabTimeServer(socket, journal, clock);
        server.thread.start();
        journal.append(EventType.TIME_STARTED, null, "lab time server listening on " + server.hostPort(),
                Map.of("address", server.hostPort()));
        return server;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** {@code 127.0.0.1:PORT}: the value of the virtual board's {@code VESP32_SNTP_SERVER}. */
    public String hostPort() {
        return socket.getLocalAddress().getHostAddress() + ":" + port();
    }

    /** How far the served time is from the real clock (positive: ahead). */
    public Duration offset() {
        return offset.get();
    }

    /** Shifts the served time from now on; journaled, since it is an attack when it is not zero. */
    public void offset(Duration shift) {
        offset.set(Objects.requireNonNull(shift, "shift"));
        journal.append(EventType.TIME_OFFSET, null, "lab time server now answers " + shift + " from the real"
                + " clock", Map.of("offset_seconds", shift.toSeconds()));
    }

    /** The time the server tells clients now. */
    public Instant now() {
        return clock.instant().plus(offset.get());
    }

    /** Queries answered so far. */
    public long queries() {
        return queries.get();
    }

    private void serve() {
        byte[] in = new byte[512];
        while (!closed) {
            DatagramPacket request = new DatagramPacket(in, in.length);
            try {
                socket.receive(request);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            Instant received = now();
            byte[] reply = answer(in, request.getLength(), received, now());
            if (reply == null) {
                record(EventType.TIME_IGNORED, "dropped a " + request.getLength() + "-byte datagram from "
                        + request.getSocketAddress() + ": not a client-mode NTP request",
                        Map.of("remote", String.valueOf(request.getSocketAddress()), "length", request.getLength()));
                continue;
            }
            try {
                socket.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
            queries.incrementAndGet();
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("remote", String.valueOf(request.getSocketAddress()));
            fields.put("served_unix", received.getEpochSecond());
            fields.put("offset_seconds", offset.get().toSeconds());
            record(EventType.TIME_QUERY, "answered an SNTP query from " + request.getSocketAddress() + " with " + received
                    + (offset.get().isZero() ? "" : " (shifted " + offset.get() + ")"), fields);
        }
    }

    /**
     * The server-mode reply to {@code request}, or null when it is not an NTP client request
     * (shorter than 48 bytes, mode other than 3, version outside 1..4).
     */
    static byte[] answer(byte[] request, int length, Instant received, Instant transmit) {
        if (length < PACKET_SIZE) {
            return null;
        }
        int mode = request[0] & 7;
        int version = (request[0] >> 3) & 7;
        if (mode != 3 || version < 1 || version > 4) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(PACKET_SIZE);
        out.put((byte) ((0 << 6) | (Math.max(version, 3) << 3) | 4)); // LI 0, client's version (3 or 4), mode 4
        out.put((byte) 1);                   // stratum 1: a primary reference (the lab is its own reference)
        out.put(request[2]);                 // poll: echo the client's
        out.put((byte) -20);                 // precision: about 1 microsecond
        out.putInt(0);                       // root delay
        out.putInt(0);                       // root dispersion
        out.put(new byte[] {'L', 'A', 'B', 0}); // reference id (a stratum-1 source name)
        out.putLong(ntp(transmit));          // reference timestamp: the clock is always "just set"
        out.put(request, 40, 8);             // originate = the client's transmit timestamp, byte for byte
        out.putLong(ntp(received));          // receive timestamp
        out.putLong(ntp(transmit));          // transmit timestamp
        return out.array();
    }

    /** An instant as a 64-bit NTP timestamp: seconds since 1900 (mod 2^32, so 2036 wraps to era 1) and a binary fraction. */
    static long ntp(Instant t) {
        long seconds = t.getEpochSecond() + NTP_UNIX_OFFSET;
        long fraction = ((long) t.getNano() << 32) / 1_000_000_000L;
        return (seconds << 32) | (fraction & 0xFFFF_FFFFL);
    }

    /** From the server's thread, which may still run briefly after the session closed its journal. */
    private void record(EventType type, String message, Map<String, ?> fields) {
        journal.tryAppend(type, null, message, fields);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        socket.close();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        record(EventType.TIME_STOPPED, "lab time server stopped", Map.of());
    }
}
