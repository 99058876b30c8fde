package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.junit.jupiter.api.Tag;
import org.secureota.workbench.journal.EventType;

/** View models and their texts, without a screen. */
@Tag("unit")
class ViewModelTest {

    @Test
    void bothLanguagesHaveTheSameKeysAndSwitchAtRunTime() throws IOException {
        Properties en = load("messages.properties");
        Properties fr = load("messages_fr.properties");
        assertThat(fr.stringPropertyNames()).isEqualTo(en.stringPropertyNames());
        I18n i18n = new I18n(Locale.ENGLISH);
        var title = i18n.text("device.check");
        assertThat(title.get()).isEqualTo("Check now");
        i18n.setLocale(Locale.FRENCH);
        assertThat(title.get()).isEqualTo("Vérifier");
        assertThat(i18n.get("server.certificate.value", "ab12", "2027-01-01")).isEqualTo("SHA-256 ab12… valide jusqu'au 2027-01-01");
        i18n.setLocale(Locale.GERMAN);
        assertThat(i18n.getLocale()).isEqualTo(Locale.ENGLISH);
    }

    private static Properties load(String name) throws IOException {
        Properties p = new Properties();
        try (InputStream in = I18n.class.getResourceAsStream(name)) {
            p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void everyVerdictCodeOfTheProtocolIsExplainedInBothLanguages() throws IOException {
        String telemetry = java.nio.file.Files.readString(Path.of(System.getProperty("workbench.projectRoot", "."), "docs", "telemetry.md"));
        List<String> codes = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("(?m)^\\| `([A-Z_]+)` \\|").matcher(telemetry.substring(telemetry.indexOf("Verdict codes"), telemetry.indexOf("### `error`")));
        while (m.find()) {
            codes.add(m.group(1));
        }
        assertThat(codes).contains("UPDATED", "HASH_MISMATCH", "UNSUPPORTED");
        Properties en = load("messages.properties");
        Properties fr = load("messages_fr.properties");
        for (String code : codes) {
            assertThat(en.getProperty("verdict." + code)).as("EN explanation of " + code).isNotBlank();
            assertThat(fr.getProperty("verdict." + code)).as("FR explanation of " + code).isNotBlank();
        }
    }

    @Test
    void devicePanelShowsTheAlertVerdictExplainedInTheCurrentLanguage() {
        I18n i18n = new I18n(Locale.ENGLISH);
        DeviceViewModel vm = new DeviceViewModel(i18n);
        DeviceSnapshot s = Telemetry.device(Telemetry.BOOT_V1, Telemetry.PARTITIONS, Telemetry.LCD_ALERT, Telemetry.VERDICT_HASH);
        vm.apply(s);
        assertThat(vm.deviceIdProperty().get()).isEqualTo("esp32-lab-01");
        assertThat(vm.versionProperty().get()).isEqualTo("1.0.0");
        assertThat(vm.verdictCodeProperty().get()).isEqualTo("HASH_MISMATCH");
        assertThat(vm.verdictAlarmProperty().get()).as("a refusal is a defence that held: never red").isFalse();
        assertThat(vm.outcome().kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.NOT_UPDATED);
        assertThat(vm.verdictExplanationProperty().get()).startsWith("The SHA-256 of the received image differs")
                .contains("Device says: SHA-256 of the image differs from the signed manifest");
        assertThat(vm.lcdProperty().get().row(0)).isEqualTo("ALERTE SÉCURITÉ ");
        i18n.setLocale(Locale.FRENCH);
        assertThat(vm.verdictExplanationProperty().get()).startsWith("L'empreinte SHA-256 de l'image reçue diffère")
                .contains("L'appareil dit : SHA-256");
    }

    @Test
    void devicePanelSaysHowTheLastImageTravelledInBothLanguages() {
        I18n i18n = new I18n(Locale.ENGLISH);
        DeviceViewModel vm = new DeviceViewModel(i18n);
        assertThat(vm.imageProperty().get()).isEqualTo("—");
        vm.imageOffered(false, null);
        assertThat(vm.imageProperty().get()).startsWith("offered in plaintext");
        vm.imageOffered(true, "ecies-p256");
        assertThat(vm.imageProperty().get()).isEqualTo("offered encrypted (ecies-p256): only holders of the product's decryption key (its devices and the publisher) can read it");
        vm.imageTravelled(true, "ecies-p256", "0123456789abcdef", true);
        assertThat(vm.imageProperty().get())
                .isEqualTo("travelled encrypted, decrypted by the device (ecies-p256, key 0123456789abcdef)");
        i18n.setLocale(Locale.FRENCH);
        assertThat(vm.imageProperty().get())
                .isEqualTo("a voyagé chiffrée, déchiffrée par l'appareil (ecies-p256, key 0123456789abcdef)");
        vm.imageTravelled(true, "ecies-p256", "0123456789abcdef", false);
        assertThat(vm.imageProperty().get()).isEqualTo(
                "a voyagé chiffrée (ecies-p256, key 0123456789abcdef), NON déchiffrée par l'appareil : rien n'a été installé");
        vm.imageOffered(false, null);
        assertThat(vm.imageProperty().get()).startsWith("proposée en clair");
        vm.imageTravelled(false, null, null, false);
        assertThat(vm.imageProperty().get()).isEqualTo("a voyagé en clair : quiconque obtient le fichier peut la lire");
        i18n.setLocale(Locale.ENGLISH);
        assertThat(vm.imageProperty().get()).isEqualTo("travelled in plaintext: anyone who gets the file can read it");
        vm.imageTravelled(true, "rsa-3072", "fedcba9876543210", false);
        assertThat(vm.imageProperty().get()).isEqualTo(
                "travelled encrypted (rsa-3072, key fedcba9876543210), NOT decrypted by the device: nothing was installed");
    }

    @Test
    void noVerdictYetSaysSo() {
        DeviceViewModel vm = new DeviceViewModel(new I18n(Locale.ENGLISH));
        vm.apply(Telemetry.device(Telemetry.BOOT_V1));
        assertThat(vm.verdictExplanationProperty().get()).isEqualTo("No update attempt yet.");
        assertThat(vm.verdictAlarmProperty().get()).isFalse();
    }

    @Test
    void replayRebuildsTheDeviceFromTheRecordedSerialLines() {
        List<JournalEvent> journal = new ArrayList<>();
        String[] lines = {Telemetry.BOOT_V1, Telemetry.PARTITIONS, Telemetry.LED_BLINK, Telemetry.LCD_ALERT, Telemetry.VERDICT_HASH};
        for (int i = 0; i < lines.length; i++) {
            journal.add(new JournalEvent(i + 1, Instant.EPOCH, (i + 1) * 1000L, Source.DEVICE, "esp32-lab-01",
                    EventType.SERIAL_RX.wireName(), lines[i], Map.of("port", "/dev/pts/9")));
        }
        DeviceReplay replay = new DeviceReplay();
        DeviceSnapshot early = replay.at(journal, 2500).get("esp32-lab-01");
        assertThat(early.version()).isEqualTo("1.0.0");
        assertThat(early.lastVerdict()).isNull();
        assertThat(early.slots()).hasSize(2);
        DeviceSnapshot end = replay.at(journal, Long.MAX_VALUE).get("esp32-lab-01");
        assertThat(end.lastVerdictCode()).contains("HASH_MISMATCH");
        assertThat(end.led().periodMs()).isEqualTo(1000);
    }

    @Test
    void deployNextGoesOneVersionAboveWhatIsDeployedAndRunning() {
        List<Release> releases = List.of(release("2.0.0"), release("4.0.0"), release("3.0.0"));
        assertThat(NextRelease.after(releases, "shop-display", null, List.of("1.0.0"))).map(Release::version).contains("2.0.0");
        assertThat(NextRelease.after(releases, "shop-display", "2.0.0", List.of("1.0.0"))).map(Release::version).contains("3.0.0");
        assertThat(NextRelease.after(releases, "shop-display", "2.0.0", List.of("3.0.0"))).map(Release::version).contains("4.0.0");
        assertThat(NextRelease.after(releases, "shop-display", "4.0.0", List.of())).isEmpty();
        assertThat(NextRelease.after(releases, "other", null, List.of())).isEmpty();
    }

    private static Release release(String version) {
        return new Release("shop-display", version, 1, Path.of("x.bin"), Path.of("x.jws"), 1, "00", 1,
                Instant.EPOCH, Instant.EPOCH, "jws");
    }

    @Test
    void withoutADisplayTheWindowSaysWhatToRunInstead() {
        String problem = DisplayCheck.problem(Map.of(), "Linux");
        assertThat(problem).contains("./workbench lab").contains("xvfb-run").doesNotContain("\n");
        assertThat(DisplayCheck.problem(Map.of("DISPLAY", ":0"), "Linux")).isNull();
        assertThat(DisplayCheck.problem(Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux")).isNull();
        assertThat(DisplayCheck.problem(Map.of(), "Mac OS X")).isNull();
    }

    @Test
    void anAttackTheDeviceOnlySurvivedIsNamedAsDenyingTheUpdateInBothLanguages() {
        I18n i18n = new I18n(Locale.ENGLISH);
        AttackCardModel slow = new AttackCardModel(org.secureota.workbench.attack.AttackCatalog.require("slow-retrieval"), i18n);
        slow.judgementProperty().set(new org.secureota.workbench.attack.Judgement("slow-retrieval", "esp32-lab-01",
                org.secureota.workbench.attack.JudgementResult.RESISTED, "TIMEOUT", java.util.Set.of("TIMEOUT"),
                org.secureota.workbench.attack.DeviceCheck.READ_TIMEOUT, true, 4, 4096, "1.0.0", "1.0.0", "verdict TIMEOUT", 1));
        assertThat(slow.outcomeProperty().get()).contains("TIMEOUT").contains("Availability").contains("failed safe")
                .contains("denied the update").contains("operator");
        i18n.setLocale(Locale.FRENCH);
        assertThat(slow.outcomeProperty().get()).contains("Disponibilité").contains("mis en sécurité");

        i18n.setLocale(Locale.ENGLISH);
        AttackCardModel dropOnce = new AttackCardModel(org.secureota.workbench.attack.AttackCatalog.require("dropped-connection"), i18n);
        dropOnce.judgementProperty().set(new org.secureota.workbench.attack.Judgement("dropped-connection", "esp32-lab-01",
                org.secureota.workbench.attack.JudgementResult.RESISTED, "UPDATED", java.util.Set.of("UPDATED"),
                org.secureota.workbench.attack.DeviceCheck.RANGE_RESUME, true, 3, 600_000, "1.0.0", "2.0.0", "verdict UPDATED", 2));
        assertThat(dropOnce.outcomeProperty().get()).as("a resumed update was not denied").doesNotContain("Availability");
        AttackCardModel flipped = new AttackCardModel(org.secureota.workbench.attack.AttackCatalog.require("flipped-byte"), i18n);
        flipped.judgementProperty().set(new org.secureota.workbench.attack.Judgement("flipped-byte", "esp32-lab-01",
                org.secureota.workbench.attack.JudgementResult.RESISTED, "HASH_MISMATCH", java.util.Set.of("HASH_MISMATCH"),
                org.secureota.workbench.attack.DeviceCheck.SHA256, true, 3, 600_000, "1.0.0", "1.0.0", "verdict HASH_MISMATCH", 3));
        assertThat(flipped.outcomeProperty().get()).doesNotContain("Availability");
    }
}
