package org.secureota.workbench.session;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.secureota.workbench.device.BuiltImages;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.JournalSubscription;
import org.secureota.workbench.journal.SessionLog;
import org.secureota.workbench.foundation.AtomicFiles;
import org.secureota.workbench.foundation.DeviceId;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.foundation.OrderedExecutor;
import org.secureota.workbench.network.LabTimeServer;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PkiFile;
import org.secureota.workbench.pki.ProductKeys;
import org.secureota.workbench.attack.AttackTarget;
import org.secureota.workbench.attack.Attacker;
import org.secureota.workbench.network.CaptureExport;
import org.secureota.workbench.network.CaptureRecorder;
import org.secureota.workbench.attack.Judgement;
import org.secureota.workbench.firmware.AppImage;
import org.secureota.workbench.network.DeviceAddresses;
import org.secureota.workbench.network.DeviceEndpoint;
import org.secureota.workbench.network.EndpointLimits;
import org.secureota.workbench.network.EndpointPeers;
import org.secureota.workbench.network.Upstream;
import org.secureota.workbench.server.ServerLimits;
import org.secureota.workbench.server.OtaServer;
import org.secureota.workbench.server.ServerIdentity;
import org.secureota.workbench.server.ServerState;
import org.secureota.workbench.server.TlsProvider;

/**
 * The one owner of a lab session: for one {@code sessions/<start>/} folder it owns the journal, the
 * PKI (created on first use), the OTA server, the lab time source and every device, virtual boards
 * with their links and real boards attached by port name. Opening starts them; {@link #close()}
 * stops them all, journals {@code session.closed} and closes the journal last. The CLI, the tests,
 * the scenario runner and the GUI all drive the lab through this class.
 *
 * <h2>Threading contract</h2>
 * <ul>
 *   <li>Listeners ({@link #addListener}, and {@link org.secureota.workbench.device.Device} listeners) are
 *       never called under a lock, and never on a serial reader thread or a board's stdout thread: the
 *       session's listeners run on its one event thread, in the order of the changes; device listeners
 *       on an ordered listener thread. A listener that blocks delays only later notifications; one that
 *       throws is journaled ({@code session.listener_error}) and the next one runs.</li>
 *   <li>Opening, starting, stopping, powering, checking, publishing and deploying return at once, as
 *       a {@link CompletableFuture} completed on the session's worker threads, so a GUI thread never
 *       waits. {@link #openAndWait} and {@link #close()} are the blocking forms, for the CLI and tests.</li>
 *   <li>No lock is held across I/O or a process start. The session's own lock only swaps the
 *       immutable {@link SessionSnapshot}.</li>
 * </ul>
 * {@code LabSessionThreadingTest} proves each rule.
 */
public final class LabSession implements AutoCloseable {

    static final Duration MANIFEST_VALIDITY = Duration.ofDays(30);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

    /** A listener of the whole session; see the threading contract. */
    @FunctionalInterface
    public interface SessionListener {
        void changed(SessionSnapshot before, SessionSnapshot after);
    }

    private final SessionSetup options;
    private final ExecutorService work = Executors.newCachedThreadPool(OrderedExecutor.daemon("session-work"));
    private final ExecutorService events = Executors.newSingleThreadExecutor(OrderedExecutor.daemon("session-events"));
    /**
     * Re-reads the deployments file once a second: {@code ./workbench server deploy} in another terminal
     * changes it on disk, and the snapshot (the window's Deployments list) must follow any source.
     */
    private final java.util.concurrent.ScheduledExecutorService deploymentWatch =
            Executors.newSingleThreadScheduledExecutor(OrderedExecutor.daemon("session-deployments"));
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, LabDevice> devices = new LinkedHashMap<>();
    private final Object lock = new Object();
    private final Map<String, SerialTranscript> transcripts = new java.util.concurrent.ConcurrentHashMap<>();
    private SessionSnapshot current = new SessionSnapshot(SessionState.OPENING, ServerSnapshot.stopped(), Map.of(),
            Map.of());
    private SessionLog log;
    private Journal journal;
    private LabPki pki;
    private ServerState serverState;
    private LabTimeServer time;
    private volatile OtaServer server;
    private DeviceEndpoint endpoint;
    /** The endpoint's upstream sockets and the devices they carry: the server counts those connections per device. */
    private final EndpointPeers peers = new EndpointPeers();
    private CaptureRecorder capture;
    private DeviceAddresses addresses;
    private Attacker attacker;
    private JournalSubscription watcher;
    /** Marks the session as running and lists its ports, for a second program's {@code device monitor}. */
    private LinkOwners links;
    private boolean closing;

    private LabSession(SessionSetup options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Opens a session asynchronously: the PKI (created if the lab has none), the journal in a new
     * {@code sessions/<start>/}, the time source and the OTA server; then publishes the build's
     * releases when asked. The future fails with a {@link LabSessionException} saying what failed;
     * whatever had started is stopped again.
     */
    public static CompletableFuture<LabSession> open(SessionSetup options) {
        LabSession session = new LabSession(options);
        return CompletableFuture.supplyAsync(() -> {
            try {
                session.openNow();
                return session;
            } catch (RuntimeException e) {
                session.close();
                session.discardFolder();
                throw e instanceof LabSessionException l ? l
                        : new LabSessionException("The lab session could not open: " + e.getMessage(), e);
            }
        }, session.work);
    }

    /** {@link #open}, waiting for it: for the CLI and tests. */
    public static LabSession openAndWait(SessionSetup options) throws LabSessionException {
        try {
            return open(options).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LabSessionException l ? l
                    : new LabSessionException("The lab session could not open: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabSessionException("Interrupted while opening the lab session", e);
        }
    }

    private void openNow() {
        LabFolder lab = options.lab();
        pki = new LabPki(lab.certs());
        if (!pki.initialized()) {
            try {
                pki.init(false, HostIdentity.ofThisMachine(), options.clock());
            } catch (IOException | RuntimeException e) {
                throw new LabSessionException("Cannot create the lab PKI in " + pki.directory() + ": " + e.getMessage()
                        + ". Check that the lab folder is writable, or run './workbench pki init'.", e);
            }
        }
        serverState = ServerState.of(lab);
        log = SessionLog.create(lab.sessions(), options.clock().instant());
        journal = new Journal(options.clock(), log, options.journalWindow());
        try {
            links = LinkOwners.claim(log.directory());
        } catch (IOException e) {
            fail("session lock", e);
        }
        journal.budget(journalBudget());
        watcher = journal.subscribe("lab session", false, this::watch);
        addresses = DeviceAddresses.detect();
        journal.append(EventType.SESSION_ADDRESSES, null, addresses.routed()
                ? "each virtual device gets its own loopback address (127.0.1.1, 127.0.1.2, ...)"
                : "this system routes only 127.0.0.1 (no loopback aliases such as 127.0.1.1): every virtual device"
                  + " connects from 127.0.0.1, to a port of the endpoint of its own, and the server counts the"
                  + " connections the endpoint forwards per device", Map.of("per_device", addresses.routed(),
                "note", addresses.routed() ? "127.0.1.N per device" : "127.0.0.1 shared, one endpoint port per device"));
        try {
            time = LabTimeServer.start(journal, addresses);
        } catch (IOException e) {
            fail("time source", e);
        }
        update(s -> s.withServer(x -> x.withStatus(ServerStatus.STARTING, null)));
        try {
            server = OtaServer.builder(serverState, journal).identity(ServerIdentity.labServer(pki))
                    .bind(options.bind()).port(options.serverPort()).clock(options.clock())
                    .limits(limitsFor(options.serverLimits(), addresses)).publicDownloads(options.publicDownloads())
                    .peers(peers::deviceAt)
                    .signingKey(pki.signingKey()).start();
        } catch (IOException | RuntimeException e) {
            update(s -> s.withServer(x -> x.withStatus(ServerStatus.FAILED, e.getMessage())));
            fail("OTA server", e);
        }
        try {
            endpoint = DeviceEndpoint.start(journal, new InetSocketAddress(options.bind(), 0),
                    new Upstream("lab server", upstreamOf(server)), addresses, EndpointLimits.defaults(), peers);
        } catch (IOException e) {
            fail("device endpoint", e);
        }
        if (options.capture()) {
            try {
                capture = CaptureRecorder.create(log.directory().resolve(CaptureRecorder.FILE));
                endpoint.capture(capture);
            } catch (IOException e) {
                fail("capture", e);
            }
        }
        attacker = new Attacker(new AttackTarget(journal, pki, serverState, endpoint, time,
                LabSessionDefaults.PRODUCT, log.directory()), this::onEventThread);
        serverState.deployments().addListener(d -> refreshServer());
        deploymentWatch.scheduleWithFixedDelay(this::followDeploymentsOnDisk, 1, 1, TimeUnit.SECONDS);
        update(s -> s.withServer(x -> runningServer()));
        if (options.publishBuiltReleases()) {
            publishBuilt();
        }
        Map<String, Object> opened = new LinkedHashMap<>(Map.of(
                "folder", log.directory().toString(), "device_url", deviceUrl(),
                "server_url", server.baseUri().toString(), "time_source", time.hostPort()));
        if (capture != null) {
            opened.put("capture", CaptureRecorder.FILE);  // the report links its pcapng export
        }
        journal.append(EventType.SESSION_OPENED, null, "lab session open in " + log.directory(), opened);
        update(s -> s.withState(SessionState.OPEN));
    }

    /**
     * A session that never opened leaves no folder: it recorded nothing but its failure, which the
     * caller reports, and an empty session would be what {@code export} takes for the latest one.
     */
    private void discardFolder() {
        if (log == null) {
            return;
        }
        try (var files = Files.walk(log.directory())) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException leftBehind) {
            // Not worth hiding the real failure for: the folder stays, holding the journaled failure.
        }
    }

    /** The most devices a session holds; the CLI's {@code --devices} allows as many. */
    public static final int MAX_DEVICES = 40;

    /**
     * Where every device shares 127.0.0.1, the connection limits stay as they are: the server counts the
     * connections the endpoint forwards per device ({@link EndpointPeers}), and 127.0.0.1's own share is then
     * only for other programs. Downloads per address are raised to what {@value #MAX_DEVICES} devices need:
     * only a valid key takes a download slot, and each device has its own cap too. Key failures stay limited
     * per (address, device id), and a valid key always passes.
     */
    static ServerLimits limitsFor(ServerLimits limits, DeviceAddresses addresses) {
        if (addresses.routed()) {
            return limits;
        }
        return limits.withDownloads(Math.max(limits.maxDownloadsPerAddress(), Math.min(limits.maxConcurrentDownloads(),
                MAX_DEVICES)), limits.maxDownloadsPerDevice(), limits.downloadStallTimeout());
    }

    /** The endpoint's upstream connections and the devices they carry (what the server counts them under). */
    public EndpointPeers peers() {
        return peers;
    }

    /** The journal's disk budget: {@code WORKBENCH_JOURNAL_BUDGET} (bytes, or with K, M or G), else 1 GiB. */
    static long journalBudget() {
        String v = System.getenv("WORKBENCH_JOURNAL_BUDGET");
        if (v == null || v.isBlank()) {
            v = System.getProperty("workbench.journalBudget");
        }
        if (v == null || v.isBlank()) {
            return Journal.DEFAULT_BUDGET;
        }
        return parseBytes(v.trim());
    }

    static long parseBytes(String v) {
        java.util.regex.Matcher m = Pattern.compile("([0-9]{1,15})\\s*([KkMmGg]?)(i?B)?").matcher(v);
        if (!m.matches() || Long.parseLong(m.group(1)) < 1) {
            throw new LabSessionException("WORKBENCH_JOURNAL_BUDGET '" + v + "' is not a size: use bytes, or a number"
                    + " with K, M or G (e.g. 500M or 2G).");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toUpperCase(java.util.Locale.ROOT)) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            case "G" -> n << 30;
            default -> n;
        };
    }

    private void fail(String part, Exception e) {
        journal.tryAppend(EventType.SESSION_FAILED, null, part + " failed: " + e.getMessage(),
                Map.of("part", part, "error", String.valueOf(e.getMessage())));
        throw new LabSessionException("The lab session could not start its " + part + ": " + e.getMessage(), e);
    }

    /**
     * Publishes the build's V2, V3 and V4 for {@code product} (those not yet published), as the session
     * does for the default product when it opens: {@code lab --product kiosk} gets kiosk releases.
     */
    public CompletableFuture<Void> publishBuiltReleases(String product) {
        return async(() -> {
            publishBuilt(product);
            return null;
        });
    }

    private void publishBuilt() {
        publishBuilt(LabSessionDefaults.PRODUCT);
        // mix-and-match needs a second product's genuine release: the build's V2, stamped as that product.
        Path v2 = options.projectRoot().resolve(VirtualEsp32.IMAGES).resolve(BuiltImages.published().get(0) + ".bin");
        try {
            publishBuiltImage(v2, LabSessionDefaults.OTHER_PRODUCT);
        } catch (IOException | RuntimeException e) {
            journal.tryAppend(EventType.SESSION_FAILED, null, "the second product's release (for mix-and-match) could"
                    + " not be published: " + e.getMessage(), Map.of("part", "second product", "error",
                    String.valueOf(e.getMessage())));
        }
    }

    private void publishBuilt(String product) {
        for (String name : BuiltImages.published()) {
            Path image = options.projectRoot().resolve(VirtualEsp32.IMAGES).resolve(name + ".bin");
            try {
                publishBuiltImage(image, product);
            } catch (IOException e) {
                throw new LabSessionException("Cannot read the built image " + image + ": " + e.getMessage()
                        + ". Rebuild it with 'mvn -DskipTests package'.", e);
            }
        }
    }

    /**
     * Publishes one of the build's images for {@code product} unless that version is already there (a lab
     * keeps its releases across sessions). The build stamps its images as the default product; another
     * product gets the same program with its own project name, so the device's product check holds.
     */
    private void publishBuiltImage(Path image, String product) throws IOException {
        if (!Files.isRegularFile(image)) {
            return; // not built: the demo says how to build; the server runs without it
        }
        byte[] bytes = Files.readAllBytes(image);
        String version = AppImage.parse(bytes).descriptor().map(d -> d.version()).orElse(null);
        if (version == null || serverState.releases().find(product, version).isPresent()) {
            return;
        }
        if (product.equals(LabSessionDefaults.PRODUCT)) {
            publishNow(image, product, false);
            return;
        }
        Path renamed = Files.createTempFile("workbench-" + product, ".bin");
        try {
            Files.write(renamed, AppImage.withProjectName(bytes, product));
            publishNow(renamed, product, false);
        } finally {
            Files.deleteIfExists(renamed);
        }
    }

    private Release publishNow(Path image, String product, boolean encrypt) {
        PublicKey encryptFor = null;
        if (encrypt) {
            ProductKeys keys = new ProductKeys(pki.directory());
            try {
                if (!keys.exists(product)) {
                    keys.create(product, ProductKeys.KeyType.P256, false);
                }
                encryptFor = keys.publicKey(product);
            } catch (IOException e) {
                throw new LabSessionException("Cannot create or read the decryption key of " + product + " in "
                        + keys.directory(product) + ": " + e.getMessage() + ". Check that the lab's certs folder is"
                        + " writable, or run './workbench pki init --product " + product + "'.", e);
            }
        }
        Release r = serverState.releases().publish(image, product, pki.signingKey(), MANIFEST_VALIDITY,
                options.clock(), false, encryptFor);
        journal.append(EventType.SERVER_RELEASE, null, "published " + product + " " + r.version()
                + (r.encrypted() ? " encrypted" : "") + " (counter " + r.counter() + ")", Map.of("product", product,
                "version", r.version(), "counter", r.counter(), "encrypted", r.encrypted()));
        refreshServer();
        return r;
    }

    private ServerSnapshot runningServer() {
        OtaServer s = server;
        X509Certificate cert = pki.certificate(PkiFile.SERVER_CERT);
        return new ServerSnapshot(ServerStatus.RUNNING, ServerRole.LAB, s.baseUri(), TlsProvider.get().name(),
                sha256(cert), cert.getNotAfter().toInstant(), serverState.releases().list(),
                serverState.deployments().snapshot(), current.server().lastTlsVersion(),
                current.server().lastCipherSuite(), null);
    }

    private void refreshServer() {
        List<Release> releases = serverState.releases().list();
        var deployments = serverState.deployments().snapshot();
        update(s -> s.withServer(x -> x.withReleases(releases, deployments)));
    }

    private void followDeploymentsOnDisk() {
        try {
            var onDisk = serverState.deployments().snapshot();
            if (!onDisk.equals(snapshot().server().deployments())) {
                refreshServer();
            }
        } catch (RuntimeException e) {
            // A half-written or hand-broken file: the server itself reports it on the next request.
        }
    }

    private static String sha256(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return null;
        }
    }

    /** Runs on the journal subscriber's thread: transcripts and the server's last TLS parameters. */
    private void watch(JournalEvent e) {
        if (EventType.SERIAL_RX.is(e) || EventType.SERIAL_TX.is(e)) {
            if (e.deviceId() != null) {
                transcript(e.deviceId()).write(e);
            }
        } else if (EventType.HTTP_REQUEST.is(e)) {
            String version = e.field("tls_protocol").orElse(null);
            String cipher = e.field("cipher_suite").orElse(null);
            ServerSnapshot s = snapshot().server();
            if (!Objects.equals(version, s.lastTlsVersion()) || !Objects.equals(cipher, s.lastCipherSuite())) {
                update(x -> x.withServer(v -> v.withTls(version, cipher)));
            }
        }
    }

    SerialTranscript transcript(String deviceId) {
        return transcripts.computeIfAbsent(deviceId, id -> new SerialTranscript(transcriptFile(id)));
    }

    /**
     * Where a device's transcript goes, {@code <session>/<id>/serial.log}. A board known only by its
     * port ({@code /dev/ttyUSB0}) gets a plain folder name ({@code dev_ttyUSB0}): an absolute path
     * must not send the transcript outside the session.
     */
    Path transcriptFile(String deviceId) {
        return folder().resolve(folderName(deviceId)).resolve("serial.log");
    }

    static String folderName(String deviceId) {
        if (DeviceId.isValid(deviceId)) {
            return deviceId;
        }
        String plain = deviceId.replaceAll("[^A-Za-z0-9._-]+", "_").replace("..", "_").replaceAll("^[._-]+", "");
        return plain.isEmpty() ? "device" : plain;
    }

    // --- the parts ---

    public LabFolder lab() {
        return options.lab();
    }

    public SessionSetup options() {
        return options;
    }

    /** The session folder, {@code sessions/<start>/}. */
    public Path folder() {
        return log.directory();
    }

    public Journal journal() {
        return journal;
    }

    public LabPki pki() {
        return pki;
    }

    /** Releases, API keys and deployments. */
    public ServerState serverState() {
        return serverState;
    }

    public LabTimeServer timeSource() {
        return time;
    }

    /** The lab's OTA server (its port and state for the attacker). */
    public OtaServer server() {
        return server;
    }

    /**
     * The URL devices are provisioned with: the device endpoint's, never the server's own port, so the
     * network path (and the attacker on it) stands between every device and the server.
     */
    public String deviceUrl() {
        return endpoint.url().toString();
    }

    /**
     * The URL virtual device {@code id} is provisioned with: {@link #deviceUrl()} where each device has its
     * own loopback address; where only 127.0.0.1 routes, a port of the endpoint that only this device is
     * given, so the endpoint still knows whose connection it forwards (and tells the server).
     */
    public String deviceUrl(String id) {
        if (addresses.routed()) {
            return deviceUrl();
        }
        try {
            return endpoint.door(id).toString();
        } catch (java.io.IOException e) {
            throw new LabSessionException("Cannot open a port of the device endpoint for " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where a virtual board of this session writes its TLS key log (NSS format), or null when the
     * session does not capture. In the device's folder of the session, never on the console.
     */
    public Path tlsKeyLog(String deviceId) {
        return options.capture() ? folder().resolve(deviceId).resolve(CaptureExport.KEY_LOG_FILE) : null;
    }

    /** The session's loopback network: which address each virtual device connects from. */
    public DeviceAddresses addresses() {
        return addresses;
    }

    /** The device-facing endpoint: what devices connect to, forwarding to the lab server. */
    public DeviceEndpoint endpoint() {
        return endpoint;
    }

    /** The attacker of this session: arms, undoes and judges the attacks of the catalogue. */
    public Attacker attacker() {
        return attacker;
    }

    /**
     * Tells {@code listener} of every {@link Judgement} the attacker publishes from now on: one per device
     * attempt (ended by its {@code ota.verdict}) made while an attack was armed, plus one per image theft
     * (device null). Called on the session's ordered event thread, in the order the judgements were made, after
     * each was journaled ({@code attacker.judged}); never under a lock. A listener that throws does not stop the
     * others. Closing the subscription removes the listener.
     */
    public Subscription onJudgement(Consumer<Judgement> listener) {
        AutoCloseable handle = attacker.onJudgement(listener);
        return () -> {
            try {
                handle.close();
            } catch (Exception e) {
                // removing a listener cannot fail
            }
        };
    }

    /** Runs {@code r} on the session's event thread, after the changes already queued; dropped once closed. */
    private void onEventThread(Runnable r) {
        try {
            if (!events.isShutdown()) {
                events.execute(r);
            }
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the session closed: nobody listens any more
        }
    }

    /** Where the endpoint reaches the server: loopback when the server listens on every address. */
    private static InetSocketAddress upstreamOf(OtaServer server) {
        String host = server.baseUri().getHost().replace("[", "").replace("]", "");
        return new InetSocketAddress(host, server.port());
    }

    // --- observable state ---

    public SessionSnapshot snapshot() {
        synchronized (lock) {
            return current;
        }
    }

    /** Told of every change of the session, its server, boards and devices, on the session's event thread. */
    public Subscription addListener(SessionListener l) {
        Objects.requireNonNull(l, "listener");
        listeners.add(l);
        return () -> listeners.remove(l);
    }

    /**
     * Waits until the session's snapshot satisfies {@code condition} (checked at once, then on every
     * change) and returns it. The snapshot follows the device models a moment later (their listeners
     * run on listener threads): wait on it, not on a model, when the session's view is what matters.
     *
     * @param what a description for the timeout message ("all ten boards on 2.0.0")
     */
    public SessionSnapshot await(java.util.function.Predicate<SessionSnapshot> condition, Duration timeout, String what)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!condition.test(current)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new java.util.concurrent.TimeoutException("lab session: no " + what + " within "
                            + timeout.toMillis() + " ms; last snapshot: " + current);
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return current;
        }
    }

    /** Applies {@code change} to the snapshot and, if it changed anything, tells the listeners. */
    void update(UnaryOperator<SessionSnapshot> change) {
        synchronized (lock) {
            SessionSnapshot before = current;
            SessionSnapshot after = change.apply(before);
            if (after.equals(before)) {
                return;
            }
            current = after;
            lock.notifyAll();
            // Enqueued under the lock, so listeners hear of changes in the order they happened.
            if (!events.isShutdown()) {
                events.execute(() -> notifyListeners(before, after));
            }
        }
    }

    /**
     * Like {@link #update}, for a device's own changes: applied only while the session holds that
     * device (or is still making it), so that the last words of a removed device do not bring it back.
     */
    void updateDevice(LabDevice owner, String id, UnaryOperator<SessionSnapshot> change) {
        synchronized (lock) {
            if (!devices.containsKey(id) || (devices.get(id) != null && devices.get(id) != owner)) {
                return;
            }
            update(change);
        }
    }

    private void notifyListeners(SessionSnapshot before, SessionSnapshot after) {
        for (SessionListener l : listeners) {
            try {
                l.changed(before, after);
            } catch (RuntimeException e) {
                Journal j = journal;
                if (j != null) {
                    j.tryAppend(EventType.SESSION_LISTENER_ERROR, null, "a session listener failed: " + e,
                            Map.of("listener", l.getClass().getName(), "error", String.valueOf(e)));
                }
            }
        }
    }

    // --- releases and deployments ---

    /** Publishes an image (its version from its app descriptor) for {@code product}, signed by the lab. */
    public CompletableFuture<Release> publish(Path image, String product) {
        return publish(image, product, false);
    }

    /**
     * Publishes a built image; with {@code encrypt}, the store receives only its ciphertext for the product's
     * decryption key, created (P-256) when the product has none. Devices created afterwards carry that key.
     */
    public CompletableFuture<Release> publish(Path image, String product, boolean encrypt) {
        return async(() -> publishNow(image, product, encrypt));
    }

    /** Deploys a published release to every device of {@code product}. */
    public CompletableFuture<Release> deploy(String product, String version) {
        return async(() -> server.deploy(product, version));
    }

    /** Deploys a published release to one device. */
    public CompletableFuture<Release> deployToDevice(String deviceId, String version) {
        return async(() -> server.deployToDevice(deviceId, version));
    }

    // --- devices ---

    /**
     * Makes a virtual device the way a factory would: provisions its API key on the server, writes
     * its factory data (lab CA, signing key, {@link #deviceUrl()}, id, key), flashes the start image
     * into a fresh 4 MB flash, and powers it on with its link open (unless told not to). Completes
     * once its board is up and its link open; {@link LabDevice#model()} then fills from telemetry.
     */
    public CompletableFuture<LabDevice> createVirtualDevice(String id, String product, VirtualDeviceOptions o) {
        Objects.requireNonNull(o, "options");
        requireId(id);
        reserve(id);
        return async(() -> {
            try {
                VirtualLabDevice d = VirtualLabDevice.create(this, id, product, o);
                register(id, d);
                return (LabDevice) d;
            } catch (RuntimeException e) {
                release(id);
                throw e;
            }
        });
    }

    /**
     * Runs a virtual board from a flash file as it is, provisioning nothing ({@code device virtual}).
     * A missing flash file is first written factory-fresh from {@code freshApp} (null: the build's V1)
     * and {@code freshFactoryData} (null: an unprovisioned board) in {@code layout}.
     *
     * @param product the product it was provisioned for, or "" when unknown
     */
    public CompletableFuture<LabDevice> runVirtualBoard(String id, String product, Path flash, Path ptyLink,
                                                        org.secureota.workbench.device.FlashLayout layout,
                                                        Path freshApp, Path freshFactoryData) {
        requireId(id);
        reserve(id);
        return async(() -> {
            try {
                VirtualLabDevice d = VirtualLabDevice.fromFlash(this, id, product, flash, ptyLink, layout, freshApp,
                        freshFactoryData);
                register(id, d);
                return (LabDevice) d;
            } catch (RuntimeException e) {
                release(id);
                throw e;
            }
        });
    }

    /** Attaches a real board (or any telemetry-speaking port) by its serial port name. */
    public CompletableFuture<LabDevice> attachBoard(String portName) {
        Objects.requireNonNull(portName, "portName");
        reserve(portName);
        return async(() -> {
            try {
                RealLabDevice d = RealLabDevice.attach(this, portName);
                register(portName, d);
                return (LabDevice) d;
            } catch (RuntimeException e) {
                release(portName);
                throw e;
            }
        });
    }

    /** Stops a virtual device (its board and link) or detaches a real board. */
    public CompletableFuture<Void> removeDevice(String id) {
        return async(() -> {
            LabDevice d;
            synchronized (lock) {
                d = devices.remove(id);
            }
            if (d == null) {
                throw new LabSessionException("No device '" + id + "' in this session; 'status' lists them.");
            }
            ((Closeable) d).close();
            update(s -> s.without(id));
            return null;
        });
    }

    public List<LabDevice> devices() {
        synchronized (lock) {
            return devices.values().stream().filter(Objects::nonNull).toList();
        }
    }

    public Optional<LabDevice> device(String id) {
        synchronized (lock) {
            return Optional.ofNullable(devices.get(id));
        }
    }

    /**
     * Puts the demo back where it starts, as a fresh {@code ./workbench} shows it: every attack disarmed,
     * no deployment (products and device overrides), and each virtual device remade factory-fresh with V1
     * (a real board cannot be reflashed from here: it stays as it is). One {@code session.reset} event
     * says what was done; completes once the remade devices are up.
     */
    public CompletableFuture<Void> resetDemo() {
        return async(() -> {
            int attacks = attacker == null ? 0 : attacker.armed().size();
            if (attacker != null) {
                attacker.disarmAll();
            }
            var deployments = serverState.deployments();
            var before = deployments.snapshot();
            before.products().keySet().forEach(deployments::clearProduct);
            before.devices().keySet().forEach(deployments::clearDevice);
            List<String> remade = new ArrayList<>();
            for (LabDevice d : devices()) {
                if (d.isVirtual()) {
                    join(removeDevice(d.id()));
                    // Re-flashed with its own variant: a bricked naive board comes back naive, and working.
                    join(createVirtualDevice(d.id(), d.product(), VirtualDeviceOptions.factoryFreshV1()
                            .withVariant(d.variant())));
                    remade.add(d.id());
                }
            }
            journal.append(EventType.SESSION_RESET, null, "demo reset: " + attacks + " attack(s) disarmed, "
                    + (before.products().size() + before.devices().size()) + " deployment(s) cleared, devices "
                    + remade + " factory-fresh with V1", Map.of("devices", remade,
                    "deployments_cleared", before.products().size() + before.devices().size(), "attacks_disarmed", attacks));
            return null;
        });
    }

    /** Asks every device to check for an update now. */
    public CompletableFuture<Void> checkAll() {
        return CompletableFuture.allOf(devices().stream().map(LabDevice::check).toArray(CompletableFuture[]::new));
    }

    private void requireId(String id) {
        String problem = DeviceId.problem(id);
        if (problem != null) {
            throw new LabSessionException(problem);
        }
    }

    private void reserve(String id) {
        synchronized (lock) {
            if (closing) {
                throw new LabSessionException("The lab session is closing; no new device.");
            }
            if (devices.containsKey(id)) {
                throw new LabSessionException("This session already has a device '" + id + "'.");
            }
            devices.put(id, null);
        }
    }

    private void release(String id) {
        synchronized (lock) {
            devices.remove(id, null);
        }
    }

    private void register(String id, LabDevice d) {
        boolean late;
        synchronized (lock) {
            late = closing;
            if (!late) {
                devices.put(id, d);
            }
        }
        if (late) {
            ((Closeable) d).close();
            throw new LabSessionException("The lab session closed while device '" + id + "' was being made.");
        }
        if (links != null) {
            links.add(d.isVirtual() ? d.board().ptyPath() : id, d.model().snapshot().journalId());
        }
    }

    /** Runs {@code task} on the session's workers; a failure completes the future with a clear exception. */
    <T> CompletableFuture<T> async(Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return task.get();
                } catch (LabSessionException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new LabSessionException(e.getMessage(), e);
                }
            }, work);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            return CompletableFuture.failedFuture(new LabSessionException("The lab session is closed."));
        }
    }

    ExecutorService workers() {
        return work;
    }

    // --- closing ---

    /**
     * Stops every device, the server and the time source, journals {@code session.closed} and closes
     * the journal last. Blocks until done (at most about 20 s); safe to call twice.
     */
    @Override
    public void close() {
        List<LabDevice> all;
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            all = devices.values().stream().filter(Objects::nonNull).toList();
        }
        update(s -> s.withState(SessionState.CLOSING));
        deploymentWatch.shutdownNow();
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (LabDevice d : all) {
            stops.add(CompletableFuture.runAsync(((Closeable) d)::close, work));
        }
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            if (journal != null) {
                journal.tryAppend(EventType.SESSION_FAILED, null, "not every device stopped in time: " + e,
                        Map.of("part", "devices", "error", String.valueOf(e)));
            }
        }
        if (attacker != null) {
            // Undo every armed attack first: the lab's files must not stay tampered with after the session.
            attacker.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (capture != null) {
            capture.close();
        }
        if (server != null) {
            try {
                server.close();
            } catch (RuntimeException e) {
                journal.tryAppend(EventType.SESSION_FAILED, null, "the OTA server did not stop cleanly: " + e.getMessage(),
                        Map.of("part", "OTA server", "error", String.valueOf(e.getMessage())));
            }
            update(s -> s.withServer(x -> x.withStatus(ServerStatus.STOPPED, null)));
        }
        if (time != null) {
            time.close();
        }
        if (journal != null) {
            journal.tryAppend(EventType.SESSION_CLOSED, null, "lab session closed", Map.of("devices", all.size()));
            journal.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        transcripts.values().forEach(SerialTranscript::close);
        if (log != null) {
            log.close();
        }
        if (links != null) {
            links.close();
        }
        update(s -> s.withState(SessionState.CLOSED));
        events.shutdown();
        work.shutdown();
        try {
            events.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the session stops when it closes. */
    interface Closeable extends AutoCloseable {
        @Override
        void close();
    }

    static void writeSecret(Path file, byte[] bytes) {
        try {
            AtomicFiles.write(file, bytes, AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new LabSessionException("Cannot write " + file + ": " + e.getMessage() + ". Check that the lab folder is"
                    + " writable.", e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new LabSessionException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Waits for an action of the session, for the CLI and tests: its result, or its failure unwrapped
     * (a {@link LabSessionException} saying why). Never call it on a GUI thread.
     */
    public static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }
}
