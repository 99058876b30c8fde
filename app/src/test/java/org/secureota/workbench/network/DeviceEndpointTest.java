package org.secureota.workbench.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.firmware.AppDescriptor;
import org.secureota.workbench.firmware.AppImageBuilder;
import org.secureota.workbench.firmware.ChipId;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.server.OtaServer;
import org.secureota.workbench.server.ServerIdentity;
import org.secureota.workbench.server.ServerState;
import org.junit.jupiter.api.Tag;
import org.secureota.workbench.Waits;

/**
 * The endpoint between a real TLS client (the JDK's, trusting only the lab CA) and the real OTA server:
 * it forwards byte for byte, journals every connection, and its faults act as an attacker's would.
 */
@Timeout(120)
@Tag("integration")
class DeviceEndpointTest {

    @TempDir
    Path root;

    Journal journal = new Journal();
    LabPki pki;
    OtaServer server;
    DeviceEndpoint endpoint;
    Release release;
    byte[] image;
    HttpClient client;
    SSLContext sslContext;

    @BeforeEach
    void labServerAndEndpoint() throws Exception {
        LabFolder lab = new LabFolder(root);
        pki = new LabPki(lab.certs());
        pki.init(false, new HostIdentity(List.of("localhost"), List.of("127.0.0.1")), Clock.systemUTC());
        ServerState state = ServerState.of(lab);
        byte[] rodata = new byte[300_000];
        new Random(7).nextBytes(rodata);
        Path file = root.resolve("image.bin");
        Files.write(file, AppImageBuilder.forChip(ChipId.HOST).descriptor(AppDescriptor.of("shop-display", "2.0.0", 1))
                .rodata(rodata).build());
        release = state.releases().publish(file, "shop-display", pki.signingKey(), Duration.ofDays(30), Clock.systemUTC());
        image = Files.readAllBytes(release.imageFile());
        // The endpoint is under test, not the server's key check: downloads need no key here.
        server = OtaServer.builder(lab, journal).port(0).publicDownloads(true).start();
        endpoint = DeviceEndpoint.start(journal, Upstream.loopback("lab server", server.port()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(pki.trustStore());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        sslContext = ctx;
        client = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        endpoint.close();
        server.close();
        journal.close();
    }

    private byte[] download() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.url() + release.url()))
                .timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private List<JournalEvent> closedConnections() {
        return journal.window().stream().filter(e -> EventType.CONNECTION_CLOSED.is(e)).toList();
    }

    private JournalEvent awaitClosed(int count) throws InterruptedException {
        journal.await(e -> closedConnections().size() >= count, Duration.ofSeconds(20));
        assertThat(closedConnections()).hasSizeGreaterThanOrEqualTo(count);
        return closedConnections().get(count - 1);
    }

    @Test
    void forwardsTheServersBytesUnchangedAndJournalsTheConnection() throws Exception {
        assertThat(endpoint.url().toString()).isEqualTo("https://127.0.0.1:" + endpoint.port());
        assertThat(download()).isEqualTo(image);

        JournalEvent closed = awaitClosed(1);
        assertThat(closed.source()).isEqualTo(Source.NETWORK);
        assertThat(closed.fields()).containsEntry("upstream", "lab server").containsEntry("end", "closed");
        assertThat((Long) closed.fields().get("bytes_down")).isGreaterThan(image.length);
        assertThat((Long) closed.fields().get("bytes_up")).isPositive();
        assertThat((Long) closed.fields().get("tls_records_down")).isGreaterThan(image.length / 16_384);
        assertThat(journal.window()).anySatisfy(e -> assertThat(e.type()).isEqualTo(EventType.CONNECTION_OPENED.wireName()));
        ConnectionRecord r = endpoint.recentConnections().get(0);
        assertThat(r.end()).isEqualTo(ConnectionEnd.CLOSED);
        assertThat(r.tamperedAt()).isEqualTo(-1);
    }

    @Test
    void aCutOnceDropsOneConnectionThenTheNextGoesThrough() throws Exception {
        String notice = endpoint.arm(new NetworkFault.Cut(100_000, false, NetworkFault.Repeat.ONCE));
        assertThat(notice).contains("next connection");

        assertThatThrownBy(this::download).isInstanceOf(IOException.class);
        JournalEvent cut = awaitClosed(1);
        assertThat(cut.fields()).containsEntry("end", "cut").containsEntry("bytes_down", 100_000L);
        assertThat(endpoint.faultSpent()).isTrue();

        assertThat(download()).isEqualTo(image);
        assertThat(awaitClosed(2).fields()).containsEntry("end", "closed");
    }

    @Test
    void aCutEveryTimeDropsEveryConnectionAtARandomOffsetBelowTheBound() throws Exception {
        endpoint.arm(new NetworkFault.Cut(50_000, true, NetworkFault.Repeat.EVERY_TIME));
        for (int i = 1; i <= 2; i++) {
            assertThatThrownBy(this::download).isInstanceOf(IOException.class);
            JournalEvent cut = awaitClosed(i);
            assertThat(cut.fields()).containsEntry("end", "cut");
            assertThat((Long) cut.fields().get("bytes_down")).isBetween(1L, 50_000L);
        }
        endpoint.disarm();
        assertThat(download()).isEqualTo(image);
    }

    @Test
    void aTamperedRecordIsCaughtByTheClientsTlsAndNeverDelivered() throws Exception {
        endpoint.arm(new NetworkFault.TamperRecord(4096, NetworkFault.Repeat.ONCE));

        // The JDK's TLS finds the record's authentication tag wrong and aborts: no byte of it reaches the caller.
        assertThatThrownBy(this::download).isInstanceOf(IOException.class);
        JournalEvent closed = awaitClosed(1);
        assertThat((Long) closed.fields().get("tampered_at")).isGreaterThanOrEqualTo(4096L);
        assertThat(journal.window()).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.FAULT_STRUCK.wireName());
            assertThat(e.message()).contains("flipped");
        });

        assertThat(download()).isEqualTo(image);
    }

    @Test
    void armingWhileAConnectionIsOpenActsOnTheNextConnectionAndSaysSo() throws Exception {
        try (Socket open = new Socket("127.0.0.1", endpoint.port())) {
            journal.await(e -> EventType.CONNECTION_OPENED.is(e), Duration.ofSeconds(10));
            String notice = endpoint.arm(new NetworkFault.Cut(10, false, NetworkFault.Repeat.EVERY_TIME));
            assertThat(notice).contains("takes effect on the next connection (1 open connection keeps what it started with)");
            endpoint.disarm();
        }
    }

    @Test
    void routedToTheRogueServerTheClientRefusesItsCertificate() throws Exception {
        try (OtaServer rogue = OtaServer.builder(server.state(), journal).identity(ServerIdentity.rogue(pki))
                .port(0).start()) {
            endpoint.route(Upstream.loopback("rogue server", rogue.port()));
            assertThatThrownBy(this::download).isInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                    .hasMessageContaining("PKIX path validation failed");
            assertThat(awaitClosed(1).fields()).containsEntry("upstream", "rogue server");
            endpoint.routeToLabServer();
            assertThat(download()).isEqualTo(image);
        }
    }

    @Test
    void theThrottleHoldsADownloadToTheSetRate() throws Exception {
        endpoint.throttle(200_000);
        long start = System.nanoTime();
        assertThat(download()).isEqualTo(image);
        double seconds = (System.nanoTime() - start) / 1e9;
        // A lower bound only: a loaded machine can only make it slower.
        assertThat(seconds).isGreaterThan(image.length / 200_000.0 * 0.9);
        System.out.printf("endpoint throttle: %d bytes at 200000 B/s in %.2f s%n", image.length, seconds);
        endpoint.throttle(0);
    }

    @Test
    void aStallHoldsTheBytesUntilTheClientGivesUp() throws Exception {
        endpoint.arm(new NetworkFault.Trickle(4096, 0));
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.url() + release.url()))
                .timeout(Duration.ofSeconds(2)).GET().build();
        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(IOException.class);
        journal.await(e -> EventType.FAULT_STRUCK.is(e), Duration.ofSeconds(10));
        assertThat(journal.window()).anySatisfy(e -> assertThat(e.message()).contains("trickling from byte 4096"));
    }

    @Test
    void extraBytesFollowTheServersLastByteAndAreNeverTakenForData() throws Exception {
        endpoint.arm(new NetworkFault.ExtraBytes(5000));
        byte[] response;
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) sslContext.getSocketFactory()
                .createSocket("127.0.0.1", endpoint.port())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + release.url() + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(all);
            } catch (IOException garbageAfterCloseNotify) {
                // The bytes after the server's close_notify are no TLS record: at most an error, never data.
            }
            response = all.toByteArray();
        }
        journal.await(e -> EventType.FAULT_STRUCK.is(e), Duration.ofSeconds(20));
        assertThat(journal.window()).anySatisfy(e -> assertThat(e.message()).contains("appending 5000 bytes"));
        byte[] body = java.util.Arrays.copyOfRange(response, response.length - image.length, response.length);
        assertThat(body).isEqualTo(image);
        endpoint.disarm();
    }

    @Test
    void badSettingsAreRefusedByName() {
        assertThatThrownBy(() -> new NetworkFault.Cut(0, false, NetworkFault.Repeat.ONCE))
                .hasMessageContaining("bytes must be at least 1");
        assertThatThrownBy(() -> new NetworkFault.Trickle(0, -1)).hasMessageContaining("bytes per second");
        assertThatThrownBy(() -> endpoint.throttle(-5)).hasMessageContaining("throttle");
        assertThatThrownBy(() -> new NetworkFault.TamperRecord(-1, NetworkFault.Repeat.ONCE))
                .hasMessageContaining("offset");
    }

    /**
     * Issue 27: connections beyond the caps are closed at once, a silent one at its deadline, and a lab
     * device's own connections are attributed to it and never take the place of others.
     */
    @Test
    void capsIdleDeadlineAndDeviceAttribution() throws Exception {
        DeviceAddresses addresses = DeviceAddresses.assume(true);
        String deviceAddress = addresses.assign("seat-07").orElseThrow().getHostAddress();
        try (DeviceEndpoint capped = DeviceEndpoint.start(journal, new java.net.InetSocketAddress("127.0.0.1", 0),
                Upstream.loopback("lab server", server.port()), addresses,
                new EndpointLimits(3, 2, Duration.ofMillis(500)))) {
            List<java.net.Socket> held = new java.util.ArrayList<>();
            try {
                // Two per address: the third from 127.0.4.1 is refused.
                for (int i = 0; i < 3; i++) {
                    held.add(connectFrom("127.0.4.1", capped.port()));
                }
                // The cap for others (3): one more from 127.0.4.2 fits, the next does not.
                held.add(connectFrom("127.0.4.2", capped.port()));
                held.add(connectFrom("127.0.4.3", capped.port()));
                Waits.until(() -> capped.refusedConnections() >= 2, Duration.ofSeconds(5), "the endpoint refusing two");
                assertThat(capped.openConnections()).isEqualTo(3);
                assertThat(capped.refusedConnections()).isEqualTo(2);
                assertThat(journal.window()).filteredOn(e -> EventType.CONNECTION_REFUSED.is(e))
                        .extracting(e -> e.fields().get("remote")).contains("127.0.4.1", "127.0.4.3");
                // A device's connection fits even now, is its own, and reaches the server from its address.
                try (java.net.Socket plain = connectFrom(deviceAddress, capped.port());
                     javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) sslContext.getSocketFactory()
                             .createSocket(plain, "127.0.0.1", capped.port(), true)) {
                    tls.setSoTimeout(10_000);
                    tls.getOutputStream().write("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    assertThat(new String(tls.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                            .startsWith("HTTP/1.1 200");
                }
                assertThat(journal.await(e -> EventType.HTTP_REQUEST.is(e) && deviceAddress.equals(e.fields().get("remote")),
                        Duration.ofSeconds(5))).isPresent();
                assertThat(journal.window()).filteredOn(e -> EventType.CONNECTION_OPENED.is(e) && "seat-07".equals(e.deviceId()))
                        .singleElement().satisfies(e -> assertThat(e.fields()).containsEntry("device", "seat-07"));
                // The silent ones are closed at the deadline, and their places come back.
                assertThat(journal.await(e -> EventType.CONNECTION_CLOSED.is(e) && "idle".equals(e.fields().get("end")),
                        Duration.ofSeconds(5))).isPresent();
                Waits.until(() -> capped.openConnections() == 0, Duration.ofSeconds(5), "the idle connections closed");
                assertThat(capped.openConnections()).isZero();
            } finally {
                for (java.net.Socket s : held) {
                    s.close();
                }
            }
        }
    }

    /**
     * Where only 127.0.0.1 routes: a device's own door tells the endpoint whose connection it is, and the
     * endpoint's upstream socket is recorded in the peers while it is open (forgotten before it closes), so the
     * server can count it as the device's. A connection to the main port from 127.0.0.1 belongs to no device.
     */
    @Test
    void aDoorPerDeviceWhereOnlyLoopbackRoutesAndItsUpstreamRecordedWhileOpen() throws Exception {
        EndpointPeers peers = new EndpointPeers();
        try (DeviceEndpoint shared = DeviceEndpoint.start(journal, new java.net.InetSocketAddress("127.0.0.1", 0),
                Upstream.loopback("lab server", server.port()), DeviceAddresses.assume(false),
                new EndpointLimits(3, 2, Duration.ofSeconds(10)), peers)) {
            URI door = shared.door("seat-07");
            assertThat(door.getPort()).isNotEqualTo(shared.port()).isEqualTo(shared.door("seat-07").getPort());
            assertThat(shared.door("seat-08").getPort()).isNotIn(door.getPort(), shared.port());
            // Two of 127.0.0.1's own on the main port: it is other programs' address now, capped per address.
            List<java.net.Socket> held = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(connectFrom("127.0.0.1", shared.port()));
                }
                Waits.until(() -> shared.refusedConnections() >= 1, Duration.ofSeconds(5), "127.0.0.1's third refused");
                try (java.net.Socket plain = connectFrom("127.0.0.1", door.getPort());
                     javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) sslContext.getSocketFactory()
                             .createSocket(plain, "127.0.0.1", door.getPort(), true)) {
                    tls.setSoTimeout(10_000);
                    tls.getOutputStream().write("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    JournalEvent request = journal.await(e -> EventType.HTTP_REQUEST.is(e), Duration.ofSeconds(10))
                            .orElseThrow();
                    // Still open (keep-alive): the server's peer address is the endpoint's recorded socket.
                    java.net.InetSocketAddress peer = new java.net.InetSocketAddress(
                            String.valueOf(request.fields().get("remote")), ((Number) request.fields().get("remote_port")).intValue());
                    assertThat(peers.deviceAt(peer)).contains("seat-07");
                    assertThat(peers.deviceAt(new java.net.InetSocketAddress("127.0.0.1", held.get(0).getLocalPort())))
                            .isEmpty();
                }
                Waits.until(() -> peers.size() == 0, Duration.ofSeconds(10), "the upstream socket forgotten at close");
                assertThat(journal.window()).filteredOn(e -> EventType.CONNECTION_OPENED.is(e) && "seat-07".equals(e.deviceId()))
                        .singleElement().satisfies(e -> assertThat(e.fields()).containsEntry("device", "seat-07"));
                assertThat(journal.window()).filteredOn(e -> EventType.CONNECTION_REFUSED.is(e))
                        .extracting(e -> e.fields().get("remote")).containsOnly("127.0.0.1");
            } finally {
                for (java.net.Socket s : held) {
                    s.close();
                }
            }
        }
    }

    private static java.net.Socket connectFrom(String local, int port) throws IOException {
        java.net.Socket s = new java.net.Socket();
        s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(local), 0));
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }
}
