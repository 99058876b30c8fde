package org.secureota.workbench.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.session.SessionTestSupport.WAIT;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.firmware.OtaState;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.network.EndpointLimits;
import org.junit.jupiter.api.Tag;

/**
 * Issue 27: no limit locks a genuine device out. A script on another loopback address floods the lab
 * (wrong keys naming the device, random device ids, keyless downloads, idle connections to the server
 * and to the endpoint) while a real virtual device updates; and 3,000 idle connections to the endpoint
 * stay within its documented caps while a device's check still succeeds.
 */
@Timeout(600)
@Tag("e2e")
class LabFloodTest {

    static final String FLOODER = "127.0.2.1";

    @TempDir
    Path root;

    @Test
    void aFloodFromAnotherAddressNeitherStopsAGenuineUpdateNorGoesUnnoticed() throws Exception {
        SessionTestSupport.requireBoard();
        try (LabSession session = LabSession.openAndWait(SessionTestSupport.options(root))) {
            LabDevice device = LabSession.join(session.createVirtualDevice("seat-01", LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1()));
            device.model().await(SessionTestSupport::v1Running, WAIT, "V1 running");
            SSLContext tls = labTls(session);
            int serverPort = session.server().port();
            int endpointPort = session.endpoint().port();

            // Idle sockets first: more than the server's 16 per address, to the server and to the endpoint.
            List<Socket> idle = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                idle.add(rawConnect(FLOODER, serverPort));
                idle.add(rawConnect(FLOODER, endpointPort));
            }
            AtomicBoolean flooding = new AtomicBoolean(true);
            ConcurrentHashMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            ExecutorService flood = Executors.newFixedThreadPool(3);
            SecureRandom random = new SecureRandom();
            List<CompletableFuture<Void>> floods = List.of(
                    // Wrong keys naming the genuine device.
                    CompletableFuture.runAsync(() -> loop(flooding, 40, statuses, i -> request(tls, serverPort,
                            "/api/v1/manifest?product=" + LabSessionDefaults.PRODUCT + "&device=seat-01&current=1.0.0",
                            "bad-key-" + i)), flood),
                    // Random device ids.
                    CompletableFuture.runAsync(() -> loop(flooding, 150, statuses, i -> request(tls, serverPort,
                            "/api/v1/manifest?device=guess-" + random.nextInt(1_000_000) + "&current=1.0.0", "bad")),
                            flood),
                    // Downloads with a wrong key (they name no device: id '*').
                    CompletableFuture.runAsync(() -> loop(flooding, 30, statuses, i -> request(tls, serverPort,
                            "/firmware/" + LabSessionDefaults.PRODUCT + "-2.0.0.bin", "bad-" + i)), flood));

            long mark = session.journal().size();
            LabSession.join(session.deploy(LabSessionDefaults.PRODUCT, "2.0.0"));
            // Let the flood reach its limits before the genuine check, then check while it goes on.
            session.journal().awaitAfter(mark, e -> EventType.SERVER_AUTH_THROTTLED.is(e)
                    && "address".equals(e.fields().get("limited")), WAIT);
            device.check().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            device.model().await(s -> "2.0.0".equals(s.version()) && s.runningState() == OtaState.VALID, WAIT,
                    "V2 confirmed on seat-01 during the flood");
            flooding.set(false);
            CompletableFuture.allOf(floods.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            flood.shutdownNow();
            System.out.println("flood: statuses seen by the flooder " + statuses);

            List<JournalEvent> verdicts = session.journal().events(EventType.OTA_VERDICT, "seat-01", mark);
            assertThat(verdicts).extracting(e -> e.fields().get("code")).containsExactly("UPDATED");
            assertThat(statuses).containsKey(429);
            // The alerts: per (address, claimed id) and per address, with the flooder's address.
            List<JournalEvent> alerts = session.journal().events(EventType.SERVER_AUTH_THROTTLED, null, mark);
            assertThat(alerts).allSatisfy(e -> assertThat(e.fields().get("remote")).isEqualTo(FLOODER));
            assertThat(alerts).anySatisfy(e -> assertThat(e.fields().get("limited")).isEqualTo("address"));
            // The device never got a 429 (nor a refused connection), from its own address.
            String deviceAddress = session.addresses().assign("seat-01").orElseThrow().getHostAddress();
            List<JournalEvent> deviceRequests = session.journal().events(EventType.HTTP_REQUEST, null, mark).stream()
                    .filter(e -> deviceAddress.equals(e.fields().get("remote"))).toList();
            assertThat(deviceRequests).isNotEmpty().allSatisfy(e -> assertThat(((Number) e.fields().get("status"))
                    .intValue()).isLessThan(400));
            assertThat(session.journal().events(EventType.SERVER_CONNECTION_LIMIT, null, mark))
                    .allSatisfy(e -> assertThat(e.fields().get("remote")).isEqualTo(FLOODER));
            // The idle sockets are closed at the deadlines (endpoint: nothing sent; server: no request).
            assertThat(session.journal().awaitAfter(mark, e -> EventType.CONNECTION_CLOSED.is(e)
                    && "idle".equals(e.fields().get("end")), Duration.ofSeconds(30))).isPresent();
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void threeThousandIdleConnectionsStayWithinTheEndpointsCapsAndADeviceStillUpdates() throws Exception {
        SessionTestSupport.requireBoard();
        try (LabSession session = LabSession.openAndWait(SessionTestSupport.options(root))) {
            LabDevice device = LabSession.join(session.createVirtualDevice("seat-02", LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1()));
            device.model().await(SessionTestSupport::v1Running, WAIT, "V1 running");
            EndpointLimits limits = session.endpoint().limits();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            long endpointThreadsBefore = endpointThreads();
            long rssBefore = rssKiB();
            int port = session.endpoint().port();
            List<Socket> held = new ArrayList<>();
            long started = System.nanoTime();
            try {
                // 3,000 from 100 addresses that are not devices: 30 each, under the per-address cap, so the
                // cap for others is what holds them.
                int resetAtConnect = 0;
                for (int a = 1; a <= 100; a++) {
                    for (int i = 0; i < 30; i++) {
                        try {
                            held.add(rawConnect("127.0.3." + a, port));
                        } catch (IOException refusedAtOnce) {
                            resetAtConnect++; // the endpoint closed it before connect() returned
                        }
                    }
                }
                System.out.println("3,000 idle connections: " + resetAtConnect + " reset before connect() returned");
                Thread.sleep(1_000); // not a wait: the threads settle before they are counted (a measure)
                int threadsDuring = ManagementFactory.getThreadMXBean().getThreadCount();
                long endpointThreadsDuring = endpointThreads();
                long rssDuring = rssKiB();
                System.out.printf("3,000 idle connections in %d ms: endpoint holds %d, refused %d; threads %d -> %d;"
                        + " endpoint threads %d -> %d; RSS %d -> %d MiB%n", (System.nanoTime() - started) / 1_000_000,
                        session.endpoint().openConnections(), session.endpoint().refusedConnections(), threadsBefore,
                        threadsDuring, endpointThreadsBefore, endpointThreadsDuring, rssBefore / 1024, rssDuring / 1024);
                assertThat(session.endpoint().openConnections()).isLessThanOrEqualTo(limits.maxOthers());
                assertThat(session.endpoint().refusedConnections()).isGreaterThanOrEqualTo(3_000 - limits.maxOthers());
                // The documented budget: two threads per held connection, one accepting.
                assertThat(endpointThreadsDuring).isLessThanOrEqualTo(2L * limits.maxOthers() + 2L * limits.maxPerAddress() + 1);
                assertThat(threadsDuring - threadsBefore).as("all threads of the JVM").isLessThan(2 * limits.maxOthers() + 200);
                assertThat(rssDuring - rssBefore).as("RSS growth, KiB").isLessThan(256 * 1024);

                long mark = session.journal().size();
                LabSession.join(session.deploy(LabSessionDefaults.PRODUCT, "2.0.0"));
                device.check().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                device.model().await(s -> "2.0.0".equals(s.version()) && s.runningState() == OtaState.VALID, WAIT,
                        "V2 confirmed on seat-02 while 3,000 connections were tried");
                assertThat(session.journal().events(EventType.OTA_VERDICT, "seat-02", mark))
                        .extracting(e -> e.fields().get("code")).containsExactly("UPDATED");
                assertThat(session.journal().events(EventType.CONNECTION_REFUSED, null, 0)).isNotEmpty()
                        .allSatisfy(e -> assertThat(String.valueOf(e.fields().get("remote"))).startsWith("127.0.3."));
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    interface Attempt {
        int run(int i) throws Exception;
    }

    /**
     * Until {@code max} requests were answered (or the flood is told to stop): while the server refuses the
     * flooder's connections (its idle sockets hold its 16 until the 10 s deadline), it keeps trying.
     */
    private static void loop(AtomicBoolean go, int max, Map<Integer, AtomicInteger> statuses, Attempt attempt) {
        for (int i = 0, answered = 0; answered < max && go.get(); i++) {
            int status;
            try {
                status = attempt.run(i);
            } catch (Exception refusedOrReset) {
                status = -1;
            }
            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            if (status > 0) {
                answered++;
            } else {
                try {
                    Thread.sleep(100); // not a wait: the flood's pause between refused attempts
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static SSLContext labTls(LabSession session) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(session.pki().trustStore());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    /** One HTTPS GET from the flooder's address with {@code key}: the status, or -1 without an answer. */
    private static int request(SSLContext tls, int port, String path, String key) {
        try (Socket plain = rawConnect(FLOODER, port);
             SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + key
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] head = s.getInputStream().readNBytes(12);
            String line = new String(head, StandardCharsets.US_ASCII);
            return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static Socket rawConnect(String local, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }

    /** Live threads of the device endpoint (idle pool threads included). */
    private static long endpointThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("device-endpoint-"))
                .count();
    }

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
