package org.secureota.workbench.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.Journal;

/** The limits that protect the server from one client, or many: each on a server of its own. */
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
    void repeatedKeyFailuresFromOneSourceGet429EvenWithTheRightKeyAfterwards() throws Exception {
        lab.publish("shop-display", "1.0.0", 1000);
        String key = lab.state.provision("dev-1", "shop-display");
        start(ServerLimits.defaults().withAuthFailures(3, Duration.ofMinutes(10)));
        server.deploy("shop-display", "1.0.0");
        HttpClient client = lab.client();
        URI manifest = server.baseUri().resolve("/api/v1/manifest?product=shop-display&device=dev-1&current=0.1.0");

        assertThat(TestLab.get(client, manifest, "X-API-Key", key).statusCode()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(TestLab.get(client, manifest, "X-API-Key", "guess-" + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<byte[]> limited = TestLab.get(client, manifest, "X-API-Key", key);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValueAsLong("Retry-After").orElse(0)).isPositive();
        assertThat(JSON.readTree(limited.body()).path("error").asText()).isEqualTo("too_many_failures");
        assertThat(journal.await(e -> e.type().equals("server.auth")
                && e.field("outcome").orElse("").equals("rate_limited"), Duration.ofSeconds(5))).isPresent();
        // Health needs no key and is not limited.
        assertThat(TestLab.get(client, server.baseUri().resolve("/api/v1/health")).statusCode()).isEqualTo(200);
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
        try (SSLSocket holder = (SSLSocket) lab.labCaOnly().getSocketFactory().createSocket()) {
            holder.setReceiveBufferSize(4096);
            holder.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            holder.getOutputStream().write(("GET " + big.url() + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            holder.getOutputStream().flush();
            // Read the status line only, then stop reading: the download keeps its slot.
            byte[] start = holder.getInputStream().readNBytes(12);
            assertThat(new String(start, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
            assertThat(server.activeDownloads()).isEqualTo(1);

            HttpResponse<byte[]> refused = TestLab.get(lab.client(), server.baseUri().resolve(big.url()));
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
