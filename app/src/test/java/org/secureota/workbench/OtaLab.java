package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.secureota.workbench.device.Device;
import org.secureota.workbench.device.SerialCommand;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.FactoryData;
import org.secureota.workbench.device.FlashLayout;
import org.secureota.workbench.device.TelemetryCodec;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.firmware.OtaState;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.network.DeviceEndpoint;
import org.secureota.workbench.network.LabTimeServer;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PkiFile;
import org.secureota.workbench.pki.ProductKeys;
import org.secureota.workbench.server.OtaServer;
import org.secureota.workbench.server.ServerIdentity;
import org.secureota.workbench.server.ServerState;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.session.VirtualDeviceOptions;
import org.secureota.workbench.journal.EventType;

/**
 * A thin test helper over {@link LabSession} for the acceptance tests and the benchmark: a session
 * in a temporary lab (its PKI, the real OTA server on an ephemeral loopback port, the lab time
 * source, virtual ESP32 boards running the real firmware), plus the journal waits the tests share.
 * Everything is stopped by {@link #close()}, which closes the session.
 */
final class OtaLab implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    static final String PRODUCT = "shop-display";
    /** Generous: a whole update takes a second or two, but CI machines are shared and slow. */
    static final Duration WAIT = Duration.ofSeconds(90);

    final LabSession session;
    final LabFolder lab;
    final LabPki pki;
    final ServerState state;
    final Journal journal;
    final LabTimeServer time;
    OtaServer server;
    /** Where the session's devices connect: the network path in front of the server. */
    final DeviceEndpoint endpoint;
    private OtaServer rogue;

    OtaLab(Path root) {
        session = LabSession.openAndWait(SessionSetup.defaults(new LabFolder(root)).withProjectRoot(ROOT)
                .withPublishBuiltReleases(false));
        lab = session.lab();
        pki = session.pki();
        state = session.serverState();
        journal = session.journal();
        time = session.timeSource();
        server = session.server();
        endpoint = session.endpoint();
    }

    static boolean boardBuilt() {
        return VirtualEsp32.isBuilt(ROOT);
    }

    Path buildImage(String name) {
        return ROOT.resolve(VirtualEsp32.IMAGES).resolve(name + ".bin");
    }

    Release publish(Path image) {
        return session.publish(image, PRODUCT).join();
    }

    Release publishBuilt(String name) {
        return publish(buildImage(name));
    }

    /** Publishes {@code image} encrypted for the product's decryption key (made first, of {@code type}, if missing). */
    Release publishEncrypted(Path image, ProductKeys.KeyType type) throws IOException {
        ProductKeys keys = new ProductKeys(lab.certs());
        if (!keys.exists(PRODUCT)) {
            keys.create(PRODUCT, type, false);
        }
        return state.releases().publish(image, PRODUCT, pki.signingKey(), Duration.ofDays(30), Clock.systemUTC(), false,
                keys.publicKey(PRODUCT));
    }

    /** The product's decryption private key as factory data carries it (tag 7), PKCS#8 PEM. */
    String productDecryptionKeyPem() throws IOException {
        return Files.readString(new ProductKeys(lab.certs()).privateKeyFile(PRODUCT), StandardCharsets.US_ASCII);
    }

    /** Stops the lab server and starts the attacker's look-alike on the same port (same names, another CA). */
    void replaceServerWithRogue() throws IOException {
        int port = server.port();
        server.close();
        rogue = OtaServer.builder(state, journal).identity(ServerIdentity.rogue(pki)).port(port).start();
        server = rogue;
    }

    /** A provisioned board, factory-fresh with V1, powered on and connected; waits for its first report. */
    Board board(String id) throws Exception {
        LabDevice d = session.createVirtualDevice(id, PRODUCT, VirtualDeviceOptions.factoryFreshV1())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        d.model().await(s -> "1.0.0".equals(s.version()) && s.runningState() == OtaState.VALID && !s.slots().isEmpty(),
                WAIT, "V1 running and reported");
        return new Board(d);
    }

    /**
     * A factory-fresh V1 board provisioned with {@code serverUrl} instead of the session's device URL (the
     * benchmark's direct path to the server, bypassing the endpoint).
     */
    Board board(String id, String serverUrl) throws Exception {
        if (serverUrl.equals(session.deviceUrl())) {
            return board(id);
        }
        return board(id, serverUrl, null);
    }

    /** A factory-fresh V1 board on the session's device URL with this decryption key (null: none) in its factory data. */
    Board boardWithKey(String id, String decryptionKeyPem) throws Exception {
        return board(id, session.deviceUrl(), decryptionKeyPem);
    }

    private Board board(String id, String serverUrl, String decryptionKeyPem) throws Exception {
        String apiKey = state.provision(id, PRODUCT);
        FactoryData data = new FactoryData(id, PRODUCT, serverUrl, apiKey,
                Files.readString(pki.path(PkiFile.CA_CERT), StandardCharsets.US_ASCII),
                Files.readString(pki.path(PkiFile.SIGNING_PUB), StandardCharsets.US_ASCII), decryptionKeyPem);
        Path dir = Files.createDirectories(lab.devices().resolve(id));
        Path factoryData = dir.resolve("factory.bin");
        Files.write(factoryData, data.partitionImage(FactoryData.PARTITION_SIZE));
        LabDevice d = session.runVirtualBoard(id, PRODUCT, dir.resolve("flash.bin"), dir.resolve("tty"),
                FlashLayout.DEFAULT, buildImage("v1_base"), factoryData).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        d.model().await(s -> "1.0.0".equals(s.version()) && s.runningState() == OtaState.VALID && !s.slots().isEmpty(),
                WAIT, "V1 running and reported");
        return new Board(d);
    }

    /** One virtual board of the session and the journal waits on it. */
    final class Board {
        final String id;
        final LabDevice handle;
        final Device device;

        Board(LabDevice handle) {
            this.id = handle.id();
            this.handle = handle;
            this.device = handle.model();
        }

        long mark() {
            return journal.size();
        }

        /** Stops this board and removes it from the session. */
        void close() throws Exception {
            session.removeDevice(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        /** Sends {@code check} and returns the verdict event of that attempt. */
        JournalEvent check() throws InterruptedException {
            long mark = mark();
            handle.check().join();
            return awaitDevice(mark, EventType.OTA_VERDICT.wireName(), e -> true, "OTA verdict");
        }

        /** Waits for a new boot (not a status report) after {@code mark} that satisfies {@code condition}. */
        JournalEvent awaitBoot(long mark, Predicate<JournalEvent> condition, String what) throws InterruptedException {
            return awaitDevice(mark, EventType.DEVICE_BOOT.wireName(),
                    e -> Boolean.FALSE.equals(e.fields().get("status_report")) && condition.test(e), what);
        }

        JournalEvent awaitDevice(long mark, String type, Predicate<JournalEvent> condition, String what)
                throws InterruptedException {
            return await(mark, e -> e.type().equals(type) && id.equals(e.deviceId()) && condition.test(e),
                    what + " (" + type + ") from " + id);
        }

        /** Asks for a full report and returns the model once its {@code partitions} part has arrived. */
        DeviceSnapshot status() throws InterruptedException, TimeoutException {
            long mark = mark();
            handle.status().join();
            awaitDevice(mark, EventType.DEVICE_PARTITIONS.wireName(), e -> true, "partitions report");
            awaitDevice(mark, EventType.DEVICE_LED.wireName(), e -> true, "end of the status report");
            return device.snapshot();
        }

        /** Software restart; returns the next boot event. */
        JournalEvent reboot() throws InterruptedException {
            long mark = mark();
            handle.send(new TelemetryCodec().encode(SerialCommand.REBOOT)).join();
            return awaitBoot(mark, e -> true, "boot after reboot");
        }
    }

    JournalEvent await(long mark, Predicate<JournalEvent> condition, String what) throws InterruptedException {
        return journal.awaitAfter(mark, condition, WAIT).orElseThrow(() -> new AssertionError("no " + what
                + " within " + WAIT + "; last events:\n" + tail(60)));
    }

    String tail(int n) {
        List<JournalEvent> all = journal.window();
        StringBuilder s = new StringBuilder();
        for (JournalEvent e : all.subList(Math.max(0, all.size() - n), all.size())) {
            s.append("  #").append(e.seq()).append(' ').append(e.source().wireName()).append(' ')
                    .append(e.deviceId()).append(' ').append(e.type()).append(": ").append(e.message()).append('\n');
        }
        return s.toString();
    }

    List<JournalEvent> after(long mark, Predicate<JournalEvent> condition) {
        return journal.read(mark + 1, Long.MAX_VALUE).stream().filter(condition).toList();
    }

    static void assertCode(JournalEvent verdict, String code) {
        assertThat(verdict.field("code")).as("verdict %s", verdict.message()).hasValue(code);
    }

    @Override
    public void close() {
        if (rogue != null) {
            rogue.close();
        }
        session.close();
    }
}
