package org.secureota.workbench.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Waits;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.Journal;
import org.junit.jupiter.api.Tag;

/** The limits that protect the server from one client, or many: each on a server of its own. */
@Tag("integration")
class ServerLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;
    TestLab lab;
    Journal journal;
    OtaServer server;

    @BeforeEach
    void lab() throws Exception {
        lab = new TestLab(root);
        journal = new Journal();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        journal.close();
    }

    private OtaServer start(ServerLimits limits) throws IOException {
        server = OtaServer.builder(lab.state, journal).identity(ServerIdentity.labServer(lab.pki)).port(0)
                .limits(limits).start();
        return server;
    }

    @Test
    void repeatedKeyFailuresForOneDeviceGet429ButItsValidKeyAndOtherDevicesKeepWorking() throws Exception {
        lab.publish("shop-display", "1.0.0", 1000);
        String key = lab.state.provision("dev-1", "shop-display");
        String goodKey = lab.state.provision("dev-2", "shop-display");
        start(ServerLimits.defaults().withAuthFailures(3, 100, Duration.ofMinutes(10)));
        server.deploy("shop-display", "1.0.0");
        HttpClient client = lab.client();
        URI manifest = server.baseUri().resolve("/api/v1/manifest?product=shop-display&device=dev-1&current=0.1.0");
        URI manifest2 = server.baseUri().resolve("/api/v1/manifest?product=shop-display&device=dev-2&current=0.1.0");

        assertThat(TestLab.get(client, manifest, "X-API-Key", key).statusCode()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(TestLab.get(client, manifest, "X-API-Key", "guess-" + i).statusCode()).isEqualTo(401);
        }
        // The guessed id's further failures are limited, and the throttle is an alert ...
        HttpResponse<byte[]> limited = TestLab.get(client, manifest, "X-API-Key", "guess-again");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValueAsLong("Retry-After").orElse(0)).isPositive();
        assertThat(JSON.readTree(limited.body()).path("error").asText()).isEqualTo("too_many_failures");
        assertThat(journal.await(e -> e.type().equals("server.auth")
                && e.field("outcome").orElse("").equals("rate_limited"), Duration.ofSeconds(5))).isPresent();
        assertThat(journal.await(e -> e.type().equals("server.auth_throttled")
                && "dev-1".equals(e.fields().get("claimed_device")) && "127.0.0.1".equals(e.fields().get("remote")),
                Duration.ofSeconds(5))).isPresent();
        // ... but the device's own valid key is never refused because of them (issue 27) ...
        assertThat(TestLab.get(client, manifest, "X-API-Key", key).statusCode()).isEqualTo(200);
        // ... and another device behind the same address (a NAT) is not locked out by it.
        assertThat(TestLab.get(client, manifest2, "X-API-Key", goodKey).statusCode()).isEqualTo(200);
        // Health needs no key and is not limited.
        assertThat(TestLab.get(client, server.baseUri().resolve("/api/v1/health")).statusCode()).isEqualTo(200);
    }

    @Test
    void guessingAcrossManyDeviceIdsMeetsTheLooserPerAddressCeiling() throws Exception {
        lab.publish("shop-display", "1.0.0", 1000);
        String goodKey = lab.state.provision("dev-2", "shop-display");
        start(ServerLimits.defaults().withAuthFailures(3, 6, Duration.ofMinutes(10)));
        server.deploy("shop-display", "1.0.0");
        HttpClient client = lab.client();
        for (int i = 0; i < 6; i++) {
            URI other = server.baseUri().resolve("/api/v1/manifest?device=victim-" + i + "&current=0.1.0");
            assertThat(TestLab.get(client, other, "X-API-Key", "guess").statusCode()).isEqualTo(401);
        }
        URI manifest2 = server.baseUri().resolve("/api/v1/manifest?device=dev-2&current=0.1.0");
        HttpResponse<byte[]> limited = TestLab.get(client, manifest2, "X-API-Key", "another-guess");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(limited.body()).path("message").asText()).contains("127.0.0.1");
        assertThat(journal.await(e -> e.type().equals("server.auth_throttled")
                && "address".equals(e.fields().get("limited")), Duration.ofSeconds(5))).isPresent();
        // A valid key still passes: the ceiling slows failures, never a genuine device.
        assertThat(TestLab.get(client, manifest2, "X-API-Key", goodKey).statusCode()).isEqualTo(200);
    }

    /** A TLS health check from {@code local} (another loopback address): its HTTP status, or -1 if it got no answer. */
    private int healthFrom(String local) throws Exception {
        try (SSLSocket s = (SSLSocket) lab.labCaOnly().getSocketFactory().createSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
            s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return answer.startsWith("HTTP/1.1 ") ? Integer.parseInt(answer.substring(9, 12)) : -1;
        } catch (IOException noAnswer) {
            return -1;
        }
    }

    @Test
    void oneAddressHoldingIdleConnectionsCannotStarveAnother() throws Exception {
        start(ServerLimits.defaults().withConnections(8, 4));
        List<Socket> hog = new ArrayList<>();
        try {
            // 127.0.0.2 opens twice the server's connection slots and leaves them idle (no TLS hello).
            for (int i = 0; i < 8; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
                hog.add(s);
            }
            // The ones beyond its share are closed by the server at once.
            long closed = 0;
            for (Socket s : hog) {
                s.setSoTimeout(300);
                try {
                    if (s.getInputStream().read() == -1) {
                        closed++;
                    }
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // within its share: kept open
                } catch (IOException reset) {
                    closed++;
                }
            }
            assertThat(closed).isEqualTo(4);
            // Another address is served at once, connection after connection: each one closed gives its slot back.
            for (int i = 0; i < 12; i++) {
                assertThat(healthFrom("127.0.0.3")).as("health check %d from 127.0.0.3", i).isEqualTo(200);
            }
            assertThat(journal.await(e -> e.type().equals("server.connection_limit")
                    && e.field("remote").orElse("").equals("127.0.0.2"), Duration.ofSeconds(5))).isPresent();
        } finally {
            for (Socket s : hog) {
                s.close();
            }
        }
    }

    @Test
    void aDownloadWhoseReaderTakesNothingIsDroppedAndFreesItsSlot() throws Exception {
        Release big = lab.publish("shop-display", "3.0.0", 12 * 1024 * 1024);
        String key = lab.state.provision("dev-1", "shop-display");
        start(ServerLimits.defaults().withDownloads(16, 2, Duration.ofMillis(1500)));
        try (SSLSocket holder = stalledDownload(big, key)) {
            assertThat(server.activeDownloads()).isEqualTo(1);
            // Well under the 30 s idle timeout, the stalled download is dropped and its slot freed.
            Waits.until(() -> server.activeDownloads() == 0, Duration.ofSeconds(12), "the stalled download's slot");
            assertThat(server.activeDownloads()).isZero();
        }
        assertThat(journal.await(e -> e.type().equals("http.request") && e.field("path").orElse("").equals(big.url())
                && e.field("note").orElse("").startsWith("dropped: the reader took nothing"), Duration.ofSeconds(5)))
                .hasValueSatisfying(e -> assertThat(Long.parseLong(e.field("bytes_written").orElseThrow()))
                        .as("bytes written to the connection before the reader stalled")
                        .isPositive().isLessThan(big.size()));
    }

    /** Starts a download of {@code release} with {@code key}, reads the status line only and stops reading. */
    private SSLSocket stalledDownload(Release release, String key) throws Exception {
        SSLSocket holder = (SSLSocket) lab.labCaOnly().getSocketFactory().createSocket();
        holder.setReceiveBufferSize(4096);
        holder.connect(new InetSocketAddress("127.0.0.1", server.port()));
        holder.getOutputStream().write(("GET " + release.url() + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + key + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        holder.getOutputStream().flush();
        byte[] start = holder.getInputStream().readNBytes(12);
        assertThat(new String(start, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        return holder;
    }

    @Test
    void downloadSlotsAreSharedOutPerDeviceAndPerAddress() throws Exception {
        Release big = lab.publish("shop-display", "3.0.0", 12 * 1024 * 1024);
        String key1 = lab.state.provision("dev-1", "shop-display");
        String key2 = lab.state.provision("dev-2", "shop-display");
        String key3 = lab.state.provision("dev-3", "shop-display");
        start(ServerLimits.defaults().withDownloads(2, 1, Duration.ofSeconds(30)));
        HttpClient client = lab.client();
        try (SSLSocket first = stalledDownload(big, key1)) {
            HttpResponse<byte[]> sameDevice = TestLab.get(client, server.baseUri().resolve(big.url()), "X-API-Key", key1);
            assertThat(sameDevice.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(sameDevice.body()).path("message").asText()).contains("this device");
            try (SSLSocket second = stalledDownload(big, key2)) {
                HttpResponse<byte[]> sameAddress = TestLab.get(client, server.baseUri().resolve(big.url()), "X-API-Key", key3);
                assertThat(sameAddress.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(sameAddress.body()).path("message").asText()).contains("this address");
                assertThat(sameAddress.headers().firstValue("Retry-After")).hasValue("10");
            }
        }
    }

    @Test
    void aReportBodyCutOffByTheRequestDeadlineIsJournaledAs408WithoutAStackTrace() throws Exception {
        String key = lab.state.provision("dev-1", "shop-display");
        start(ServerLimits.defaults().withRequestReadTimeout(Duration.ofMillis(800)));
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (SSLSocket s = (SSLSocket) lab.labCaOnly().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(("POST /api/v1/devices/dev-1/report HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-API-Key: " + key + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                    + "{\"event\":").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            try {
                s.getInputStream().readAllBytes(); // until the server closes the connection
            } catch (IOException reset) {
                // closed with a reset: just as good
            }
            assertThat(journal.await(e -> e.type().equals("http.request")
                    && e.field("path").orElse("").equals("/api/v1/devices/dev-1/report"), Duration.ofSeconds(10)))
                    .hasValueSatisfying(e -> {
                        assertThat(e.field("status")).hasValue("408");
                        assertThat(e.field("note").orElse("")).contains("incomplete");
                    });
            Thread.sleep(300); // not a wait: gives Jetty time to print what must not appear
        } finally {
            System.setErr(originalErr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aReportBodyCutShortByTheClientIsJournaledAs400() throws Exception {
        String key = lab.state.provision("dev-1", "shop-display");
        start(ServerLimits.defaults());
        try (Socket tcp = new Socket()) {
            tcp.connect(new InetSocketAddress("127.0.0.1", server.port()));
            SSLSocket tls = (SSLSocket) lab.labCaOnly().getSocketFactory().createSocket(tcp, "localhost", server.port(), false);
            tls.getOutputStream().write(("POST /api/v1/devices/dev-1/report HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-API-Key: " + key + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                    + "{\"event\":").getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            Thread.sleep(300); // not a wait: the body stays cut short for a while before the reset
            tcp.setSoLinger(true, 0);
        }
        assertThat(journal.await(e -> e.type().equals("http.request")
                && e.field("path").orElse("").equals("/api/v1/devices/dev-1/report"), Duration.ofSeconds(10)))
                .hasValueSatisfying(e -> {
                    assertThat(e.field("status")).hasValue("400");
                    assertThat(e.field("note").orElse("")).contains("cut short by the client");
                });
    }

    @Test
    void anAbandonedDownloadIsJournaledWithTheBytesReallyWrittenToTheConnection() throws Exception {
        Release big = lab.publish("shop-display", "3.0.0", 15 * 1024 * 1024);
        String key = lab.state.provision("dev-1", "shop-display");
        start(ServerLimits.defaults());
        // Like a device that refuses the Content-Length (SIZE_MISMATCH): it reads the headers and hangs up,
        // at the TCP level (an SSLSocket's close would first drain what the server already sent).
        try (Socket tcp = new Socket()) {
            tcp.setReceiveBufferSize(4096);
            tcp.connect(new InetSocketAddress("127.0.0.1", server.port()));
            SSLSocket tls = (SSLSocket) lab.labCaOnly().getSocketFactory().createSocket(tcp, "localhost", server.port(), false);
            tls.getOutputStream().write(("GET " + big.url() + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + key + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            assertThat(new String(tls.getInputStream().readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            tcp.setSoLinger(true, 0);
        }
        assertThat(journal.await(e -> e.type().equals("http.request") && e.field("path").orElse("").equals(big.url()),
                Duration.ofSeconds(15))).hasValueSatisfying(e -> {
                    assertThat(e.fields()).doesNotContainKey("bytes_sent");
                    long written = Long.parseLong(e.field("bytes_written").orElseThrow());
                    System.out.println("abandoned download: " + written + " of " + big.size() + " bytes written");
                    assertThat(written).isPositive().isLessThan(big.size() / 2);
                    assertThat(e.message()).contains("wrote ");
                });
    }

    @Test
    void aSlowlorisClientIsDisconnectedWhileOthersAreServed() throws Exception {
        start(ServerLimits.defaults().withRequestReadTimeout(Duration.ofMillis(800)));
        try (SSLSocket slow = (SSLSocket) lab.labCaOnly().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            slow.startHandshake();
            slow.setSoTimeout(100);
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            out.write("GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Drip one header line every ~100 ms: far slower than any device, but fast enough that an
            // idle timeout never fires. The server must hang up on us anyway (the loop allows ~20 s).
            boolean dropped = false;
            for (int i = 0; i < 200 && !dropped; i++) {
                try {
                    int b = in.read();
                    assertThat(b).as("the server must not answer a request that never ends").isEqualTo(-1);
                    dropped = true;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    try {
                        out.write(("X-Drip-" + i + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (IOException closed) {
                        dropped = true;
                    }
                } catch (IOException reset) {
                    dropped = true;
                }
            }
            assertThat(dropped).as("slowloris connection closed by the server").isTrue();
        }
        assertThat(journal.await(e -> e.type().equals("server.slow_client"), Duration.ofSeconds(5))).isPresent();
        // A normal client is still served.
        assertThat(TestLab.get(lab.client(), server.baseUri().resolve("/api/v1/health")).statusCode()).isEqualTo(200);
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedQuietlyAfterItsResponse() throws Exception {
        start(ServerLimits.defaults().withRequestReadTimeout(Duration.ofMillis(500)));
        try (SSLSocket s = (SSLSocket) lab.labCaOnly().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String response = "";
            while (!response.endsWith("{\"status\":\"ok\"}")) {
                int b = in.read();
                assertThat(b).as("response so far: " + response).isNotNegative();
                response += (char) b;
            }
            // Keep-alive: the server waits for a next request, then closes the connection.
            int next;
            try {
                next = in.read();
            } catch (IOException reset) {
                next = -1;
            }
            assertThat(next).isEqualTo(-1);
        }
        // An idle client is not an attacker: nothing about it in the journal.
        assertThat(journal.snapshot()).noneMatch(e -> e.type().equals("server.slow_client"));
    }

    @Test
    void anExpiredManifestIsStillServedButTheJournalSaysSo() throws Exception {
        lab.publish("shop-display", "1.0.0", 1000);
        String key = lab.state.provision("dev-1", "shop-display");
        server = OtaServer.builder(lab.state, journal).identity(ServerIdentity.labServer(lab.pki)).port(0)
                .clock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofDays(60))).start();
        server.deploy("shop-display", "1.0.0");
        HttpResponse<byte[]> r = TestLab.get(lab.client(),
                server.baseUri().resolve("/api/v1/manifest?device=dev-1&current=0.1.0"), "X-API-Key", key);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(journal.await(e -> e.type().equals("server.manifest") && e.field("expired").orElse("").equals("true"),
                Duration.ofSeconds(5))).hasValueSatisfying(e -> assertThat(e.message()).contains("must refuse it"));
    }

    @Test
    void downloadsBeyondTheLimitGet503WithRetryAfter() throws Exception {
        // Large enough that it cannot fit in the socket buffers of a client that stops reading.
        Release big = lab.publish("shop-display", "3.0.0", 12 * 1024 * 1024);
        start(ServerLimits.defaults().withMaxConcurrentDownloads(1));
        // Reads the status line only, then stops reading: the download keeps its slot.
        try (SSLSocket holder = stalledDownload(big, lab.state.provision("dev-1", "shop-display"))) {
            assertThat(server.activeDownloads()).isEqualTo(1);

            HttpResponse<byte[]> refused = TestLab.get(lab.client(), server.baseUri().resolve(big.url()),
                    "X-API-Key", lab.state.provision("dev-2", "shop-display"));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("10");
            assertThat(JSON.readTree(refused.body()).path("error").asText()).isEqualTo("too_many_downloads");
        }
    }

    @Test
    void oversizedHeadersAreRefusedWith431AndAJsonError() throws Exception {
        start(ServerLimits.defaults());
        try (SSLSocket s = (SSLSocket) lab.labCaOnly().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            String request = "GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(16 * 1024)
                    + "\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 431").contains("\"error\":\"http_431\"");
        }
    }
}
