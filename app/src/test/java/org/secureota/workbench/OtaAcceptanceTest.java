package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.Prerequisites.require;
import static org.secureota.workbench.OtaLab.assertCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.SlotReport;
import org.secureota.workbench.device.TelemetryLine;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.secureota.workbench.network.LabTimeServer;
import org.secureota.workbench.network.Upstream;
import org.secureota.workbench.firmware.OtaState;
import org.junit.jupiter.api.Tag;
import org.secureota.workbench.journal.EventType;

/**
 * The seed's story on the real parts, end to end: the real OTA server (Jetty, the lab's TLS
 * certificate, the release store on disk), the lab time source (SNTP over UDP), and the virtual ESP32
 * running the real C++ firmware, driven only through its serial telemetry. Nothing is mocked.
 * Assertions are on verdict codes and structured fields (docs/telemetry.md), never on message text.
 * Needs esp32-firmware/build/virtual-esp32 (esp32-firmware/host-build.sh, or mvn package).
 */
@Timeout(400)
@Tag("e2e")
class OtaAcceptanceTest {

    @TempDir
    Path root;

    OtaLab lab;

    @BeforeEach
    void labWithV2AndV3Published() throws Exception {
        require(OtaLab.boardBuilt(), "the virtual ESP32 is not built (" + OtaLab.ROOT.resolve(
                "esp32-firmware/build/virtual-esp32") + " is missing): run esp32-firmware/host-build.sh"
                + " (or mvn package) to include the OTA acceptance tests");
        lab = new OtaLab(root);
        lab.publishBuilt("v2_promo");
        lab.publishBuilt("v3_liquid");
    }

    @AfterEach
    void stopEverything() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void v1UpdatesItselfToV2ThenV3AndConfirmsEach() throws Exception {
        OtaLab.Board board = lab.board("esp32-lab-01");

        updateAndConfirm(board, "2.0.0", "ota_1");
        updateAndConfirm(board, "3.0.0", "ota_0");

        // The device took its time from the lab's time source, not from the host clock.
        assertThat(lab.journal.read(1, lab.journal.size())).filteredOn(e -> e.type().equals(LabTimeServer.QUERY_EVENT))
                .isNotEmpty().allSatisfy(e -> assertThat(e.source()).isEqualTo(Source.NETWORK));
        // And the server heard about both installations.
        assertThat(lab.after(0, e -> e.type().equals("device.report") && "esp32-lab-01".equals(e.deviceId())))
                .extracting(e -> e.fields().get("event") + " " + e.fields().get("version"))
                .containsExactly("installed 2.0.0", "installed 3.0.0");
        // Every line the device sent was valid telemetry.
        assertThat(lab.journal.read(1, lab.journal.size())).filteredOn(e -> e.type().equals(EventType.DEVICE_TELEMETRY_WARNING.wireName())).isEmpty();
    }

    private void updateAndConfirm(OtaLab.Board board, String version, String targetSlot) throws Exception {
        lab.server.deploy(OtaLab.PRODUCT, version);
        long mark = board.mark();
        JournalEvent verdict = board.check();
        assertCode(verdict, "UPDATED");
        assertThat(verdict.field("version")).hasValue(version);

        JournalEvent boot = board.awaitBoot(mark, e -> version.equals(e.fields().get("version")), "boot of " + version);
        // One full handshake per check (the manifest's); the image and report connections resume its session.
        assertThat(lab.after(mark, e -> EventType.OTA_TLS.is(e) && board.id.equals(e.deviceId()) && e.seq() < boot.seq()))
                .extracting(e -> e.fields().get("for") + " " + e.fields().get("resumed"))
                .containsExactly("manifest false", "image true", "report true");
        assertThat(boot.fields()).containsEntry("slot", targetSlot).containsEntry("reset_reason", "sw")
                .containsEntry("state", "pending_verify");
        JournalEvent selfTest = board.awaitDevice(boot.seq(), EventType.DEVICE_SELFTEST.wireName(), e -> true, "self-test");
        assertThat(selfTest.fields()).containsEntry("passed", true);
        JournalEvent confirmed = board.awaitDevice(boot.seq(), EventType.DEVICE_APP_STATE.wireName(), e -> true, "confirmation");
        assertThat(confirmed.fields()).containsEntry("slot", targetSlot).containsEntry("state", "valid");

        DeviceSnapshot s = board.status();
        assertThat(s.version()).isEqualTo(version);
        assertThat(s.runningSlot()).isEqualTo(targetSlot);
        assertThat(s.runningState()).isEqualTo(OtaState.VALID);
        SlotReport running = s.slot(targetSlot).orElseThrow();
        assertThat(running.running()).isTrue();
        assertThat(running.nextBoot()).isTrue();
        assertThat(running.state()).isEqualTo(OtaState.VALID);
        assertThat(running.image().valid()).isTrue();
        assertThat(running.image().version()).isEqualTo(version);
        // The otadata entry with the highest sequence number is the one the bootloader follows: VALID.
        TelemetryLine.OtaDataRow active = s.otadata().stream().filter(TelemetryLine.OtaDataRow::valid)
                .max((a, b) -> Long.compare(a.seq(), b.seq())).orElseThrow();
        assertThat(active.state()).isEqualTo(OtaState.VALID);
        assertThat(active.crcOk()).isTrue();
        assertThat("ota_" + (active.seq() - 1) % 2).as("slot selected by seq %s", active.seq()).isEqualTo(targetSlot);
    }

    @Test
    void rogueServerIsRefusedBeforeOneByteOfImageIsRequested() throws Exception {
        lab.server.deploy(OtaLab.PRODUCT, "2.0.0");
        OtaLab.Board board = lab.board("esp32-lab-02");
        lab.replaceServerWithRogue();
        long rogueStarted = lab.journal.size();

        JournalEvent verdict = board.check();
        assertCode(verdict, "TLS_CERT_UNTRUSTED");

        // The rogue server saw a TLS handshake fail and nothing else: no HTTP request at all, so no
        // manifest, no image byte, no report.
        assertThat(lab.after(rogueStarted, e -> e.source() == Source.SERVER && e.type().startsWith("http.")))
                .isEmpty();
        assertThat(lab.after(rogueStarted, e -> e.type().equals("device.report") || e.type().equals("server.manifest")))
                .isEmpty();
        DeviceSnapshot s = board.status();
        assertThat(s.version()).isEqualTo("1.0.0");
        assertThat(s.slot("ota_1").orElseThrow().image().valid()).isFalse();

        JournalEvent boot = board.reboot();
        assertThat(boot.fields()).containsEntry("version", "1.0.0").containsEntry("slot", "ota_0")
                .containsEntry("state", "valid");
    }

    @Test
    void flippedByteInThePublishedImageIsRefusedAndReported() throws Exception {
        Release v2 = lab.state.releases().find(OtaLab.PRODUCT, "2.0.0").orElseThrow();
        // The attacker controls the server's file store, not the signing key: the signed manifest stays.
        byte[] image = Files.readAllBytes(v2.imageFile());
        int offset = image.length / 2;
        image[offset] ^= 0x01;
        Files.write(v2.imageFile(), image);
        lab.server.deploy(OtaLab.PRODUCT, "2.0.0");
        OtaLab.Board board = lab.board("esp32-lab-03");

        long mark = board.mark();
        JournalEvent verdict = board.check();
        assertCode(verdict, "HASH_MISMATCH");
        assertThat(verdict.field("version")).hasValue("2.0.0");
        // The whole image was fetched (the hash can only be known at the end), and nothing more. The server
        // journals a request once Jetty calls its request log, after the response completed: the device can
        // have read the last byte and given its verdict before that, so wait for it.
        lab.await(mark, e -> EventType.HTTP_REQUEST.is(e) && String.valueOf(e.fields().get("path")).equals(v2.url()),
                "the image request");
        assertThat(lab.after(mark, e -> e.type().equals("http.request")
                && String.valueOf(e.fields().get("path")).equals(v2.url())))
                .extracting(e -> ((Number) e.fields().get("bytes_written")).longValue())
                .singleElement().satisfies(n -> assertThat(n).isBetween((long) image.length, image.length + 1024L));

        DeviceSnapshot s = board.device.await(d -> d.lcd().row(0).startsWith("ALERTE S"), OtaLab.WAIT, "alert");
        assertThat(s.lcd().rows()).containsExactly("ALERTE SÉCURITÉ ", "HASH INVALID    ");
        s = board.status();
        assertThat(s.version()).isEqualTo("1.0.0");
        SlotReport target = s.slot("ota_1").orElseThrow();
        assertThat(target.image().valid()).isFalse();
        assertThat(target.nextBoot()).isFalse();
        assertThat(s.slot("ota_0").orElseThrow().nextBoot()).isTrue();

        JournalEvent report = lab.await(mark, e -> e.type().equals("device.report")
                && "esp32-lab-03".equals(e.deviceId()), "refusal report on the server");
        assertThat(report.source()).isEqualTo(Source.SERVER);
        assertThat(report.fields()).containsEntry("event", "refused").containsEntry("version", "2.0.0");
        assertThat(report.field("reason").orElseThrow()).startsWith("HASH_MISMATCH");

        JournalEvent boot = board.reboot();
        assertThat(boot.fields()).containsEntry("version", "1.0.0").containsEntry("slot", "ota_0");
    }

    @Test
    void brokenV4IsInstalledFailsItsSelfTestAndIsRolledBack() throws Exception {
        lab.publishBuilt("v4_broken");
        lab.server.deploy(OtaLab.PRODUCT, "4.0.0");
        OtaLab.Board board = lab.board("esp32-lab-04");

        long mark = board.mark();
        assertCode(board.check(), "UPDATED");
        JournalEvent v4 = board.awaitBoot(mark, e -> "4.0.0".equals(e.fields().get("version")), "boot of 4.0.0");
        assertThat(v4.fields()).containsEntry("slot", "ota_1").containsEntry("state", "pending_verify");
        JournalEvent selfTest = board.awaitDevice(v4.seq(), EventType.DEVICE_SELFTEST.wireName(), e -> true, "self-test of 4.0.0");
        assertThat(selfTest.fields()).containsEntry("passed", false);

        // The app restarts without confirming itself; the bootloader rolls back to the previous app.
        JournalEvent back = board.awaitBoot(v4.seq(), e -> true, "boot after the failed self-test");
        assertThat(back.fields()).containsEntry("version", "1.0.0").containsEntry("slot", "ota_0")
                .containsEntry("state", "valid");
        assertThat(lab.after(v4.seq(), e -> e.type().equals(EventType.DEVICE_APP_STATE.wireName()) && "esp32-lab-04".equals(e.deviceId())
                && "valid".equals(e.fields().get("state")) && "ota_1".equals(e.fields().get("slot")))).isEmpty();

        DeviceSnapshot s = board.status();
        assertThat(s.version()).isEqualTo("1.0.0");
        assertThat(s.slot("ota_0").orElseThrow().nextBoot()).isTrue();
        SlotReport rolledBack = s.slot("ota_1").orElseThrow();
        assertThat(rolledBack.state()).isIn(OtaState.INVALID, OtaState.ABORTED);
        assertThat(rolledBack.nextBoot()).isFalse();
        // ESP-IDF's otadata states: the entry that selected 4.0.0 is marked invalid/aborted, so it never boots again;
        // ESP-IDF's rule: the valid entry with the highest seq wins, and seq N selects ota_((N-1) % 2).
        assertThat(s.otadata()).filteredOn(r -> r.state() == OtaState.INVALID || r.state() == OtaState.ABORTED)
                .singleElement().satisfies(r -> assertThat((r.seq() - 1) % 2).as("selects ota_1").isEqualTo(1));
        assertThat(s.otadata()).filteredOn(TelemetryLine.OtaDataRow::valid).singleElement()
                .satisfies(r -> {
                    assertThat(r.state()).isEqualTo(OtaState.VALID);
                    assertThat((r.seq() - 1) % 2).as("selects ota_0").isZero();
                });

        board.reboot();
        assertThat(board.device.snapshot().version()).isEqualTo("1.0.0");

        // The next check: the server hears of the rollback, and 4.0.0 is not downloaded, booted and
        // rolled back again (issue 16). The server now knows what the device runs.
        long again = board.mark();
        JournalEvent refused = board.check();
        assertCode(refused, "VERSION_ROLLED_BACK");
        assertThat(refused.field("version")).hasValue("4.0.0");
        JournalEvent rolledBackReport = lab.await(again, e -> e.type().equals("device.report")
                && "esp32-lab-04".equals(e.deviceId()) && "rolled_back".equals(e.fields().get("event")), "rolled_back report");
        assertThat(rolledBackReport.fields()).containsEntry("version", "4.0.0").containsEntry("running_version", "1.0.0");
        JournalEvent refusal = lab.await(rolledBackReport.seq(), e -> e.type().equals("device.report")
                && "esp32-lab-04".equals(e.deviceId()) && "refused".equals(e.fields().get("event")), "refusal report");
        assertThat(refusal.fields()).containsEntry("verdict", "VERSION_ROLLED_BACK").containsEntry("bytes_written", 0L);
        assertThat(lab.after(again, e -> e.type().equals("http.request")
                && String.valueOf(e.fields().get("path")).startsWith("/firmware/"))).as("no image requested").isEmpty();
        assertThat(lab.state.deviceStatuses().find("esp32-lab-04")).hasValueSatisfying(st -> {
            assertThat(st.event()).isEqualTo("refused");
            assertThat(st.version()).isEqualTo("4.0.0");
            assertThat(st.verdict()).isEqualTo("VERSION_ROLLED_BACK");
            assertThat(st.runningVersion()).isEqualTo("1.0.0");
        });
        DeviceSnapshot after = board.device.await(d -> d.lcd().row(1).startsWith("VERSION REJETEE"), OtaLab.WAIT,
                "the refusal on the LCD");
        assertThat(after.version()).isEqualTo("1.0.0");

        // Once told, the server is not told again.
        long third = board.mark();
        assertCode(board.check(), "VERSION_ROLLED_BACK");
        lab.await(third, e -> e.type().equals("device.report") && "esp32-lab-04".equals(e.deviceId())
                && "refused".equals(e.fields().get("event")), "second refusal report");
        assertThat(lab.after(third, e -> e.type().equals("device.report")
                && "rolled_back".equals(e.fields().get("event")))).isEmpty();
    }

    // docs/ota-verdicts.md: a release that crashes (panic) or hangs (task watchdog) at start never confirms itself;
    // the bootloader rolls it back as never confirmed, the previous app reads why in its reset reason, and the
    // release counts against itself: refused at every later check, across a reboot, never downloaded again.
    @Test
    void aReleaseThatPanicsAtStartIsRolledBackAndNotReinstalledAtEveryCheck() throws Exception {
        releaseThatNeverStartsIsRolledBackAndRefused("v5_panic", "5.0.0", "esp32-lab-08", "panic", "signal");
    }

    @Test
    void aReleaseThatHangsAtStartIsResetByTheWatchdogRolledBackAndNotReinstalled() throws Exception {
        releaseThatNeverStartsIsRolledBackAndRefused("v6_hang", "6.0.0", "esp32-lab-09", "task_wdt", "task watchdog");
    }

    private void releaseThatNeverStartsIsRolledBackAndRefused(String image, String version, String id, String resetReason,
                                                              String crashCause) throws Exception {
        lab.publishBuilt(image);
        lab.server.deploy(OtaLab.PRODUCT, version);
        OtaLab.Board board = lab.board(id);

        long mark = board.mark();
        assertCode(board.check(), "UPDATED");
        JournalEvent started = board.awaitBoot(mark, e -> version.equals(e.fields().get("version")), "boot of " + version);
        assertThat(started.fields()).containsEntry("slot", "ota_1").containsEntry("state", "pending_verify");
        // The crash is the supervisor's line (its stdout), the release's boot the firmware's (the serial pty): two
        // streams read by two threads, so the journal holds them in either order (seen under load: the crash
        // journaled before the boot line the dying app had written). Look for the crash from the check on.
        JournalEvent crash = board.awaitDevice(mark, EventType.BOARD_CRASH.wireName(), e -> true, "the crash of " + version);
        assertThat(crash.field("cause")).hasValueSatisfying(c -> assertThat(String.valueOf(c)).contains(crashCause));
        // Likewise the boot after the crash may be journaled before the crash (the supervisor waits only 200 ms,
        // after a watchdog reset not at all, before powering on): it is the first boot after the release's own.
        JournalEvent back = board.awaitBoot(started.seq(), e -> true, "boot after the crash");
        assertThat(back.fields()).containsEntry("version", "1.0.0").containsEntry("slot", "ota_0")
                .containsEntry("reset_reason", resetReason).containsEntry("state", "valid");
        assertThat(lab.after(started.seq(), e -> EventType.DEVICE_SELFTEST.is(e) && id.equals(e.deviceId())
                && e.seq() < back.seq())).as("no self-test result from " + version).isEmpty();
        SlotReport abandoned = board.status().slot("ota_1").orElseThrow();
        assertThat(abandoned.state()).isEqualTo(OtaState.ABORTED);
        assertThat(abandoned.nextBoot()).isFalse();

        // The crash counts against the release: refused before any image is asked for, at this check and the next,
        // and after a reboot (which loses the reset reason, not the memory of the crash).
        for (int attempt = 1; attempt <= 3; attempt++) {
            if (attempt == 3) {
                assertThat(board.reboot().fields()).containsEntry("version", "1.0.0").containsEntry("reset_reason", "sw");
            }
            long again = board.mark();
            JournalEvent refused = board.check();
            assertCode(refused, "VERSION_ROLLED_BACK");
            assertThat(refused.field("version")).hasValue(version);
            assertThat(lab.after(again, e -> EventType.HTTP_REQUEST.is(e)
                    && String.valueOf(e.fields().get("path")).startsWith("/firmware/"))).as("no image requested").isEmpty();
            if (attempt == 1) {
                JournalEvent told = lab.await(again, e -> e.type().equals("device.report") && id.equals(e.deviceId())
                        && "rolled_back".equals(e.fields().get("event")), "rolled_back report");
                assertThat(told.fields()).containsEntry("version", version);
                assertThat(told.field("reason")).hasValueSatisfying(r -> assertThat(String.valueOf(r))
                        .contains("crashed before confirming itself (" + resetReason + " reset)"));
            }
        }
        assertThat(board.status().version()).isEqualTo("1.0.0");
        assertThat(lab.after(mark, e -> EventType.DEVICE_BOOT.is(e) && id.equals(e.deviceId())
                && version.equals(e.fields().get("version")))).as("booted once, never reinstalled").hasSize(1);
    }

    // issue 29: bytes after a response's Content-Length are never used, but the device says it got them. A server
    // that pads its answers (with the lab server's identity, in front of it) adds 37 bytes after every body.
    @Test
    void bytesAfterTheContentLengthAreIgnoredAndTheDeviceSaysSo() throws Exception {
        lab.server.deploy(OtaLab.PRODUCT, "2.0.0");
        OtaLab.Board board = lab.board("esp32-lab-10");
        try (PaddingServer padding = PaddingServer.start(lab.pki, lab.server.port(), 37)) {
            lab.endpoint.route(Upstream.loopback("padding server", padding.port()));
            long mark = board.mark();
            JournalEvent updated = board.check();
            assertCode(updated, "UPDATED");
            assertThat(updated.field("version")).hasValue("2.0.0");
            assertThat(padding.padded()).as("the manifest and the image answers were padded").isGreaterThanOrEqualTo(2);
            JournalEvent said = board.awaitDevice(mark, EventType.SERIAL_RX.wireName(),
                    e -> e.message().contains("after the Content-Length"), "the device's line about the extra bytes");
            Matcher m = Pattern.compile("the server sent (\\d+) byte\\(s\\) after the Content-Length").matcher(said.message());
            assertThat(m.find()).as(said.message()).isTrue();
            long extra = Long.parseLong(m.group(1));
            assertThat(extra % 37).as("whole paddings: " + extra).isZero();
            assertThat(extra).as("the manifest's and the image's at least").isGreaterThanOrEqualTo(2 * 37);
            assertThat(said.seq()).isLessThan(updated.seq());
            // The padding was not taken for image bytes: V2 boots, passes its self-test and confirms itself.
            JournalEvent v2 = board.awaitBoot(updated.seq(), e -> "2.0.0".equals(e.fields().get("version")), "boot of 2.0.0");
            board.awaitDevice(v2.seq(), EventType.DEVICE_APP_STATE.wireName(), e -> "valid".equals(e.fields().get("state")),
                    "2.0.0 confirmed");
        } finally {
            lab.endpoint.routeToLabServer();
        }
        // The honest server again: no such line.
        long mark = board.mark();
        assertCode(board.check(), "NO_UPDATE");
        assertThat(lab.after(mark, e -> EventType.SERIAL_RX.is(e) && "esp32-lab-10".equals(e.deviceId())
                && e.message().contains("after the Content-Length"))).isEmpty();
    }

    // issue 29: the time floor. V2's verified manifest raises it; a time source set back two days (so that a
    // manifest expired since would look valid) is refused before anything is contacted, and the honest time
    // heals the board at its next check, without a reboot (the time is asked before each check).
    @Test
    void aTimeSourceTurnedBackBelowTheTimeFloorIsRefusedUntilItIsRightAgain() throws Exception {
        OtaLab.Board board = lab.board("esp32-lab-07");
        updateAndConfirm(board, "2.0.0", "ota_1");
        // Requests are journaled after their response (Jetty's request log): the update's last one, its report,
        // must be in before the mark below, where no request is allowed.
        lab.await(0, e -> EventType.HTTP_REQUEST.is(e) && String.valueOf(e.fields().get("path")).endsWith("/report"),
                "the update's report request");

        lab.time.offset(Duration.ofDays(-2));
        long mark = board.mark();
        JournalEvent refused = board.check();
        assertCode(refused, "NO_VALID_TIME");
        assertThat(refused.field("detail")).hasValueSatisfying(d -> assertThat(String.valueOf(d))
                .contains("below this device's time floor").contains("time source says"));
        assertThat(lab.after(mark, e -> e.type().equals("http.request"))).isEmpty();

        lab.time.offset(Duration.ZERO);
        long healed = board.mark();
        assertCode(board.check(), "NO_UPDATE");
        assertThat(lab.after(mark, e -> e.type().equals(EventType.DEVICE_BOOT.wireName()) && "esp32-lab-07".equals(e.deviceId())
                && Boolean.FALSE.equals(e.fields().get("status_report")))).as("no reboot").isEmpty();
        lab.await(healed, e -> EventType.HTTP_REQUEST.is(e), "the healed check's requests (journaled after their response)");
        assertThat(board.status().version()).isEqualTo("2.0.0");
    }

    @Test
    void aTimeSourceTwoYearsAheadMakesTheDeviceRefuse() throws Exception {
        lab.server.deploy(OtaLab.PRODUCT, "2.0.0");
        lab.time.offset(Duration.ofDays(730));
        OtaLab.Board board = lab.board("esp32-lab-05");

        long mark = board.mark();
        JournalEvent verdict = board.check();
        // TLS is checked before the manifest: the server certificate (397 days) is expired at the shifted time.
        assertCode(verdict, "TLS_CERT_EXPIRED");
        List<JournalEvent> queries = lab.after(mark, e -> e.type().equals(LabTimeServer.QUERY_EVENT));
        assertThat(queries).isNotEmpty();
        assertThat(queries.get(0).fields()).containsEntry("offset_seconds", Duration.ofDays(730).toSeconds());
        assertThat(lab.after(mark, e -> e.type().equals("http.request"))).isEmpty();
        assertThat(board.status().version()).isEqualTo("1.0.0");
    }

    @Test
    void aTimeSourceAMonthAheadMakesTheDeviceRefuseTheManifestAsExpired() throws Exception {
        lab.server.deploy(OtaLab.PRODUCT, "2.0.0");
        // Past the manifest's 30 days, within the server certificate's 397: TLS passes, the manifest does not.
        lab.time.offset(Duration.ofDays(31));
        OtaLab.Board board = lab.board("esp32-lab-06");

        long mark = board.mark();
        assertCode(board.check(), "MANIFEST_EXPIRED");
        assertThat(lab.after(mark, e -> e.type().equals("http.request")))
                .extracting(e -> String.valueOf(e.fields().get("path")))
                .noneMatch(path -> path.startsWith("/firmware/"));
        JournalEvent report = lab.await(mark, e -> e.type().equals("device.report")
                && "esp32-lab-06".equals(e.deviceId()), "refusal report on the server");
        assertThat(report.fields()).containsEntry("event", "refused");
        assertThat(report.field("reason").orElseThrow()).startsWith("MANIFEST_EXPIRED");
        assertThat(board.status().version()).isEqualTo("1.0.0");
    }
}
