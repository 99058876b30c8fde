package org.secureota.workbench.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.session.SessionTestSupport.WAIT;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Prerequisites;
import org.secureota.workbench.firmware.OtaState;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.SessionExport;
import org.secureota.workbench.journal.SessionReport;
import org.secureota.workbench.network.CaptureExport;
import org.junit.jupiter.api.Tag;

/**
 * A session's pcapng export, read by Debian's tshark with nothing but the file: one board refuses a
 * rogue server, then updates from V1 to V2. tshark must decrypt the manifest and image requests with
 * the secrets inside the file, show the device's alert to the rogue server, and find no malformed
 * packet and no TCP analysis problem in the synthesised TCP.
 */
@Timeout(600)
@Tag("e2e")
class CaptureTsharkTest {

    @TempDir
    Path root;

    @Test
    void theCaptureOfARogueServerAndAnUpdateDecryptsWithTheFileAlone() throws Exception {
        SessionTestSupport.requireBoard();
        Prerequisites.require(tshark(), "tshark is not installed (Debian: apt-get install tshark; .ci/run installs it)");
        Path folder;
        try (LabSession session = LabSession.openAndWait(SessionTestSupport.options(root))) {
            folder = session.folder();
            LabDevice d = session.createVirtualDevice("cap-01", LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            d.model().await(SessionTestSupport::v1Running, WAIT, "V1 running");
            session.deploy(LabSessionDefaults.PRODUCT, "2.0.0").get(WAIT.toSeconds(), TimeUnit.SECONDS);

            long mark = session.journal().size();
            session.attacker().arm("rogue-server", Map.of());
            session.checkAll().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            JournalEvent refused = session.journal().awaitAfter(mark, e -> EventType.OTA_VERDICT.is(e)
                    && "cap-01".equals(e.deviceId()), WAIT).orElseThrow();
            assertThat(refused.fields().get("code")).isEqualTo("TLS_CERT_UNTRUSTED");
            session.attacker().disarm("rogue-server");

            session.checkAll().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            d.model().await(s -> "2.0.0".equals(s.version()) && s.runningState() == OtaState.VALID, WAIT,
                    "V2 confirmed");
        }
        Path keyLog = folder.resolve("cap-01").resolve(CaptureExport.KEY_LOG_FILE);
        assertThat(keyLog).exists();
        assertThat(Files.getPosixFilePermissions(keyLog)).containsOnly(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(folder.resolve("journal.jsonl"))).as("no secret in the journal")
                .doesNotContain(Files.readAllLines(keyLog).stream().filter(l -> l.startsWith("CLIENT_RANDOM"))
                        .map(l -> l.split(" ")[2]).findFirst().orElseThrow());

        SessionExport.writeReport(folder);
        assertThat(Files.readString(folder.resolve(SessionExport.REPORT_FILE))).as("the report links the capture")
                .contains("href=\"" + SessionReport.CAPTURE_FILE + "\"");

        Path pcap = root.resolve("session.pcapng");
        CaptureExport.Result r = CaptureExport.export(folder, pcap);
        String keep = System.getProperty("capture.out");  // to look at it by hand, or for docs/capture.md
        if (keep != null) {
            Files.copy(pcap, Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(r.unplaced()).as("every connection placed on its device").isZero();

        List<String> requests = tshark(pcap, "-Y", "http.request", "-T", "fields", "-e", "http.request.uri");
        assertThat(requests).anySatisfy(u -> assertThat(u).contains("manifest"))
                .anySatisfy(u -> assertThat(u).contains("2.0.0"));
        List<String> alerts = tshark(pcap, "-Y", "tls.alert_message", "-T", "fields", "-e", "ip.src", "-e",
                "tls.alert_message.desc");
        assertThat(alerts).as("the device's alert to the rogue server").anySatisfy(a -> assertThat(a).startsWith("10.0.1.1\t"));
        assertThat(tshark(pcap, "-Y", "ip.src == 10.0.3.1 && tls.handshake.type == 11"))
                .as("the attacker's own leg: the rogue server's certificate, endpoint to rogue").isNotEmpty();
        assertThat(tshark(pcap, "-Y", "_ws.malformed || (tcp.analysis.flags && !tcp.analysis.window_update)"))
                .as("malformed packets or TCP analysis problems").isEmpty();
    }

    @Test
    void aTamperedRecordShowsOnBothLegsAndTheTcpStaysClean() throws Exception {
        SessionTestSupport.requireBoard();
        Prerequisites.require(tshark(), "tshark is not installed (Debian: apt-get install tshark; .ci/run installs it)");
        Path folder;
        try (LabSession session = LabSession.openAndWait(SessionTestSupport.options(root))) {
            folder = session.folder();
            LabDevice d = session.createVirtualDevice("cap-02", LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            d.model().await(SessionTestSupport::v1Running, WAIT, "V1 running");
            session.deploy(LabSessionDefaults.PRODUCT, "2.0.0").get(WAIT.toSeconds(), TimeUnit.SECONDS);
            session.attacker().arm("tampered-record", Map.of("repeat", "once"));
            session.checkAll().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            d.model().await(s -> "2.0.0".equals(s.version()) && s.runningState() == OtaState.VALID, WAIT,
                    "V2 confirmed after the resume");
            session.attacker().disarm("tampered-record");
        }
        Path pcap = root.resolve("tampered.pcapng");
        CaptureExport.export(folder, pcap);
        assertThat(tshark(pcap, "-Y", "ip.addr == 10.0.0.2 && tls.record.content_type == 23"))
                .as("the attacker's leg to the lab server, with the records as the server sent them").isNotEmpty();
        assertThat(tshark(pcap, "-Y", "http.request.uri contains \"2.0.0\"", "-T", "fields", "-e", "ip.src"))
                .as("the image request, decrypted on both legs").contains("10.0.1.1", "10.0.0.1");
        assertThat(tshark(pcap, "-Y", "_ws.malformed || (tcp.analysis.flags && !tcp.analysis.window_update)"))
                .as("malformed packets or TCP analysis problems").isEmpty();
    }

    static boolean tshark() {
        try {
            return new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** tshark's output lines for {@code pcap}, with no preference but the defaults (no key log file). */
    static List<String> tshark(Path pcap, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark " + cmd).isZero();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
