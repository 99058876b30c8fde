package org.secureota.workbench.network;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.EventType;

/**
 * The device-facing endpoint: the address devices are provisioned with, standing where DNS or the Wi-Fi
 * puts an attacker. It forwards TCP both ways, byte for byte, to an upstream (the lab's OTA server unless
 * an attack routed it elsewhere), and journals every connection: opened, upstream, bytes each way, how it
 * ended and how long it lasted. It never parses HTTP and never holds a TLS key; it only reads TLS record
 * headers, to count records and to tamper with one.
 *
 * <p>Each connection takes a snapshot of the route, the armed fault and the throttle when it opens:
 * changing them while a download runs acts on the next connection, and {@link #arm} says so.
 *
 * <p>Two threads per connection, each a blocking copy loop: a device holds one or two connections at a
 * time, and blocking copies keep cut offsets, pacing and record scanning plain sequential code (NIO
 * would need the same logic spread over a selector's state machine for no gain at this scale). The
 * threads are bounded by {@link EndpointLimits}: connections beyond its caps are closed as soon as they
 * are accepted, and one that sends nothing within its idle deadline is closed.
 *
 * <p>Which device a connection belongs to: the lab gives each virtual device its own loopback address
 * ({@link DeviceAddresses}); a connection from such an address is that device's, and its journal events
 * carry the device's id (and the field {@code device}). Its upstream connection is bound to the same
 * address (any loopback client's is, where the lab has per-device addresses), so the server sees the
 * device's address. A connection from any other address belongs to no
 * device.
 */
public final class DeviceEndpoint implements AutoCloseable {

    /** An ESP32 on Wi-Fi downloads at roughly this rate (bytes per second); the throttle's default. */
    public static final long ESP32_LIKE_RATE = 200_000;
    static final int BUFFER = 64 * 1024;
    /** A connection's first read in each direction: an idle connection never needs the full buffer. */
    static final int FIRST_BUFFER = 2 * 1024;
    /** Copy loops need little stack; a small one keeps a few hundred held connections cheap. */
    static final long THREAD_STACK = 256 * 1024;
    static final int CONNECT_TIMEOUT_MS = 5_000;
    static final int KEEP_RECENT = 256;

    /** How often, at most, refusals from one address are journaled. */
    static final long REFUSAL_JOURNAL_EVERY_NS = 10_000_000_000L;

    private final ServerSocket listener;
    private final Journal journal;
    private final DeviceAddresses addresses;
    private final EndpointLimits limits;
    /** Held connections by address, or by device for a device's own door ("device ID"). */
    private final Map<Object, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    /** Where only 127.0.0.1 routes: one listener per virtual device, so a connection says whose it is. */
    private final Map<String, ServerSocket> doors = new ConcurrentHashMap<>();
    private final EndpointPeers peers;
    private final AtomicInteger others = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final Map<InetAddress, Long> refusalJournaled = new ConcurrentHashMap<>();
    private final Upstream labServer;
    private final AtomicReference<Upstream> upstream;
    private final AtomicReference<Arming> arming = new AtomicReference<>();
    private final AtomicLong throttle = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Deque<ConnectionRecord> recent = new ArrayDeque<>();
    private final ExecutorService threads;
    private final SecureRandom random = new SecureRandom();
    private volatile CaptureRecorder capture;
    private volatile boolean closed;

    /** One arming of a fault; {@code spent} makes a ONCE fault strike exactly one connection. */
    private record Arming(NetworkFault fault, AtomicBoolean spent) {
        boolean strike(NetworkFault.Repeat repeat) {
            return repeat == NetworkFault.Repeat.EVERY_TIME || spent.compareAndSet(false, true);
        }
    }

    private DeviceEndpoint(ServerSocket listener, Journal journal, Upstream labServer, DeviceAddresses addresses,
                           EndpointLimits limits, EndpointPeers peers) {
        this.listener = listener;
        this.peers = peers;
        this.journal = journal;
        this.addresses = addresses;
        this.limits = limits;
        this.labServer = labServer;
        this.upstream = new AtomicReference<>(labServer);
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(null, r, "device-endpoint-" + n.incrementAndGet(), THREAD_STACK);
            t.setDaemon(true);
            return t;
        });
    }

    /** Listens on 127.0.0.1, on a free port, forwarding to {@code labServer}. */
    public static DeviceEndpoint start(Journal journal, Upstream labServer) throws IOException {
        return start(journal, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), labServer);
    }

    public static DeviceEndpoint start(Journal journal, InetSocketAddress bind, Upstream labServer) throws IOException {
        return start(journal, bind, labServer, DeviceAddresses.assume(false), EndpointLimits.defaults());
    }

    /** Listens on {@code bind}; connections from {@code addresses}' devices are attributed to them. */
    public static DeviceEndpoint start(Journal journal, InetSocketAddress bind, Upstream labServer,
                                       DeviceAddresses addresses, EndpointLimits limits) throws IOException {
        return start(journal, bind, labServer, addresses, limits, null);
    }

    /**
     * As above, and each upstream connection that carries a lab device's connection is recorded in
     * {@code peers} (null: none), for the server of the same session to count it as that device's.
     */
    public static DeviceEndpoint start(Journal journal, InetSocketAddress bind, Upstream labServer,
                                       DeviceAddresses addresses, EndpointLimits limits, EndpointPeers peers)
            throws IOException {
        Objects.requireNonNull(journal, "journal");
        Objects.requireNonNull(labServer, "labServer");
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(limits, "limits");
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(bind, 512);
        } catch (IOException e) {
            socket.close();
            throw new IOException("Cannot open the device endpoint on " + bind + " (" + e.getMessage()
                    + "). Is another program using this port? Choose another, or 0 for any free port.", e);
        }
        DeviceEndpoint endpoint = new DeviceEndpoint(socket, journal, labServer, addresses, limits, peers);
        endpoint.threads.execute(() -> endpoint.acceptLoop(socket, null));
        endpoint.record(EventType.ENDPOINT_STARTED, "device endpoint " + endpoint.hostPort() + " forwards to "
                + labServer.name() + " (" + labServer.hostPort() + ")",
                Map.of("address", endpoint.hostPort(), "upstream", labServer.name(),
                        "upstream_address", labServer.hostPort()));
        return endpoint;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** {@code 127.0.0.1:port}, or the bound address. */
    public String hostPort() {
        return listener.getInetAddress().getHostAddress() + ":" + port();
    }

    /** The URL to provision devices with: the endpoint, never the server itself. */
    public URI url() {
        InetAddress a = listener.getInetAddress();
        String host = a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
        return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    public Upstream labServer() {
        return labServer;
    }

    public Upstream upstream() {
        return upstream.get();
    }

    /** Sends the next connections to {@code to}; returns what the console should say. */
    public String route(Upstream to) {
        Objects.requireNonNull(to, "to");
        Upstream before = upstream.getAndSet(to);
        String notice = nextConnectionNotice("route to " + to.name() + " (" + to.hostPort() + ")");
        record(EventType.ROUTE_CHANGED, notice, Map.of("upstream", to.name(), "upstream_address", to.hostPort(),
                "previous", before.name(), "open_connections", open.size()));
        return notice;
    }

    /** Routes the next connections back to the lab server. */
    public String routeToLabServer() {
        return route(labServer);
    }

    /** Arms {@code fault}, replacing any armed one; it acts on connections opened from now on. */
    public String arm(NetworkFault fault) {
        Objects.requireNonNull(fault, "fault");
        arming.set(new Arming(fault, new AtomicBoolean()));
        String notice = nextConnectionNotice("armed: " + fault.describe());
        record(EventType.FAULT_ARMED, notice, Map.of("fault", fault.describe(), "open_connections", open.size()));
        return notice;
    }

    /** Disarms the armed fault, if any; connections already open keep theirs. */
    public String disarm() {
        Arming was = arming.getAndSet(null);
        if (was == null) {
            return "no network fault was armed";
        }
        String notice = nextConnectionNotice("disarmed: " + was.fault().describe());
        record(EventType.FAULT_DISARMED, notice, Map.of("fault", was.fault().describe(),
                "open_connections", open.size()));
        return notice;
    }

    public Optional<NetworkFault> fault() {
        Arming a = arming.get();
        return a == null ? Optional.empty() : Optional.of(a.fault());
    }

    /** Whether the armed ONCE fault has struck already. */
    public boolean faultSpent() {
        Arming a = arming.get();
        return a != null && a.spent().get();
    }

    /**
     * Caps the download rate of each connection at {@code bytesPerSecond} (e.g. {@link #ESP32_LIKE_RATE}, so a
     * demo's progress bar moves at a real board's pace); 0 turns the cap off. A setting, not an attack.
     */
    public String throttle(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("throttle: bytes per second must be 0 (off) or more, got "
                    + bytesPerSecond);
        }
        throttle.set(bytesPerSecond);
        String notice = nextConnectionNotice(bytesPerSecond == 0 ? "throttle off"
                : "throttle at " + bytesPerSecond + " bytes/s");
        record(EventType.THROTTLE_CHANGED, notice, Map.of("bytes_per_second", bytesPerSecond));
        return notice;
    }

    /**
     * Records the connections opened from now on, byte for byte as the device saw them, into
     * {@code recorder} (null: stop recording new ones). The capture of a session (pcapng export).
     */
    public void capture(CaptureRecorder recorder) {
        capture = recorder;
    }

    /** The throttle in bytes per second, 0 when off. */
    public long throttle() {
        return throttle.get();
    }

    public int openConnections() {
        return open.size();
    }

    /** The id of the last connection accepted (0 before the first). */
    public long lastConnectionId() {
        return ids.get();
    }

    /** Whether a connection with an id up to {@code id} is still open (or not yet journaled as closed). */
    public boolean anyOpenUpTo(long id) {
        return open.stream().anyMatch(c -> c.id <= id);
    }

    /** Connections closed at once because an address, or the addresses that are not devices, had their share. */
    public long refusedConnections() {
        return refused.get();
    }

    public EndpointLimits limits() {
        return limits;
    }

    /** The last connections that ended, oldest first (at most 256). */
    public List<ConnectionRecord> recentConnections() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    private String nextConnectionNotice(String what) {
        int n = open.size();
        return n == 0 ? what + "; takes effect on the next connection"
                : what + "; takes effect on the next connection (" + (n == 1
                ? "1 open connection keeps what it started with)" : n + " open connections keep what they started with)");
    }

    /**
     * The URL {@code deviceId} is provisioned with where devices have no loopback address of their own: a
     * port of this endpoint that only that device is given (its door), so the endpoint and the server still
     * tell the devices apart. Opened on first call, the same after; closed with the endpoint. Like a device's
     * 127.0.1.N on Linux, a door is not a secret: a local program that knocks on it is counted as that device.
     */
    public URI door(String deviceId) throws IOException {
        Objects.requireNonNull(deviceId, "deviceId");
        ServerSocket door;
        synchronized (doors) {
            door = doors.get(deviceId);
            if (door == null) {
                if (closed) {
                    throw new IOException("the device endpoint is closed");
                }
                door = new ServerSocket();
                door.bind(new InetSocketAddress(listener.getInetAddress(), 0), 64);
                doors.put(deviceId, door);
                ServerSocket opened = door;
                threads.execute(() -> acceptLoop(opened, deviceId));
                record(EventType.ENDPOINT_STARTED, "device endpoint door " + hostOf(door) + ":" + door.getLocalPort()
                        + " for " + deviceId + " (this system routes only 127.0.0.1)", Map.of("address", hostOf(door) + ":"
                        + door.getLocalPort(), "upstream", labServer.name(), "upstream_address", labServer.hostPort(),
                        "device", deviceId));
            }
        }
        return uri(door);
    }

    private static String hostOf(ServerSocket s) {
        InetAddress a = s.getInetAddress();
        return a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
    }

    private static URI uri(ServerSocket s) {
        String host = hostOf(s);
        return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + s.getLocalPort());
    }

    /** Accepts on {@code on}: the main listener ({@code doorOf} null) or {@code doorOf}'s door. */
    private void acceptLoop(ServerSocket on, String doorOf) {
        while (!closed) {
            Socket device;
            try {
                device = on.accept();
            } catch (IOException e) {
                if (doorOf != null) {
                    return;
                }
                if (!closed) {
                    record(EventType.ENDPOINT_STOPPED, "device endpoint stopped accepting: " + e.getMessage(),
                            Map.of("address", hostPort()));
                }
                return;
            }
            InetAddress from = device.getInetAddress();
            String deviceId = doorOf != null ? doorOf : addresses.deviceAt(from).orElse(null);
            if (!admit(from, deviceId)) {
                reset(device);
                continue;
            }
            Connection c = new Connection(ids.incrementAndGet(), device, deviceId, upstream.get(), arming.get(),
                    throttle.get());
            open.add(c);
            try {
                threads.execute(c::run);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                c.stop();
                c.release();
            }
        }
    }

    /**
     * Counts a new connection from {@code from} against the caps, or journals why it is refused. A lab
     * device's address counts only against its per-address cap; where devices have no addresses of their
     * own (127.0.0.1 only), that address counts against the cap for others instead, since the endpoint
     * cannot tell a device from another program there.
     */
    private boolean admit(InetAddress from, String deviceId) {
        AtomicInteger n = perAddress.computeIfAbsent(capKey(from, deviceId), a -> new AtomicInteger());
        // Devices behind their doors are counted apart: 127.0.0.1 is then only other programs' address.
        boolean sharedLoopback = !addresses.routed() && from.isLoopbackAddress() && deviceId == null && doors.isEmpty();
        if (!sharedLoopback && n.incrementAndGet() > limits.maxPerAddress()) {
            n.decrementAndGet();
            refuse(from, "it already holds " + limits.maxPerAddress() + " connections", limits.maxPerAddress());
            return false;
        }
        if (sharedLoopback) {
            n.incrementAndGet();
        }
        if (deviceId == null && others.incrementAndGet() > limits.maxOthers()) {
            others.decrementAndGet();
            n.decrementAndGet();
            refuse(from, limits.maxOthers() + " connections from addresses that are not the lab's devices are open",
                    limits.maxOthers());
            return false;
        }
        return true;
    }

    /** What a connection counts under: its device, or its address. */
    private static Object capKey(InetAddress from, String deviceId) {
        return deviceId != null ? "device " + deviceId : from;
    }

    private void release(InetAddress from, String deviceId) {
        perAddress.computeIfPresent(capKey(from, deviceId), (a, c) -> c.decrementAndGet() <= 0 ? null : c);
        if (deviceId == null) {
            others.decrementAndGet();
        }
    }

    private void refuse(InetAddress from, String why, int limit) {
        refused.incrementAndGet();
        long now = System.nanoTime();
        Long last = refusalJournaled.get(from);
        if (last != null && now - last < REFUSAL_JOURNAL_EVERY_NS) {
            return;
        }
        if (refusalJournaled.size() > 10_000) {
            refusalJournaled.clear(); // bounded memory; at worst one more journal line per address
        }
        refusalJournaled.put(from, now);
        record(EventType.CONNECTION_REFUSED, null, "closed a connection from " + from.getHostAddress() + " at once: "
                + why + " (further refusals from it are journaled every 10 s at most; " + refused.get()
                + " refused so far)", Map.of("remote", from.getHostAddress(), "reason", why, "limit", limit,
                "refused_total", refused.get()));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (doors) {
            for (ServerSocket door : doors.values()) {
                try {
                    door.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        for (Connection c : List.copyOf(open)) {
            c.stop();
        }
        threads.shutdownNow();
        record(EventType.ENDPOINT_STOPPED, "device endpoint " + hostPort() + " stopped", Map.of("address", hostPort()));
    }

    private void record(EventType type, String message, Map<String, ?> fields) {
        record(type, null, message, fields);
    }

    private void record(EventType type, String deviceId, String message, Map<String, ?> fields) {
        // tryAppend: connections may end after the session closed its journal; their last words are dropped.
        journal.tryAppend(type, deviceId, message, fields);
    }

    /** One device connection and its upstream twin. */
    private final class Connection {
        final long id;
        final Socket device;
        final InetAddress from;
        /** The lab device this connection comes from (by its address), or null. */
        final String deviceId;
        final Upstream to;
        final Arming arming;
        final long throttleRate;
        final long cutAt;
        final Instant opened = Instant.now();
        final long startNanos = System.nanoTime();
        final CaptureRecorder cap = capture;
        /** The attacker's own leg (endpoint to a look-alike server, or a stream a fault acts on), recorded apart. */
        final boolean attackLeg;
        final TlsRecordScanner down = new TlsRecordScanner();
        final TlsRecordScanner up = new TlsRecordScanner();
        final AtomicLong bytesUp = new AtomicLong();
        final AtomicLong bytesDown = new AtomicLong();
        final AtomicReference<ConnectionEnd> end = new AtomicReference<>();
        final AtomicInteger halvesDone = new AtomicInteger();
        volatile Socket server;
        /** This connection's upstream socket as recorded in the peers, forgotten before it closes. */
        volatile InetSocketAddress registered;
        volatile boolean deviceLeft;
        boolean tamperedHere;

        Connection(long id, Socket device, String deviceId, Upstream to, Arming arming, long throttleRate) {
            this.id = id;
            this.device = device;
            this.from = device.getInetAddress();
            this.deviceId = deviceId;
            this.to = to;
            this.arming = arming;
            this.throttleRate = throttleRate;
            this.attackLeg = cap != null && (arming != null || to != labServer);
            this.cutAt = arming != null && arming.fault() instanceof NetworkFault.Cut c
                    ? (c.random() ? 1 + random.nextLong(c.afterBytes()) : c.afterBytes()) : -1;
        }

        String faultText() {
            return arming == null ? null : arming.fault().describe();
        }

        void run() {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("connection", id);
            f.put("from", device.getInetAddress().getHostAddress() + ":" + device.getPort());
            if (deviceId != null) {
                f.put("device", deviceId);
            }
            f.put("upstream", to.name());
            f.put("upstream_address", to.hostPort());
            if (arming != null) {
                f.put("fault", faultText());
            }
            if (throttleRate > 0) {
                f.put("throttle_bytes_per_second", throttleRate);
            }
            record(EventType.CONNECTION_OPENED, deviceId, "connection " + id + (deviceId == null ? "" : " from " + deviceId)
                    + " to " + to.name(), f);
            if (cap != null) {
                cap.opened(id, device.getInetAddress().getHostAddress(), device.getPort(), port(), to);
            }
            try {
                Socket s = new Socket();
                s.setTcpNoDelay(true);
                boolean loopback = from.isLoopbackAddress() && to.address().getAddress() != null
                        && to.address().getAddress().isLoopbackAddress();
                if (addresses.routed() && loopback) {
                    // The server sees the connecting address (a device's own 127.0.1.N), as it would on a real
                    // network, so its per-address limits and journal tell devices and other programs apart.
                    s.bind(new InetSocketAddress(from, 0));
                } else if (peers != null && deviceId != null && loopback) {
                    s.bind(new InetSocketAddress(to.address().getAddress(), 0));
                }
                if (peers != null && deviceId != null && s.isBound()) {
                    // Bound first, recorded, then connected: the server counts it as the device's from its first byte.
                    registered = (InetSocketAddress) s.getLocalSocketAddress();
                    peers.register(registered, deviceId);
                }
                s.connect(to.address(), CONNECT_TIMEOUT_MS);
                server = s;
                if (attackLeg) {
                    cap.openedLeg(legId(), s.getLocalAddress().getHostAddress(), s.getLocalPort(), to);
                }
                device.setTcpNoDelay(true);
            } catch (IOException e) {
                forgetPeer();
                end.compareAndSet(null, ConnectionEnd.UPSTREAM_UNREACHABLE);
                if (cap != null) {
                    cap.reset(id);
                }
                reset(device);
                finish("cannot reach " + to.hostPort() + ": " + e.getMessage());
                return;
            }
            threads.execute(this::pumpUp);
            pumpDown();
        }

        /** Device to server: copied as is; the record scanner only counts (a device's alert shows up here). */
        void pumpUp() {
            byte[] buf = new byte[FIRST_BUFFER];
            try (InputStream in = device.getInputStream()) {
                OutputStream out = server.getOutputStream();
                int n;
                // Until its first byte, a connection must beat the idle deadline; after it, a device may
                // rightly stay silent for a whole download.
                device.setSoTimeout((int) Math.min(Integer.MAX_VALUE, limits.idleDeadline().toMillis()));
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException silent) {
                    end.compareAndSet(null, ConnectionEnd.IDLE);
                    resetBoth();
                    finish("sent nothing within " + limits.idleDeadline().toMillis() + " ms");
                    return;
                }
                device.setSoTimeout(0);
                for (; n >= 0; n = in.read(buf)) {
                    up.scan(buf, 0, n, null);
                    if (cap != null) {
                        cap.data(id, true, buf, 0, n);
                        if (attackLeg) {
                            cap.data(legId(), true, buf, 0, n);
                        }
                    }
                    out.write(buf, 0, n);
                    bytesUp.addAndGet(n);
                    if (buf.length < BUFFER) {
                        buf = new byte[BUFFER];
                    }
                }
                if (cap != null) {
                    cap.fin(id, true);
                    if (attackLeg) {
                        cap.fin(legId(), true);
                    }
                }
                deviceLeft = true;
                server.shutdownOutput();
                halfDone();
            } catch (IOException e) {
                deviceLeft = true;
                failed();
            }
        }

        /** Server to device: where the faults and the throttle act. */
        void pumpDown() {
            byte[] buf = new byte[FIRST_BUFFER];
            NetworkFault fault = arming == null ? null : arming.fault();
            Pacer throttlePacer = throttleRate > 0 ? new Pacer(throttleRate) : null;
            Pacer tricklePacer = null;
            try {
                InputStream in = server.getInputStream();
                OutputStream out = device.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (attackLeg) {
                        cap.data(legId(), false, buf, 0, n);  // as the upstream sent it, before any fault
                    }
                    if (buf.length < BUFFER) {
                        // From the second read on: the first one was small, so an idle connection stays cheap.
                        byte[] full = new byte[BUFFER];
                        System.arraycopy(buf, 0, full, 0, n);
                        buf = full;
                    }
                    long at = bytesDown.get();
                    if (fault instanceof NetworkFault.TamperRecord t) {
                        long flipped = down.scan(buf, 0, n, (type, start) -> !tamperedHere
                                && type == TlsRecordScanner.APPLICATION_DATA && start >= t.atByte()
                                && (tamperedHere = arming.strike(t.repeat())));
                        if (flipped >= 0) {
                            record(EventType.FAULT_STRUCK, "connection " + id + ": flipped the first byte of a TLS"
                                    + " application-data record at byte " + flipped, Map.of("connection", id,
                                    "fault", faultText(), "offset", flipped));
                        }
                    } else {
                        down.scan(buf, 0, n, null);
                    }
                    if (fault instanceof NetworkFault.Cut c && at + n >= cutAt && arming.strike(c.repeat())) {
                        int keep = (int) (cutAt - at);
                        toDevice(out, buf, 0, keep);
                        bytesDown.addAndGet(keep);
                        out.flush();
                        end.compareAndSet(null, ConnectionEnd.CUT);
                        record(EventType.FAULT_STRUCK, "connection " + id + ": cut after " + cutAt + " bytes",
                                Map.of("connection", id, "fault", faultText(), "offset", cutAt));
                        resetBoth();
                        finish(null);
                        return;
                    }
                    if (fault instanceof NetworkFault.Trickle t && at + n > t.afterBytes()) {
                        int fast = (int) Math.max(0, t.afterBytes() - at);
                        toDevice(out, buf, 0, fast);
                        bytesDown.addAndGet(fast);
                        out.flush();
                        if (tricklePacer == null) {
                            record(EventType.FAULT_STRUCK, "connection " + id + ": trickling from byte "
                                    + t.afterBytes(), Map.of("connection", id, "fault", faultText(),
                                    "offset", t.afterBytes()));
                            tricklePacer = t.bytesPerSecond() > 0 ? new Pacer(t.bytesPerSecond()) : null;
                        }
                        trickle(out, buf, fast, n - fast, t.bytesPerSecond(), tricklePacer);
                        continue;
                    }
                    if (throttlePacer != null) {
                        throttlePacer.pace(n);
                    }
                    toDevice(out, buf, 0, n);
                    bytesDown.addAndGet(n);
                }
                if (fault instanceof NetworkFault.ExtraBytes x) {
                    sendExtra(out, x.count());
                }
                // Recorded before it happens, as the data is: the device's own close may follow at once.
                if (cap != null) {
                    cap.fin(id, false);
                    if (attackLeg) {
                        cap.fin(legId(), false);
                    }
                }
                device.shutdownOutput();
                halfDone();
            } catch (IOException e) {
                failed();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                end.compareAndSet(null, ConnectionEnd.STOPPED);
                resetBoth();
                finish(null);
            }
        }

        /** Writes {@code len} bytes a few at a time at {@code rate}; rate 0 holds them until the device gives up. */
        void trickle(OutputStream out, byte[] buf, int from, int len, int rate, Pacer pacer)
                throws IOException, InterruptedException {
            if (rate == 0) {
                // Holding the bytes: the device sees a live but silent connection, until it gives up.
                while (!deviceLeft && end.get() == null && !closed) {
                    Thread.sleep(100);
                }
                throw new SocketException("the device gave up on the stalled connection");
            }
            int slice = Math.max(1, rate / 4);
            for (int i = from; i < from + len; i += slice) {
                int k = Math.min(slice, from + len - i);
                pacer.pace(k);
                toDevice(out, buf, i, k);
                out.flush();
                bytesDown.addAndGet(k);
            }
        }

        void sendExtra(OutputStream out, long count) throws IOException {
            byte[] junk = new byte[BUFFER];
            random.nextBytes(junk);
            record(EventType.FAULT_STRUCK, "connection " + id + ": appending " + count + " bytes after the server's"
                    + " last byte", Map.of("connection", id, "fault", faultText(), "offset", bytesDown.get()));
            for (long left = count; left > 0; ) {
                int k = (int) Math.min(junk.length, left);
                toDevice(out, junk, 0, k);
                bytesDown.addAndGet(k);
                left -= k;
            }
        }

        /** The recording id of the attacker's leg of this connection. */
        long legId() {
            return id | CaptureRecorder.ATTACK_LEG;
        }

        /**
         * Bytes to the device, recorded as it receives them (after any fault acted on them). Recorded before
         * the write, as the other direction is: once written the device may answer at once, and on a resumed
         * TLS session its answer (Finished, then the request) comes within a millisecond; recorded after, that
         * answer could land in the capture before the server's records it answers, and Wireshark would then
         * not decrypt the connection.
         */
        void toDevice(OutputStream out, byte[] b, int off, int len) throws IOException {
            if (cap != null) {
                cap.data(id, false, b, off, len);
            }
            out.write(b, off, len);
        }

        void halfDone() {
            if (halvesDone.incrementAndGet() == 2) {
                end.compareAndSet(null, ConnectionEnd.CLOSED);
                closeQuietly(device);
                forgetPeer();
                closeQuietly(server);
                finish(null);
            }
        }

        void failed() {
            end.compareAndSet(null, closed ? ConnectionEnd.STOPPED : ConnectionEnd.RESET);
            resetBoth();
            finish(null);
        }

        void stop() {
            end.compareAndSet(null, ConnectionEnd.STOPPED);
            resetBoth();
        }

        private final AtomicBoolean released = new AtomicBoolean();

        /** Gives its place under the caps back, once. */
        void release() {
            if (released.compareAndSet(false, true)) {
                DeviceEndpoint.this.release(from, deviceId);
            }
        }

        void resetBoth() {
            if (cap != null && !finished.get()) {
                cap.reset(id);
                if (attackLeg && server != null) {
                    cap.reset(legId());
                }
            }
            reset(device);
            forgetPeer();
            Socket s = server;
            if (s != null) {
                reset(s);
            }
        }

        private final AtomicBoolean finished = new AtomicBoolean();

        void forgetPeer() {
            if (peers != null) {
                peers.forget(registered);
            }
        }

        void finish(String why) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            release();
            Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
            ConnectionRecord r = new ConnectionRecord(id, to.name(), opened, duration, bytesUp.get(), bytesDown.get(),
                    down.records(), up.alerts(), end.get(), faultText(), down.tampered());
            synchronized (recent) {
                recent.addLast(r);
                while (recent.size() > KEEP_RECENT) {
                    recent.removeFirst();
                }
            }
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("connection", id);
            if (deviceId != null) {
                f.put("device", deviceId);
            }
            f.put("upstream", to.name());
            f.put("end", r.end().wireName());
            f.put("bytes_up", r.bytesUp());
            f.put("bytes_down", r.bytesDown());
            f.put("tls_records_down", r.recordsDown());
            f.put("tls_alerts_up", r.alertsUp());
            f.put("duration_ms", duration.toMillis());
            if (r.fault() != null) {
                f.put("fault", r.fault());
            }
            if (r.tamperedAt() >= 0) {
                f.put("tampered_at", r.tamperedAt());
            }
            Socket s = server;
            if (s != null && s.getLocalPort() > 0) {
                // The server journals this as the request's remote_port: it ties the connection to the device
                // whose API key came through it.
                f.put("upstream_port", s.getLocalPort());
            }
            record(EventType.CONNECTION_CLOSED, deviceId, "connection " + id + " " + r.end().wireName() + " after "
                    + r.bytesDown() + " bytes down, " + r.bytesUp() + " up" + (why == null ? "" : " (" + why + ")"), f);
            // Only now: whoever waits for the endpoint to be quiet then finds this connection journaled.
            open.remove(this);
        }
    }

    private static void reset(Socket s) {
        try {
            if (!s.isClosed()) {
                s.setSoLinger(true, 0);  // RST, as a cut cable or a hostile middlebox shows it
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    /** For tests and the console: the connections open right now, by id. */
    List<Long> openIds() {
        List<Long> ids = new ArrayList<>();
        open.forEach(c -> ids.add(c.id));
        return ids;
    }
}
