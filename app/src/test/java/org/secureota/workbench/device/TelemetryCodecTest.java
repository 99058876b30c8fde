package org.secureota.workbench.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.firmware.OtaState;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class TelemetryCodecTest {

    /** A complete partitions line as the virtual board sends it (the doc's example is cut with …). */
    static final String PARTITIONS = "@ota1 {\"ev\":\"partitions\",\"table\":[{\"label\":\"nvs\",\"type\":1,\"subtype\":2,"
            + "\"kind\":\"data/nvs\",\"offset\":36864,\"size\":20480},{\"label\":\"otadata\",\"type\":1,\"subtype\":0,"
            + "\"kind\":\"data/ota\",\"offset\":57344,\"size\":8192},{\"label\":\"app0\",\"type\":0,\"subtype\":16,"
            + "\"kind\":\"app/ota_0\",\"offset\":65536,\"size\":1310720},{\"label\":\"app1\",\"type\":0,\"subtype\":17,"
            + "\"kind\":\"app/ota_1\",\"offset\":1376256,\"size\":1310720},{\"label\":\"factory_data\",\"type\":64,"
            + "\"subtype\":0,\"kind\":\"0x40/0x00\",\"offset\":4120576,\"size\":8192}],\"otadata\":[{\"seq\":1,"
            + "\"state\":\"valid\",\"crc_ok\":true,\"valid\":true},{\"seq\":null,\"state\":\"undefined\",\"crc_ok\":false,"
            + "\"valid\":false}],\"slots\":[{\"label\":\"app0\",\"slot\":\"ota_0\",\"offset\":65536,\"size\":1310720,"
            + "\"state\":\"valid\",\"running\":true,\"next_boot\":true,\"image\":{\"valid\":true,\"version\":\"1.0.0\","
            + "\"secure_version\":1,\"project\":\"shop-display\"}},{\"label\":\"app1\",\"slot\":\"ota_1\",\"offset\":1376256,"
            + "\"size\":1310720,\"state\":\"undefined\",\"running\":false,\"next_boot\":false,\"image\":{\"valid\":false,"
            + "\"error\":\"bad magic (no image): first byte is 0xFF, an app image starts with 0xE9\"}}]}";

    final TelemetryCodec codec = new TelemetryCodec();

    static String telemetryDoc() throws Exception {
        Path root = Path.of(System.getProperty("workbench.projectRoot", "."));
        return Files.readString(root.resolve("docs/telemetry.md"), StandardCharsets.UTF_8);
    }

    @Test
    void everyCompleteExampleOfTheProtocolDocumentDecodesToAnEvent() throws Exception {
        List<String> complete = new ArrayList<>();
        List<String> cut = new ArrayList<>();
        for (String line : telemetryDoc().split("\n")) {
            if (line.startsWith("@ota1 {\"ev\"")) {
                (line.contains("…") || line.contains("...") ? cut : complete).add(line);
            }
        }
        // The page shows every event at least once, plus the typical boot; fewer would mean the parsing
        // of the page broke, not that the examples pass.
        assertThat(complete).hasSizeGreaterThanOrEqualTo(12);
        for (String line : complete) {
            assertThat(codec.decode(line)).as(line).isInstanceOf(TelemetryLine.Event.class);
        }
        // Lines cut with … (or ...) for the page are not JSON: they must come out as text with a warning, not throw.
        assertThat(cut).isNotEmpty();
        for (String line : cut) {
            assertThat(codec.decode(line)).as(line).isInstanceOfSatisfying(TelemetryLine.Human.class,
                    h -> assertThat(h.codecWarning()).isPresent());
        }
    }

    @Test
    void theDocumentedCommandsAreExactlyWhatTheCodecSends() throws Exception {
        Matcher m = Pattern.compile("`(@ota1 \\{\"cmd\":\"(\\w+)\"\\})`").matcher(telemetryDoc());
        int found = 0;
        while (m.find()) {
            SerialCommand command = SerialCommand.valueOf(m.group(2).toUpperCase(java.util.Locale.ROOT));
            assertThat(codec.encode(command)).isEqualTo(m.group(1));
            found++;
        }
        assertThat(found).isEqualTo(SerialCommand.values().length);
    }

    @Test
    void bootCarriesTheRunningImageAndIdentity() {
        var boot = (TelemetryLine.Boot) codec.decode("@ota1 {\"ev\":\"boot\",\"slot\":\"ota_0\",\"label\":\"app0\","
                + "\"version\":\"1.0.0\",\"secure_version\":1,\"project\":\"shop-display\",\"reset_reason\":\"poweron\","
                + "\"state\":\"valid\",\"min_secure_version\":0,\"provisioned\":true,\"device_id\":\"esp32-lab-01\"}");
        assertThat(boot.slot()).isEqualTo("ota_0");
        assertThat(boot.label()).isEqualTo("app0");
        assertThat(boot.version()).isEqualTo("1.0.0");
        assertThat(boot.secureVersion()).isEqualTo(1);
        assertThat(boot.resetReason()).isEqualTo("poweron");
        assertThat(boot.provisioned()).isTrue();
        assertThat(boot.deviceId()).isEqualTo("esp32-lab-01");

        var unprovisioned = (TelemetryLine.Boot) codec.decode("@ota1 {\"ev\":\"boot\",\"slot\":\"factory\",\"label\":"
                + "\"factory\",\"version\":\"1.0.0\",\"secure_version\":1,\"project\":\"shop-display\",\"reset_reason\":"
                + "\"ext\",\"state\":\"undefined\",\"min_secure_version\":0,\"provisioned\":false,\"device_id\":null}");
        assertThat(unprovisioned.deviceId()).isNull();
        assertThat(unprovisioned.provisioned()).isFalse();
        assertThat(unprovisioned.profile()).as("a firmware that does not report its profile").isNull();
    }

    @Test
    void bootCarriesTheDefenceProfileOfTheRunningFirmware() {
        var weak = (TelemetryLine.Boot) codec.decode("@ota1 {\"ev\":\"boot\",\"slot\":\"ota_0\",\"label\":\"app0\","
                + "\"version\":\"1.0.0\",\"secure_version\":1,\"project\":\"shop-display\",\"reset_reason\":\"poweron\","
                + "\"state\":\"valid\",\"min_secure_version\":0,\"provisioned\":true,\"device_id\":\"lab-nohash\","
                + "\"profile\":\"no-hash\",\"missing_defences\":\"no image hash check\"}");
        assertThat(weak.profile()).isEqualTo("no-hash");
        assertThat(weak.missingDefences()).isEqualTo("no image hash check");
        Device device = new Device("lab-nohash");
        device.apply(weak);
        assertThat(device.snapshot().profile()).isEqualTo("no-hash");
        var secure = (TelemetryLine.Boot) codec.decode("@ota1 {\"ev\":\"boot\",\"slot\":\"ota_1\",\"label\":\"app1\","
                + "\"version\":\"2.0.0\",\"secure_version\":1,\"project\":\"shop-display\",\"reset_reason\":\"sw\","
                + "\"state\":\"pending_verify\",\"min_secure_version\":0,\"provisioned\":true,\"device_id\":\"lab-nohash\","
                + "\"profile\":\"secure\"}");
        assertThat(secure.missingDefences()).isNull();
        device.apply(secure);
        assertThat(device.snapshot().profile()).as("the firmware it runs now").isEqualTo("secure");
    }

    @Test
    void tlsSaysWhichConnectionAndWhetherItResumed() {
        assertThat(codec.decode("@ota1 {\"ev\":\"tls\",\"for\":\"image\",\"resumed\":true}")).isEqualTo(
                new TelemetryLine.TlsSession("@ota1 {\"ev\":\"tls\",\"for\":\"image\",\"resumed\":true}", "image", true));
        var full = (TelemetryLine.TlsSession) codec.decode("@ota1 {\"ev\":\"tls\",\"for\":\"manifest\",\"resumed\":false}");
        assertThat(full.purpose()).isEqualTo("manifest");
        assertThat(full.resumed()).isFalse();
    }

    @Test
    void partitionsCarryTableOtadataAndSlots() {
        var p = (TelemetryLine.Partitions) codec.decode(PARTITIONS);
        assertThat(p.table()).extracting(TelemetryLine.PartitionRow::label)
                .containsExactly("nvs", "otadata", "app0", "app1", "factory_data");
        assertThat(p.table().get(4)).isEqualTo(new TelemetryLine.PartitionRow("factory_data", 64, 0, "0x40/0x00",
                0x3EE000, 0x2000));
        assertThat(p.otadata()).containsExactly(new TelemetryLine.OtaDataRow(1L, OtaState.VALID, true, true),
                new TelemetryLine.OtaDataRow(null, OtaState.UNDEFINED, false, false));
        SlotReport app0 = p.slots().get(0);
        assertThat(app0.running()).isTrue();
        assertThat(app0.nextBoot()).isTrue();
        assertThat(app0.image()).isEqualTo(new SlotReport.Image(true, "1.0.0", 1L, "shop-display", null));
        SlotReport app1 = p.slots().get(1);
        assertThat(app1.image().valid()).isFalse();
        assertThat(app1.image().error()).startsWith("bad magic");
        assertThat(app1.describe()).isEqualTo("app1 (ota_1) undefined no valid image");
    }

    @Test
    void lcdKeepsTextCellsAndGlyphs() {
        var lcd = (TelemetryLine.Lcd) codec.decode("@ota1 {\"ev\":\"lcd\",\"rows\":[\"ALERTE SÉCURITÉ \",\"HASH INVALID    \"],"
                + "\"cells\":[[65,76,69,82,84,69,32,83,0,67,85,82,73,84,0,32],[72,65,83,72,32,73,78,86,65,76,73,68,32,32,32,32]],"
                + "\"cgram\":[{\"code\":0,\"char\":\"É\",\"bitmap\":[2,4,31,16,30,16,31,0]}]}");
        assertThat(lcd.screen().rows()).containsExactly("ALERTE SÉCURITÉ ", "HASH INVALID    ");
        assertThat(lcd.screen().cells().get(0)).hasSize(16).element(8).isEqualTo(0);
        assertThat(lcd.screen().glyphs()).containsExactly(new LcdScreen.Glyph(0, "É", List.of(2, 4, 31, 16, 30, 16, 31, 0)));
        assertThat(lcd.screen().describe()).isEqualTo("|ALERTE SÉCURITÉ |HASH INVALID    |");
    }

    @Test
    void ledPatternsOtaEventsErrorsHeartbeatAndAck() {
        assertThat(((TelemetryLine.Led) codec.decode("@ota1 {\"ev\":\"led\",\"mode\":\"blink\",\"period_ms\":1000,\"duty\":50}"))
                .pattern()).isEqualTo(new LedPattern(LedPattern.Mode.BLINK, 1000, 50, 0, 0));
        assertThat(((TelemetryLine.Led) codec.decode(
                "@ota1 {\"ev\":\"led\",\"mode\":\"strobe\",\"period_ms\":1000,\"flashes\":3,\"flash_ms\":60}")).pattern()
                .describe()).isEqualTo("strobe 3 x 60 ms every 1000 ms");
        assertThat(((TelemetryLine.Led) codec.decode("@ota1 {\"ev\":\"led\",\"mode\":\"off\"}")).pattern())
                .isEqualTo(LedPattern.OFF);
        assertThat(codec.decode("@ota1 {\"ev\":\"ota\",\"phase\":\"download\",\"bytes\":65536,\"total\":262144}"))
                .isEqualTo(new TelemetryLine.OtaProgress(
                        "@ota1 {\"ev\":\"ota\",\"phase\":\"download\",\"bytes\":65536,\"total\":262144}", "download", 65536, 262144));
        var verdict = (TelemetryLine.OtaVerdict) codec.decode("@ota1 {\"ev\":\"ota\",\"phase\":\"verdict\",\"code\":"
                + "\"TLS_CERT_UNTRUSTED\",\"detail\":\"rogue\",\"version\":null}");
        assertThat(verdict.code()).isEqualTo("TLS_CERT_UNTRUSTED");
        assertThat(verdict.version()).isNull();
        var error = (TelemetryLine.DeviceError) codec.decode("@ota1 {\"ev\":\"error\",\"code\":\"BAD_COMMAND\",\"message\":\"?\"}");
        assertThat(error.code()).isEqualTo("BAD_COMMAND");
        var heartbeat = (TelemetryLine.Heartbeat) codec.decode(
                "@ota1 {\"ev\":\"heartbeat\",\"uptime_ms\":15003,\"version\":\"1.0.0\",\"state\":\"valid\"}");
        assertThat(heartbeat.uptimeMs()).isEqualTo(15003);
        assertThat(((TelemetryLine.Ack) codec.decode("@ota1 {\"ev\":\"ack\",\"cmd\":\"status\"}")).command()).isEqualTo("status");
    }

    @Test
    void imageTransportSaysEncryptedOrPlaintextAndDecryptedOrNotAndIsJournaled() {
        String encrypted = "@ota1 {\"ev\":\"image_transport\",\"version\":\"2.0.0\",\"encrypted\":true,"
                + "\"scheme\":\"ecies-p256\",\"key_id\":\"0123456789abcdef\",\"decrypted\":true}";
        assertThat(codec.decode(encrypted)).isEqualTo(new TelemetryLine.ImageTransport(encrypted, "2.0.0", true,
                "ecies-p256", "0123456789abcdef", true));
        String plaintext = "@ota1 {\"ev\":\"image_transport\",\"version\":\"2.0.0\",\"encrypted\":false,"
                + "\"scheme\":null,\"key_id\":null,\"decrypted\":false}";
        assertThat(codec.decode(plaintext)).isEqualTo(new TelemetryLine.ImageTransport(plaintext, "2.0.0", false,
                null, null, false));
        // Whether the device decrypted it is the point of the event: without it the line is not version 1.
        assertThat(codec.decode("@ota1 {\"ev\":\"image_transport\",\"version\":\"2.0.0\",\"encrypted\":true}"))
                .isInstanceOfSatisfying(TelemetryLine.Human.class,
                        h -> assertThat(h.codecWarning()).hasValueSatisfying(w -> assertThat(w).contains("'decrypted'")));

        try (org.secureota.workbench.journal.Journal journal = new org.secureota.workbench.journal.Journal()) {
            TelemetryJournal.received(journal, "esp32-lab-01", "/dev/pts/9", codec.decode(encrypted), false, System.currentTimeMillis());
            TelemetryJournal.received(journal, "esp32-lab-01", "/dev/pts/9", codec.decode(plaintext), false, System.currentTimeMillis());
            var events = journal.events(org.secureota.workbench.journal.EventType.IMAGE_TRANSPORT, "esp32-lab-01", 0);
            assertThat(events).hasSize(2);
            assertThat(events.get(0).fields()).containsEntry("version", "2.0.0").containsEntry("encrypted", true)
                    .containsEntry("scheme", "ecies-p256").containsEntry("key_id", "0123456789abcdef")
                    .containsEntry("decrypted", true);
            assertThat(events.get(0).message())
                    .isEqualTo("image 2.0.0 travelled encrypted (ecies-p256, key 0123456789abcdef), decrypted by the device");
            assertThat(events.get(1).fields()).containsEntry("encrypted", false).containsEntry("decrypted", false);
            assertThat(events.get(1).message()).isEqualTo("image 2.0.0 travelled in plaintext");
        }
    }

    @Test
    void unknownMembersAreSkippedAndMemberOrderDoesNotMatter() {
        var ack = codec.decode("@ota1 {\"future\":{\"nested\":[1,2]},\"cmd\":\"reboot\",\"ev\":\"ack\",\"extra\":null}");
        assertThat(ack).isInstanceOfSatisfying(TelemetryLine.Ack.class, a -> assertThat(a.command()).isEqualTo("reboot"));
    }

    @Test
    void unknownVersionsAndEventsAreIgnoredNotMisread() {
        assertThat(codec.decode("@ota2 {\"ev\":\"boot\",\"slot\":42}")).isInstanceOfSatisfying(TelemetryLine.Ignored.class,
                i -> assertThat(i.reason()).contains("version 2"));
        assertThat(codec.decode("@ota17 whatever follows")).isInstanceOf(TelemetryLine.Ignored.class);
        assertThat(codec.decode("@ota1 {\"ev\":\"coffee\",\"cups\":3}")).isInstanceOfSatisfying(TelemetryLine.Ignored.class,
                i -> assertThat(i.reason()).contains("'coffee'"));
    }

    @Test
    void lineEndingsAreStripped() {
        assertThat(codec.decode("@ota1 {\"ev\":\"ack\",\"cmd\":\"check\"}\r\n")).isInstanceOfSatisfying(TelemetryLine.Ack.class,
                a -> assertThat(a.raw()).isEqualTo("@ota1 {\"ev\":\"ack\",\"cmd\":\"check\"}"));
        assertThat(codec.decode("I (boot) loaded app\r")).isEqualTo(new TelemetryLine.Human("I (boot) loaded app"));
    }

    @Test
    void humanLinesAreShownAsIsWithoutWarning() {
        for (String line : List.of("", "I (boot) ESP-IDF compatible 2nd stage bootloader", " @ota1 {\"ev\":\"ack\"}",
                "self-test passed: image confirmed (rollback cancelled)", "@OTA1 {}")) {
            assertThat(codec.decode(line)).isEqualTo(new TelemetryLine.Human(line));
        }
    }

    @Test
    void brokenMachineLinesBecomeHumanLinesWithTheReason() {
        String truncated = "@ota1 {\"ev\":\"lcd\",\"rows\":[\"ALERTE SÉCU";
        assertThat(warning(truncated)).contains("broken JSON");
        assertThat(warning("@ota1 {\"ev\":\"ack\",\"cmd\":\"status\"} {\"ev\":\"ack\"}")).contains("broken JSON");
        assertThat(warning("@ota1 [1,2,3]")).contains("JSON object");
        assertThat(warning("@ota1 {\"cmd\":\"status\"}")).contains("'ev' is missing");
        assertThat(warning("@ota1 {\"ev\":\"boot\",\"slot\":7}")).contains("'slot'");
        assertThat(warning("@ota1 {\"ev\":\"heartbeat\",\"uptime_ms\":-5}")).contains("unsigned 32-bit");
        assertThat(warning("@ota1 {\"ev\":\"heartbeat\",\"uptime_ms\":1.5}")).contains("unsigned 32-bit");
        assertThat(warning("@ota1 {\"ev\":\"heartbeat\",\"uptime_ms\":4294967296}")).contains("unsigned 32-bit");
        assertThat(warning("@ota1 {\"ev\":\"lcd\",\"rows\":[\"one row\"]}")).contains("1 rows");
        assertThat(warning("@ota1{\"ev\":\"ack\",\"cmd\":\"status\"}")).contains("@ota<version>");
        assertThat(warning("@ota")).contains("@ota<version>");
    }

    @Test
    void overLongLinesAreNotDecoded() {
        String huge = "@ota1 {\"ev\":\"ack\",\"cmd\":\"" + "x".repeat(TelemetryCodec.MAX_LINE_BYTES) + "\"}";
        assertThat(warning(huge)).contains("4096 bytes");
        // The limit counts UTF-8 bytes, not characters: 2100 É are 4200 bytes.
        assertThat(warning("É".repeat(2100))).contains("4096 bytes");
    }

    @Test
    void garbageNeverThrows() {
        Random random = new Random(20261124);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            String prefix = i % 2 == 0 ? "@ota1 {" : "";
            String line = prefix + new String(bytes, StandardCharsets.UTF_8);
            assertThatCode(() -> codec.decode(line)).as("line %d", i).doesNotThrowAnyException();
        }
        // Every valid example cut at every position: the half-written line a power cut leaves behind.
        for (int cut = 0; cut < PARTITIONS.length(); cut++) {
            String prefix = PARTITIONS.substring(0, cut);
            assertThat(codec.decode(prefix)).as("cut at %d", cut).isNotNull();
        }
        assertThat(codec.decode(null)).isEqualTo(new TelemetryLine.Human(""));
    }

    private String warning(String line) {
        TelemetryLine decoded = codec.decode(line);
        assertThat(decoded).as(line).isInstanceOf(TelemetryLine.Human.class);
        return ((TelemetryLine.Human) decoded).codecWarning().orElseThrow();
    }
}
