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
 * against off-path forgeries). Requests that are not client-mode NTP packets are dropped.
 *
 * <p>Queries are journaled ({@code time.query}, source {@link Source#NETWORK}) so that the journal keeps
 * what matters without a flood filling the disk: a sender's first query in a minute, its first after a
 * pause of a second or more (each sync of a device), and any query answered with another offset than
 * the sender's last journaled one (a time-shift attack). The rest are counted ({@code queries_since},
 * and one {@code time.summary} a minute). A sender is its IP address; the lab's devices have their own
 * ({@link DeviceAddresses}). Senders that are not the lab's devices are rate-limited: at most
 * {@value #UNKNOWN_PER_SECOND} answers a second each and {@value #UNKNOWN_TOTAL_PER_SECOND} for all of
 * them together; the rest get no answer and are counted as refused.
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
    private final DeviceAddresses addresses;
    private volatile boolean closed;

    static final int UNKNOWN_PER_SECOND = 20;
    static final int UNKNOWN_TOTAL_PER_SECOND = 200;
    static final long MINUTE_NS = 60_000_000_000L;
    static final long PAUSE_NS = 1_000_000_000L;
    private static final int MAX_SENDERS = 10_000;

    /** What the server remembers of one sender (an IP address); only its serving thread touches it. */
    private static final class Sender {
        long lastQuery = Long.MIN_VALUE / 2;
        long lastJournaled = Long.MIN_VALUE / 2;
        long offsetJournaled = Long.MIN_VALUE;
        long notJournaled;
        final Bucket bucket = new Bucket(UNKNOWN_PER_SECOND);
    }

    /** A token bucket refilled at {@code perSecond}, holding at most one second's worth. */
    private static final class Bucket {
        final int perSecond;
        double tokens;
        long at = System.nanoTime();

        Bucket(int perSecond) {
            this.perSecond = perSecond;
            this.tokens = perSecond;
        }

        boolean take(long now) {
            tokens = Math.min(perSecond, tokens + (now - at) * perSecond / 1e9);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    private final Map<InetAddress, Sender> senders = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Sender> eldest) {
            return size() > MAX_SENDERS;
        }
    };
    private final Bucket unknownTotal = new Bucket(UNKNOWN_TOTAL_PER_SECOND);
    /** Journal lines for senders that are not devices: at most one a second in all. */
    private final Bucket unknownJournal = new Bucket(1);
    private long summaryAt = System.nanoTime();
    private long answeredSince;
    private long notJournaledSince;
    private long refusedSince;
    private final java.util.Set<InetAddress> sendersSince = new java.util.HashSet<>();

    private LabTimeServer(DatagramSocket socket, Journal journal, Clock clock, DeviceAddresses addresses) {
        this.socket = socket;
        this.journal = journal;
        this.clock = clock;
        this.addresses = addresses;
        this.thread = new Thread(this::serve, "lab-time-server :" + socket.getLocalPort());
        this.thread.setDaemon(true);
    }

    /** Starts a time server on 127.0.0.1 and a free port. */
    public static LabTimeServer start(Journal journal) throws IOException {
        return start(journal, DeviceAddresses.assume(false));
    }

    /** Starts a time server on 127.0.0.1 and a free port that knows the lab's devices by {@code addresses}. */
    public static LabTimeServer start(Journal journal, DeviceAddresses addresses) throws IOException {
        return start(journal, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Clock.systemUTC(), addresses);
    }

    public static LabTimeServer start(Journal journal, InetSocketAddress address, Clock clock) throws IOException {
        return start(journal, address, clock, DeviceAddresses.assume(false));
    }

    /** Starts a time server on {@code address} (port 0: any free port) that tells {@code clock}'s time plus the offset. */
    public static LabTimeServer start(Journal journal, InetSocketAddress address, Clock clock,
                                      DeviceAddresses addresses) throws IOException {
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(addresses, "addresses");
        DatagramSocket socket = new DatagramSocket(null);
        try {
            socket.bind(address);
            socket.setSoTimeout(1_000); // wakes the loop for the minute's summary when nobody asks
        } catch (SocketException e) {
            socket.close();
            throw new IOException("Cannot listen for SNTP on " + address + " (" + e.getMessage()
                    + "). Is another time server using this port?", e);
        }
        LabTimeServer server = new LabTimeServer(socket, journal, clock, addresses);
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
            } catch (java.net.SocketTimeoutException quiet) {
                summariseIfDue(System.nanoTime(), false);
                continue;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            long nanos = System.nanoTime();
            InetAddress from = request.getAddress();
            String device = addresses.deviceAt(from).orElse(null);
            boolean known = device != null || (!addresses.routed() && from.isLoopbackAddress());
            Sender sender = senders.computeIfAbsent(from, a -> new Sender());
            sendersSince.add(from);
            if (!known && !(sender.bucket.take(nanos) && unknownTotal.take(nanos))) {
                refusedSince++;
                summariseIfDue(nanos, false);
                continue;
            }
            Instant received = now();
            byte[] reply = answer(in, request.getLength(), received, now());
            boolean journalIt = nanos - sender.lastJournaled >= MINUTE_NS || nanos - sender.lastQuery >= PAUSE_NS
                    || (reply != null && sender.offsetJournaled != offset.get().toSeconds());
            if (journalIt && !known) {
                journalIt = unknownJournal.take(nanos);
            }
            sender.lastQuery = nanos;
            if (reply == null) {
                if (journalIt) {
                    sender.lastJournaled = nanos;
                    record(EventType.TIME_IGNORED, device, "dropped a " + request.getLength() + "-byte datagram from "
                            + request.getSocketAddress() + ": not a client-mode NTP request",
                            Map.of("remote", String.valueOf(request.getSocketAddress()), "length", request.getLength()));
                } else {
                    notJournaledSince++;
                }
                summariseIfDue(nanos, false);
                continue;
            }
            // Journaled before the reply leaves: the device acts on the time at once, and what it does next
            // (a TLS refusal, a verdict on the serial line) must not come before the query in the journal.
            queries.incrementAndGet();
            answeredSince++;
            if (journalIt) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("remote", String.valueOf(request.getSocketAddress()));
                fields.put("served_unix", received.getEpochSecond());
                fields.put("offset_seconds", offset.get().toSeconds());
                if (device != null) {
                    fields.put("device", device);
                }
                if (sender.notJournaled > 0) {
                    fields.put("queries_since", sender.notJournaled);
                }
                sender.notJournaled = 0;
                sender.lastJournaled = nanos;
                sender.offsetJournaled = offset.get().toSeconds();
                record(EventType.TIME_QUERY, device, "answered an SNTP query from " + request.getSocketAddress()
                        + " with " + received + (offset.get().isZero() ? "" : " (shifted " + offset.get() + ")"), fields);
            } else {
                sender.notJournaled++;
                notJournaledSince++;
            }
            try {
                socket.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
            summariseIfDue(nanos, false);
        }
    }

    /** One {@code time.summary} a minute when something was left out or refused (and one at close). */
    private void summariseIfDue(long nanos, boolean closing) {
        if (!closing && nanos - summaryAt < MINUTE_NS) {
            return;
        }
        if (notJournaledSince > 0 || refusedSince > 0) {
            record(EventType.TIME_SUMMARY, null, "SNTP: " + answeredSince + " queries answered, " + notJournaledSince
                    + " not journaled one by one, " + refusedSince + " refused (rate limit for unknown senders), from "
                    + sendersSince.size() + " senders in " + Math.max(1, (nanos - summaryAt) / 1_000_000_000L) + " s",
                    Map.of("answered", answeredSince, "not_journaled", notJournaledSince, "refused", refusedSince,
                            "senders", sendersSince.size(), "window_s", Math.max(1, (nanos - summaryAt) / 1_000_000_000L)));
        }
        summaryAt = nanos;
        answeredSince = 0;
        notJournaledSince = 0;
        refusedSince = 0;
        sendersSince.clear();
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
        record(type, null, message, fields);
    }

    private void record(EventType type, String deviceId, String message, Map<String, ?> fields) {
        journal.tryAppend(type, deviceId, message, fields);
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
        if (!thread.isAlive()) {
            summariseIfDue(System.nanoTime(), true); // the serving thread is gone: its counters are ours now
        }
        record(EventType.TIME_STOPPED, "lab time server stopped", Map.of());
    }
}
