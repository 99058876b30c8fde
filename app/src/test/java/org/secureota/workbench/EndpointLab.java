package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.secureota.workbench.device.Device;
import org.secureota.workbench.device.DeviceCommand;
import org.secureota.workbench.device.DeviceEvents;
import org.secureota.workbench.device.DeviceLink;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.FactoryData;
import org.secureota.workbench.device.FlashLayout;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.lab.Lab;
import org.secureota.workbench.network.DeviceEndpoint;
import org.secureota.workbench.network.LabTimeServer;
import org.secureota.workbench.network.Upstream;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PkiFile;
import org.secureota.workbench.server.OtaServer;
import org.secureota.workbench.server.ServerIdentity;
import org.secureota.workbench.server.ServerState;

/**
 * The attack tests' lab, wired part by part with the device endpoint in front of the server (kept
 * apart from the session-based {@link OtaLab} when issues 10 and 11 met on branch issue-12-scenario;
 * to be folded into the lab session). A whole lab on the real parts: a temporary lab with
 * its PKI, the real OTA server on an ephemeral loopback port, the lab time source, and virtual
 * ESP32 boards running the real firmware, each reached over its pty with a {@link DeviceLink}.
 * Everything it starts is stopped by {@link #close()}.
 */
final class EndpointLab implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    static final String PRODUCT = "shop-display";
    /** Generous: a whole update takes a second or two, but CI machines are shared and slow. */
    static final Duration WAIT = Duration.ofSeconds(90);

    final Lab lab;
    final LabPki pki;
    final ServerState state;
    final Journal journal = new Journal();
    final LabTimeServer time;
    OtaServer server;
    /** Where devices are provisioned to connect: the network path, in front of the server. */
    final DeviceEndpoint endpoint;
    private final List<AutoCloseable> devices = new ArrayList<>();

    EndpointLab(Path root) throws IOException {
        lab = new Lab(root);
        pki = new LabPki(lab.certs());
        pki.init(false, new HostIdentity(List.of("localhost"), List.of("127.0.0.1")), Clock.systemUTC());
        state = ServerState.of(lab);
        time = LabTimeServer.start(journal);
        server = OtaServer.builder(lab, journal).port(0).start();
        endpoint = DeviceEndpoint.start(journal, Upstream.loopback("lab server", server.port()));
    }

    static boolean boardBuilt() {
        return VirtualEsp32.isBuilt(ROOT);
    }

    Path buildImage(String name) {
        return ROOT.resolve(VirtualEsp32.IMAGES).resolve(name + ".bin");
    }

    Release publish(Path image) {
        return state.releases().publish(image, PRODUCT, pki.signingKey(), Duration.ofDays(30), Clock.systemUTC());
    }

    Release publishBuilt(String name) {
        return publish(buildImage(name));
    }

    /** Stops the lab server and starts the attacker's look-alike on the same port (same names, another CA). */
    void replaceServerWithRogue() throws IOException {
        int port = server.port();
        server.close();
        server = OtaServer.builder(state, journal).identity(ServerIdentity.rogue(pki)).port(port).start();
    }

    /** A provisioned board, factory-fresh with V1, powered on and connected; waits for its first report. */
    Board board(String id) throws Exception {
        return board(id, endpoint.url().toString());
    }

    /** A board provisioned with {@code serverUrl} (the endpoint's, or the server's own to bypass the network path). */
    Board board(String id, String serverUrl) throws Exception {
        String apiKey = state.provision(id, PRODUCT);
        FactoryData data = new FactoryData(id, PRODUCT, serverUrl, apiKey,
                Files.readString(pki.path(PkiFile.CA_CERT), StandardCharsets.US_ASCII),
                Files.readString(pki.path(PkiFile.SIGNING_PUB), StandardCharsets.US_ASCII));
        Path dir = Files.createDirectories(lab.devices().resolve(id));
        Path factoryData = dir.resolve("factory.bin");
        Files.write(factoryData, data.partitionImage(FactoryData.PARTITION_SIZE));
        Path flash = dir.resolve("flash.bin");
        VirtualEsp32 esp = new VirtualEsp32(ROOT, journal, id).sntpServer(time.hostPort());
        devices.add(esp);
        esp.factory(flash, buildImage("v1_base"), FlashLayout.DEFAULT, factoryData);
        esp.start(flash, dir.resolve("tty"));
        Device device = new Device(id);
        DeviceLink link = DeviceLink.open(dir.resolve("tty").toString(), device, journal);
        devices.add(link);
        Board b = new Board(id, esp, device, link);
        device.await(s -> "1.0.0".equals(s.version()) && "valid".equals(s.runningState()) && !s.slots().isEmpty(),
                WAIT, "V1 running and reported");
        return b;
    }

    /** One virtual board and the workbench's view of it. */
    final class Board {
        final String id;
        final VirtualEsp32 esp;
        final Device device;
        final DeviceLink link;

        Board(String id, VirtualEsp32 esp, Device device, DeviceLink link) {
            this.id = id;
            this.esp = esp;
            this.device = device;
            this.link = link;
        }

        long mark() {
            return journal.size();
        }

        /** Stops this board and its link (the lab stops whatever is left at its close). */
        void close() throws Exception {
            link.close();
            esp.close();
            devices.remove(link);
            devices.remove(esp);
        }

        /** Sends {@code check} and returns the verdict event of that attempt. */
        JournalEvent check() throws InterruptedException {
            long mark = mark();
            link.send(DeviceCommand.CHECK);
            return awaitDevice(mark, DeviceEvents.OTA_VERDICT, e -> true, "OTA verdict");
        }

        /** Waits for a new boot (not a status report) after {@code mark} that satisfies {@code condition}. */
        JournalEvent awaitBoot(long mark, Predicate<JournalEvent> condition, String what) throws InterruptedException {
            return awaitDevice(mark, DeviceEvents.BOOT,
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
            link.send(DeviceCommand.STATUS);
            awaitDevice(mark, DeviceEvents.PARTITIONS, e -> true, "partitions report");
            awaitDevice(mark, DeviceEvents.LED, e -> true, "end of the status report");
            return device.snapshot();
        }

        /** Software restart; returns the next boot event. */
        JournalEvent reboot() throws InterruptedException {
            long mark = mark();
            link.send(DeviceCommand.REBOOT);
            return awaitBoot(mark, e -> true, "boot after reboot");
        }
    }

    JournalEvent await(long mark, Predicate<JournalEvent> condition, String what) throws InterruptedException {
        return journal.awaitAfter(mark, condition, WAIT).orElseThrow(() -> new AssertionError("no " + what
                + " within " + WAIT + "; last events:\n" + tail(60)));
    }

    String tail(int n) {
        List<JournalEvent> all = journal.snapshot();
        StringBuilder s = new StringBuilder();
        for (JournalEvent e : all.subList(Math.max(0, all.size() - n), all.size())) {
            s.append("  #").append(e.seq()).append(' ').append(e.source().wireName()).append(' ')
                    .append(e.deviceId()).append(' ').append(e.type()).append(": ").append(e.message()).append('\n');
        }
        return s.toString();
    }

    List<JournalEvent> after(long mark, Predicate<JournalEvent> condition) {
        return journal.snapshot().stream().filter(e -> e.seq() > mark).filter(condition).toList();
    }

    static void assertCode(JournalEvent verdict, String code) {
        assertThat(verdict.field("code")).as("verdict %s", verdict.message()).hasValue(code);
    }

    @Override
    public void close() {
        for (int i = devices.size() - 1; i >= 0; i--) {
            try {
                devices.get(i).close();
            } catch (Exception ignored) {
                // keep stopping the rest
            }
        }
        endpoint.close();
        if (server != null) {
            server.close();
        }
        time.close();
        journal.close();
    }
}
