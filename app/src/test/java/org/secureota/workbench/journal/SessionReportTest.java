package org.secureota.workbench.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class SessionReportTest {

    static final String HOSTILE = "<script>alert('x')</script>\u0000\u202Egnp.exe & <img src=x onerror=alert(1)>";

    @Test
    void hostileStringsFromADeviceAScriptAndASerialLineAreEscapedAndControlsMadeVisible(@TempDir Path lab) throws Exception {
        SessionLog log = SessionLog.create(lab.resolve("sessions"), Instant.parse("2026-11-30T10:00:00Z"));
        try (Journal journal = new Journal(log)) {
            journal.append(Source.SCENARIO, null, "scenario.started", "script", Map.of("title_en", HOSTILE,
                    "title_fr", HOSTILE, "summary_en", HOSTILE, "summary_fr", "ok"));
            journal.append(Source.SCENARIO, null, "scenario.step_started", "step 1", Map.of("step", 1,
                    "description", HOSTILE, "narration_en", HOSTILE, "narration_fr", HOSTILE));
            journal.append(Source.SERVER, "esp32-01", "device.report", HOSTILE, Map.of("event", "refused", "reason", HOSTILE));
            journal.append(Source.DEVICE, "esp32-01", SessionExport.SERIAL_RX, HOSTILE, Map.of());
            journal.append(Source.DEVICE, "esp32-01", "device.partitions", "slots", Map.of("slots", List.of(
                    Map.of("label", "app0", "slot", "ota_0", "offset", 65536, "size", 1310720, "state", "valid",
                            "running", true, "image", Map.of("valid", true, "version", HOSTILE)),
                    Map.of("label", "app1", "slot", "ota_1", "offset", 1376256, "size", 1310720, "state", "undefined",
                            "running", false, "image", Map.of("valid", false, "error", HOSTILE)))));
            journal.append(Source.SCENARIO, null, "scenario.expectation", "x", Map.of("step", 1, "description", HOSTILE,
                    "expected", HOSTILE, "seen", HOSTILE, "held", false));
            journal.append(Source.SCENARIO, null, "scenario.step_failed", "failed", Map.of("step", 1, "elapsed_ms", 5,
                    "reason", HOSTILE, "last_seen", HOSTILE));
            journal.append(Source.SCENARIO, null, "scenario.finished", "done", Map.of("result", "failed"));
        }
        log.close();

        SessionExport.writeReport(log.directory());
        String html = Files.readString(log.directory().resolve("report.html"));

        // Nothing hostile survives as markup: one <script>-free document, no event handler attribute.
        assertThat(html).doesNotContain("<script").doesNotContain("<img")
                .doesNotContain("\u0000").doesNotContain("\u202E");
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                .contains("<span class=\"esc\">\\u0000</span>").contains("<span class=\"esc\">\\u202E</span>")
                .contains("&lt;img src=x onerror=alert(1)&gt;");
        // The title, the step, the device report, the serial line and the flash map all went through escaping.
        assertThat(html.split("&lt;script&gt;", -1).length - 1).isGreaterThanOrEqualTo(8);
        // Self-contained: no external resource, and a print stylesheet for A4.
        assertThat(html).contains("@page{size:A4")
                .contains("<svg class=\"timeline\"").contains("<svg class=\"flash\"");
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void theReportShowsStepsTimelineLanesFlashMapsToScaleAndFigures(@TempDir Path lab) throws Exception {
        SessionLog log = SessionLog.create(lab.resolve("sessions"), Instant.parse("2026-11-30T11:00:00Z"));
        try (Journal journal = new Journal(log)) {
            journal.append(Source.SCENARIO, null, "scenario.started", "s", Map.of("title_en", "Lifecycle", "title_fr", "Cycle",
                    "summary_en", "V1 to V2", "summary_fr", "V1 vers V2"));
            journal.append(Source.SCENARIO, null, "scenario.step_started", "s1", Map.of("step", 1, "description", "check",
                    "narration_en", "The device checks", "narration_fr", "L'appareil vérifie"));
            journal.append(Source.DEVICE, "lab-01", "ota.progress", "p", Map.of("phase", "connect"));
            journal.append(Source.SERVER, "lab-01", "http.request", "GET", Map.of("path", "/firmware/shop-display-2.0.0.bin",
                    "bytes_written", 433888L, "status", 200));
            journal.append(Source.ATTACKER, null, "attacker.armed", "armed", Map.of("attack", "flipped-byte"));
            journal.append(Source.DEVICE, "lab-01", "ota.verdict", "v", Map.of("code", "UPDATED", "version", "2.0.0"));
            journal.append(Source.DEVICE, "lab-01", "device.app_state", "a", Map.of("slot", "ota_1", "state", "valid"));
            journal.append(Source.DEVICE, "lab-01", "device.partitions", "slots", Map.of("slots", List.of(
                    Map.of("label", "app0", "slot", "ota_0", "offset", 65536, "size", 1310720, "state", "valid",
                            "running", false, "image", Map.of("valid", true, "version", "1.0.0")),
                    Map.of("label", "app1", "slot", "ota_1", "offset", 1376256, "size", 1310720, "state", "valid",
                            "running", true, "image", Map.of("valid", true, "version", "2.0.0")))));
            journal.append(Source.SCENARIO, null, "scenario.step_passed", "ok", Map.of("step", 1, "elapsed_ms", 420));
            journal.append(Source.SCENARIO, null, "scenario.finished", "done", Map.of("result", "passed"));
        }
        log.close();
        SessionExport.writeReport(log.directory());
        String html = Files.readString(log.directory().resolve("report.html"));
        assertThat(html).contains("<h1>Lifecycle</h1>").contains("Result: <b>PASSED</b>")
                .contains("The device checks").contains("L&#39;appareil vérifie").contains("passed (420 ms)");
        for (String lane : List.of(">server<", ">network<", ">attacker<", ">device lab-01<", ">scenario<")) {
            assertThat(html).as("lane " + lane).contains(lane);
        }
        // app1 at 0x150000 of 4 MiB, 1.25 MiB long: x = 328.1, width = 312.5 of 1000.
        assertThat(html).contains("<rect x=\"328.1\" y=\"5\" width=\"312.5\" height=\"40\" class=\"slot valid running\">");
        assertThat(html).contains("<td>image bytes served</td><td>433888</td>").contains("<h3>Updates</h3>")
                .contains("flipped-byte");
    }

    @Test
    void aWeakenedDeviceIsMarkedLoudlyAndTheSecureOneIsNot(@TempDir Path lab) throws Exception {
        SessionLog log = SessionLog.create(lab.resolve("sessions"), Instant.parse("2026-12-07T10:00:00Z"));
        try (Journal journal = new Journal(log)) {
            journal.append(Source.DEVICE, "lab-secure", "board.factory", "flash written", Map.of("flash", "a.bin",
                    "app", "v1_base.bin", "layout", "arduino", "provisioned", true, "variant", "secure"));
            journal.append(Source.DEVICE, "lab-naive", "board.factory", "WEAKENED FIRMWARE naive", Map.of("flash", "b.bin",
                    "app", "profiles/naive/v1_base.bin", "layout", "arduino", "provisioned", true, "variant", "naive"));
            journal.append(Source.DEVICE, "lab-naive", "device.boot", "boot", Map.of("slot", "ota_0", "version", "1.0.0",
                    "profile", "naive", "missing_defences", "no pinning, no signature, no hash"));
            journal.append(Source.DEVICE, "lab-secure", "device.boot", "boot", Map.of("slot", "ota_0", "version", "1.0.0",
                    "profile", "secure"));
            journal.append(Source.DEVICE, "lab-naive", "device.error", "BRICKED", Map.of("code", "BRICKED",
                    "message", "self-test failed and this image was marked valid before it ran (no rollback): it boots again"));
            for (String id : List.of("lab-naive", "lab-secure")) {
                journal.append(Source.DEVICE, id, "device.partitions", "slots", Map.of("slots", List.of(
                        Map.of("label", "app0", "slot", "ota_0", "offset", 65536, "size", 1310720, "state", "valid",
                                "running", true, "image", Map.of("valid", true, "version", "1.0.0")))));
            }
        }
        log.close();

        SessionExport.writeReport(log.directory());
        String html = Files.readString(log.directory().resolve("report.html"));
        String section = html.substring(html.indexOf("<div class=\"weakened\">"), html.indexOf("</div>", html.indexOf("<div class=\"weakened\">")));
        assertThat(section).contains("Weakened firmware in this session")
                .contains("<li><b>lab-naive</b>: WEAKENED FIRMWARE <b>NAIVE</b> (no pinning, no signature, no hash)</li>")
                .doesNotContain("lab-secure");
        assertThat(html)
                .contains("<h3>lab-secure</h3>").doesNotContain("lab-secure <span");
        assertThat(html).contains("<h3>lab-naive <span class=\"weakened-badge\">WEAKENED FIRMWARE NAIVE</span>"
                + " <span class=\"bricked-badge\">BRICKED: boots a failed image again and again (no rollback)</span></h3>");
    }

    @Test
    void aSessionWithOnlySecureDevicesHasNoWeakenedSection(@TempDir Path lab) throws Exception {
        SessionLog log = SessionLog.create(lab.resolve("sessions"), Instant.parse("2026-12-07T10:00:00Z"));
        try (Journal journal = new Journal(log)) {
            journal.append(Source.DEVICE, "lab-secure", "board.factory", "flash written", Map.of("flash", "a.bin",
                    "app", "v1_base.bin", "layout", "arduino", "provisioned", true, "variant", "secure"));
        }
        log.close();
        SessionExport.writeReport(log.directory());
        assertThat(Files.readString(log.directory().resolve("report.html"))).doesNotContain("WEAKENED")
                .doesNotContain("class=\"weakened\"");
    }
}
