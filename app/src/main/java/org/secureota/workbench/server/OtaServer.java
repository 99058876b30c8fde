package org.secureota.workbench.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.pki.LabPki;

/**
 * The lab's HTTPS OTA server, on Jetty 12: signed manifests for devices with a valid API key,
 * firmware downloads with ranges, device reports, and a health check. Every request and every
 * key check goes into the {@link Journal}.
 *
 * <pre>{@code
 * try (OtaServer server = OtaServer.builder(ServerState.of(lab), journal)
 *         .identity(ServerIdentity.labServer(new LabPki(lab.certs())))   // or ServerIdentity.rogue(...)
 *         .port(0)                                                     // 0: any free port
 *         .start()) {
 *     server.deploy("shop-display", "2.0.0");
 *     URI base = server.baseUri();                                     // https://127.0.0.1:PORT/
 * }
 * }</pre>
 *
 * It binds to 127.0.0.1 unless told otherwise: a real board on Wi-Fi needs {@code bind("0.0.0.0")}
 * or the machine's LAN address, which is an explicit choice.
 */
public final class OtaServer implements AutoCloseable {

    private final Server jetty;
    private final ServerConnector connector;
    private final ServerState state;
    private final Journal journal;
    private final ServerIdentity identity;
    private final ServerLimits limits;
    private final FirmwareDownloads downloads;
    private final boolean publicDownloads;

    private OtaServer(Builder b) {
        this.state = b.state;
        this.journal = b.journal;
        this.identity = b.identity;
        this.limits = b.limits;
        this.publicDownloads = b.publicDownloads;

        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("ota-server");
        // Jetty's default pool keeps buffers of at most 64 KiB, so each of a download's 256 KiB chunks
        // (FirmwareDownloads.CHUNK) was a new array, zeroed and then collected: about 1 MiB of garbage
        // per 1 MiB download (JFR allocation samples, bench/profile-serve). This pool keeps them.
        jetty = new Server(threads, null, new ArrayByteBufferPool(0, 0, FirmwareDownloads.CHUNK));
        jetty.setStopAtShutdown(false); // the owner (CLI hook, GUI, test) decides when to stop

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxRequestHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSecureScheme("https");
        // Jetty's URI checks would answer some traversal attempts with 400 and silently normalize
        // others ("/firmware/../api" into "/api"). The router reads the raw path itself and refuses
        // anything but plain segments with 404, so Jetty is told to pass every path through untouched.
        http.setUriCompliance(UriCompliance.UNSAFE);
        // Devices connect by IP address or by any of the certificate's names; SNI is optional. The
        // Host check is Jetty's, against the one certificate parsed once instead of once per session.
        http.addCustomizer(new OneCertificateRequestCustomizer(identity.keyStore()));

        SslContextFactory.Server tls = TlsPolicy.contextFactory(identity.keyStore(), identity.password());
        SslConnectionFactory tlsFactory = new SslConnectionFactory(tls, "http/1.1");
        HttpConnectionFactory httpFactory = new HttpConnectionFactory(http);

        // No acceptor thread: the selector accepts (non-blocking, OP_ACCEPT) and registers the new
        // connection itself, instead of a thread blocked in accept() handing it over and waking the
        // selector. One hand-off less per connection; on loopback curl's TCP connect went from 0.27-0.88
        // to 0.15-0.20 ms in three A/B runs of four (bench/README.md, issue 24). Selectors: Jetty's default.
        connector = new ServerConnector(jetty, 0, -1, tlsFactory, httpFactory);
        connector.setHost(b.host);
        connector.setPort(b.port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        SlowClientGuard guard = new SlowClientGuard(limits.requestReadTimeout(), journal);
        connector.addBean(guard);
        jetty.addBean(guard);
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(limits.maxConnections(), jetty));
        connector.addBean(new AddressConnectionLimit(limits.maxConnectionsPerAddress(), journal, b.peers));

        DeviceAuthenticator auth = new DeviceAuthenticator(state.apiKeys(),
                new RateLimiter(limits.maxAuthFailures(), limits.authFailureWindow(), b.clock),
                new RateLimiter(limits.maxAuthFailuresPerAddress(), limits.authFailureWindow(), b.clock), journal);
        downloads = new FirmwareDownloads(state.releases(), journal, auth, b.publicDownloads, limits,
                jetty.getByteBufferPool());
        jetty.setHandler(new OtaRoutes(new ManifestApi(state, auth, journal, b.clock, b.signingKey, b.silentManifests), downloads,
                new DeviceReports(auth, journal, guard, limits.maxReportBytes(), state.deviceStatuses()), guard));
        jetty.setErrorHandler(new ErrorResponses());
        jetty.setRequestLog(new AccessJournal(journal));
    }

    /** A server for {@code state} that journals into {@code journal}; the lab's real identity must be set. */
    public static Builder builder(ServerState state, Journal journal) {
        return new Builder(state, journal);
    }

    /** A server for {@code lab}: its releases, devices and deployments, and its real server certificate. */
    public static Builder builder(LabFolder lab, Journal journal) {
        return new Builder(ServerState.of(lab), journal).identity(ServerIdentity.labServer(new LabPki(lab.certs())));
    }

    /** How to build an {@link OtaServer}. */
    public static final class Builder {
        private final ServerState state;
        private final Journal journal;
        private ServerIdentity identity;
        private String host = "127.0.0.1";
        private int port = 8443;
        private ServerLimits limits = ServerLimits.defaults();
        private Clock clock = Clock.systemUTC();
        private boolean publicDownloads;
        private java.security.PrivateKey signingKey;
        private boolean silentManifests;
        private java.util.function.Function<java.net.SocketAddress, java.util.Optional<String>> peers =
                peer -> java.util.Optional.empty();

        private Builder(ServerState state, Journal journal) {
            this.state = Objects.requireNonNull(state, "state");
            this.journal = Objects.requireNonNull(journal, "journal");
        }

        /**
         * Which lab device a connection is forwarded for, from its remote address and port (the session's
         * device endpoint records its own upstream sockets): such a connection counts against that device's
         * share of {@link ServerLimits#maxConnectionsPerAddress()}, not its address's.
         */
        public Builder peers(java.util.function.Function<java.net.SocketAddress, java.util.Optional<String>> peers) {
            this.peers = Objects.requireNonNull(peers, "peers");
            return this;
        }

        /** The key and chain presented in the handshake: {@link ServerIdentity#labServer} or {@link ServerIdentity#rogue}. */
        public Builder identity(ServerIdentity identity) {
            this.identity = identity;
            return this;
        }

        /** The address to listen on (default 127.0.0.1; "0.0.0.0" for every interface). */
        public Builder bind(String host) {
            this.host = host;
            return this;
        }

        /** The TCP port (default 8443; 0 picks a free one, see {@link OtaServer#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new ServerStateException("Port " + port + " is out of range: use 1 to 65535, or 0 for any free port.");
            }
            this.port = port;
            return this;
        }

        public Builder limits(ServerLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /**
         * Serves firmware images without an API key (default: only to a provisioned device of the
         * image's product, with its key). For labs that fetch images with a browser or curl.
         */
        public Builder publicDownloads(boolean publicDownloads) {
            this.publicDownloads = publicDownloads;
            return this;
        }

        /**
         * The lab's manifest-signing key: with it, a device deployed on its own gets its release's
         * manifest bound to it ({@code "device":ID}); without it, every device gets the stored manifest.
         */
        /**
         * Answers every manifest request of an authenticated device with a bare 204: the
         * {@code silent-server} attack (a server, or whoever holds its TLS key, freezing devices).
         */
        public Builder silentManifests(boolean silent) {
            this.silentManifests = silent;
            return this;
        }

        public Builder signingKey(java.security.PrivateKey signingKey) {
            this.signingKey = signingKey;
            return this;
        }

        /** The clock of the rate limiter's window and of manifest expiry warnings. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Binds and starts the server; it serves until {@link OtaServer#close()}. */
        public OtaServer start() throws IOException {
            if (identity == null) {
                throw new IllegalStateException("no server identity: call identity(ServerIdentity.labServer(pki))");
            }
            OtaServer server = new OtaServer(this);
            server.startJetty();
            return server;
        }
    }

    private void startJetty() throws IOException {
        try {
            jetty.start();
        } catch (IOException e) {
            stopQuietly();
            throw new IOException("Cannot listen on " + connector.getHost() + ":" + connector.getPort() + " ("
                    + e.getMessage() + "). Is another server using this port? Choose another with --port.", e);
        } catch (Exception e) {
            stopQuietly();
            throw new IllegalStateException("The OTA server failed to start: " + e.getMessage(), e);
        }
        journal.append(EventType.SERVER_STARTED, null, "OTA server listening on " + baseUri() + " with the "
                + identity.name() + (publicDownloads ? "; firmware downloads need no key" : ""),
                Map.of("url", baseUri().toString(), "identity", identity.name(),
                "protocols", String.join(",", TlsPolicy.PROTOCOLS), "tls_provider", TlsProvider.get().name(),
                "public_downloads", publicDownloads));
    }

    private void stopQuietly() {
        try {
            jetty.stop();
        } catch (Exception ignored) {
            // Already failing to start; the original error is what the caller needs.
        }
    }

    /** The port actually bound (useful after {@code port(0)}). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code https://HOST:PORT/}, with the loopback address when bound to every interface. */
    public URI baseUri() {
        String host = connector.getHost();
        if (host == null || host.equals("0.0.0.0") || host.equals("::")) {
            host = InetAddress.getLoopbackAddress().getHostAddress();
        }
        String authority = host.contains(":") ? "[" + host + "]" : host;
        return URI.create("https://" + authority + ":" + port() + "/");
    }

    public ServerState state() {
        return state;
    }

    public Deployments deployments() {
        return state.deployments();
    }

    public ServerIdentity identity() {
        return identity;
    }

    public ServerLimits limits() {
        return limits;
    }

    /** Whether firmware downloads need no API key ({@link Builder#publicDownloads}). */
    public boolean publicDownloads() {
        return publicDownloads;
    }

    /** Firmware downloads in progress. */
    public int activeDownloads() {
        return downloads.active();
    }

    /** Deploys a published release to its product, and journals it. */
    public Release deploy(String product, String version) {
        Release r = state.deploy(product, version);
        journal.append(EventType.SERVER_DEPLOYMENT, null, product + " devices should now run " + version,
                Map.of("product", product, "version", version));
        return r;
    }

    /** Deploys a published release to one device, and journals it. */
    public Release deployToDevice(String deviceId, String version) {
        Release r = state.deployToDevice(deviceId, version);
        journal.append(EventType.SERVER_DEPLOYMENT, deviceId, deviceId + " should now run " + version,
                Map.of("device", deviceId, "version", version, "product", r.product()));
        return r;
    }

    /** Stops accepting, ends open exchanges and frees the port. The journal stays open (it is the caller's). */
    @Override
    public void close() {
        if (jetty.isStopped()) {
            return;
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("The OTA server did not stop cleanly: " + e.getMessage(), e);
        }
        // The caller may have closed the journal first; then there is nothing left to record into.
        journal.tryAppend(EventType.SERVER_STOPPED, null, "OTA server stopped", Map.of());
    }
}
