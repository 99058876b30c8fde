package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.attack.Judgement;
import org.secureota.workbench.attack.JudgementResult;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.LcdScreen;
import org.secureota.workbench.device.LedPattern;
import org.secureota.workbench.session.BoardPower;
import org.junit.jupiter.api.Tag;

/** The outcome banner and the device panel as pure functions of a snapshot and a judgement. */
@Tag("unit")
class OutcomeViewModelTest {

    /** V1 runs from app0; app1 holds V4, INVALID after its failed self-test. */
    static final String PARTITIONS_V4_INVALID = Telemetry.PARTITIONS
            .replace("\"state\":\"undefined\",\"running\":false,\"next_boot\":false,\"image\":{\"valid\":false,"
                            + "\"error\":\"bad magic\"}",
                    "\"state\":\"invalid\",\"running\":false,\"next_boot\":false,\"image\":{\"valid\":true,"
                            + "\"version\":\"4.0.0\",\"secure_version\":1,\"project\":\"shop-display\"}");
    static final String VERDICT_UPDATED_V4 = "@ota1 {\"ev\":\"ota\",\"phase\":\"verdict\",\"code\":\"UPDATED\","
            + "\"detail\":\"written to app1\",\"version\":\"4.0.0\"}";

    private final I18n i18n = new I18n(Locale.ENGLISH);

    private static Judgement judgement(JudgementResult r, String verdict, String versionAfter) {
        return new Judgement("flipped-byte", "esp32-lab-01", r, verdict, Set.of("HASH_MISMATCH"),
                org.secureota.workbench.attack.DeviceCheck.SHA256, true, 2, 1000, "1.0.0", versionAfter,
                "the device answered HASH_MISMATCH", 1);
    }

    @Test
    void nothingYetIsNoAttempt() {
        OutcomeViewModel vm = new OutcomeViewModel(i18n);
        vm.apply(Telemetry.device(Telemetry.BOOT_V1), null);
        assertThat(vm.kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.NO_ATTEMPT);
        assertThat(vm.headlineProperty().get()).isEqualTo("NO ATTEMPT");
        assertThat(vm.codeProperty().get()).isEmpty();
    }

    // A presenter's first Check now: while the device checks and downloads, the banner does not say
    // "no attempt" (nor what the previous attempt left); the verdict then replaces it.
    @Test
    void anAttemptUnderWayIsInProgressUntilItsVerdict() {
        OutcomeViewModel vm = new OutcomeViewModel(i18n);
        DeviceSnapshot downloading = Telemetry.device(Telemetry.BOOT_V1, Telemetry.DOWNLOAD_HALF);
        vm.apply(downloading, null, true);
        assertThat(vm.kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.IN_PROGRESS);
        assertThat(vm.headlineProperty().get()).isEqualTo("IN PROGRESS");
        assertThat(vm.kindProperty().get().styleClass()).isEqualTo("outcome-neutral");
        assertThat(vm.codeProperty().get()).isEmpty();
        // An armed attack's "no attempt since" judgement is not shown over an attempt under way either.
        vm.apply(downloading, judgement(JudgementResult.NO_ATTEMPT, null, null), true);
        assertThat(vm.kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.IN_PROGRESS);
        i18n.setLocale(Locale.FRENCH);
        assertThat(vm.headlineProperty().get()).isEqualTo("EN COURS");
        assertThat(vm.sentenceProperty().get()).startsWith("Une tentative de mise à jour est en cours");
        i18n.setLocale(Locale.ENGLISH);
        vm.apply(Telemetry.device(Telemetry.BOOT_V1, Telemetry.DOWNLOAD_HALF, Telemetry.VERDICT_HASH), null, false);
        assertThat(vm.kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.NOT_UPDATED);
    }

    @Test
    void aDevicePanelSaysInProgressFromTheFirstProgressToTheVerdict() {
        DeviceViewModel d = new DeviceViewModel(i18n);
        d.apply(Telemetry.device(Telemetry.BOOT_V1), BoardPower.RUNNING);
        assertThat(d.outcome().kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.NO_ATTEMPT);
        d.apply(Telemetry.device(Telemetry.BOOT_V1, Telemetry.DOWNLOAD_HALF), BoardPower.RUNNING);
        assertThat(d.outcome().kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.IN_PROGRESS);
        d.apply(Telemetry.device(Telemetry.BOOT_V1, Telemetry.DOWNLOAD_HALF, Telemetry.VERDICT_HASH), BoardPower.RUNNING);
        assertThat(d.outcome().kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.NOT_UPDATED);
    }

    @Test
    void anAttemptCutShortByABootIsInterruptedUntilTheNextVerdict() {
        OutcomeViewModel vm = new OutcomeViewModel(i18n);
        // A boot while downloading: no verdict came, the power went.
        DeviceSnapshot cut = Telemetry.device(Telemetry.BOOT_V1, Telemetry.DOWNLOAD_HALF, Telemetry.BOOT_V1);
        assertThat(cut.interrupted()).isNotNull();
        assertThat(cut.interrupted().bytes()).isEqualTo(131072);
        vm.apply(cut, null);
        assertThat(vm.kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.INTERRUPTED);
        assertThat(vm.headlineProperty().get()).isEqualTo("INTERRUPTED");
        assertThat(vm.kindProperty().get().styleClass()).as("the A/B slots held: amber, never red").isEqualTo("outcome-held");
        assertThat(vm.sentenceProperty().get()).isEqualTo("A power cut interrupted the update (at 131,072 of 262,144 bytes) before any verdict:"
                + " the device started again on 1.0.0.");
        assertThat(vm.sentenceProperty().get())
                .endsWith("started again on 1.0.0.");
        assertThat(vm.codeProperty().get()).isEmpty();
        i18n.setLocale(Locale.FRENCH);
        assertThat(vm.headlineProperty().get()).isEqualTo("INTERROMPU");
        assertThat(vm.sentenceProperty().get()).startsWith("Une coupure de courant").contains("l'appareil");
        i18n.setLocale(Locale.ENGLISH);

        // The next attempt's download keeps it; that attempt's verdict replaces it.
        DeviceSnapshot again = Telemetry.device(Telemetry.BOOT_V1, Telemetry.DOWNLOAD_HALF, Telemetry.BOOT_V1,
                Telemetry.DOWNLOAD_HALF);
        assertThat(again.interrupted()).isNotNull();
        DeviceSnapshot judged = Telemetry.device(Telemetry.BOOT_V1, Telemetry.DOWNLOAD_HALF, Telemetry.BOOT_V1,
                Telemetry.DOWNLOAD_HALF, Telemetry.VERDICT_HASH);
        assertThat(judged.interrupted()).isNull();
        vm.apply(judged, null);
        assertThat(vm.kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.NOT_UPDATED);

        // A verdict, then the reboot it asks for, is not an interruption; nor is a status report.
        assertThat(Telemetry.device(Telemetry.BOOT_V1, Telemetry.DOWNLOAD_HALF, VERDICT_UPDATED_V4, Telemetry.BOOT_V1)
                .interrupted()).isNull();
        assertThat(Telemetry.device(Telemetry.BOOT_V1, Telemetry.DOWNLOAD_HALF,
                Telemetry.BOOT_V1.replace("\"status_report\":false", "\"status_report\":true")).interrupted()).isNull();
        // A reset button rather than a power cut says so.
        vm.apply(Telemetry.device(Telemetry.BOOT_V1, Telemetry.DOWNLOAD_HALF,
                Telemetry.BOOT_V1.replace("\"poweron\"", "\"ext\"")), null);
        assertThat(vm.sentenceProperty().get()).startsWith("A restart (ext) interrupted the update (at ");
        vm.apply(Telemetry.device(Telemetry.BOOT_V1, "@ota1 {\"ev\":\"ota\",\"phase\":\"connect\",\"bytes\":0,\"total\":0}",
                Telemetry.BOOT_V1), null);
        assertThat(vm.sentenceProperty().get()).contains("(before its download)");
    }

    @Test
    void aRolledBackUpdateIsNeverShownAsUpdated() {
        OutcomeViewModel vm = new OutcomeViewModel(i18n);
        DeviceSnapshot s = Telemetry.device(Telemetry.BOOT_V1, VERDICT_UPDATED_V4, PARTITIONS_V4_INVALID);
        vm.apply(s, null);
        assertThat(vm.kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.ROLLED_BACK);
        assertThat(vm.headlineProperty().get()).isEqualTo("ROLLED BACK");
        assertThat(vm.sentenceProperty().get()).isEqualTo("4.0.0 failed its self-test: the device rolled back to 1.0.0 by itself.");
        assertThat(vm.kindProperty().get().styleClass()).isEqualTo("outcome-held");
        assertThat(vm.codeProperty().get()).isEqualTo("UPDATED");
        i18n.setLocale(Locale.FRENCH);
        assertThat(vm.headlineProperty().get()).isEqualTo("RETOUR ARRIÈRE");
        assertThat(vm.sentenceProperty().get()).contains("4.0.0 a échoué à son autotest").contains("l'appareil");
    }

    @Test
    void anUpdateWrittenButNotBootedBootsNext() {
        OutcomeViewModel vm = new OutcomeViewModel(i18n);
        vm.apply(Telemetry.device(Telemetry.BOOT_V1, Telemetry.PARTITIONS, VERDICT_UPDATED_V4), null);
        assertThat(vm.kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.UPDATED);
        assertThat(vm.sentenceProperty().get()).contains("boots it next");
    }

    @Test
    void aResistedAttackIsGreenWithTheCheckThatStoppedIt() {
        OutcomeViewModel vm = new OutcomeViewModel(i18n);
        DeviceSnapshot s = Telemetry.device(Telemetry.BOOT_V1, Telemetry.PARTITIONS, Telemetry.VERDICT_HASH);
        vm.apply(s, null);
        assertThat(vm.kindProperty().get()).as("refused, no attack judged").isEqualTo(OutcomeViewModel.Kind.NOT_UPDATED);
        assertThat(vm.sentenceProperty().get()).startsWith("The SHA-256 of the received image differs from the signed manifest")
                .endsWith("The device stays on 1.0.0.");
        vm.apply(s, judgement(JudgementResult.RESISTED, "HASH_MISMATCH", "1.0.0"));
        assertThat(vm.kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.RESISTED);
        assertThat(vm.headlineProperty().get()).isEqualTo("RESISTED");
        assertThat(vm.kindProperty().get().styleClass()).isEqualTo("outcome-good");
        assertThat(vm.sentenceProperty().get()).contains("image SHA-256").contains("stays on 1.0.0");
        assertThat(vm.codeProperty().get()).isEqualTo("HASH_MISMATCH");
        vm.apply(s, judgement(JudgementResult.NOT_RESISTED, "UPDATED", "1.0.0"));
        assertThat(vm.kindProperty().get().styleClass()).as("the only red").isEqualTo("outcome-bad");
        assertThat(vm.headlineProperty().get()).isEqualTo("NOT RESISTED");
        vm.apply(s, judgement(JudgementResult.NO_ATTEMPT, null, "1.0.0"));
        assertThat(vm.headlineProperty().get()).isEqualTo("NO ATTEMPT");
        assertThat(vm.sentenceProperty().get()).contains("press Check now");
    }

    // The rolled-back state: V4 failed its self-test, the deployment is still 4.0.0, a flipped byte is armed.
    // The device refuses 4.0.0 before asking for any image, so the attack is never put to the test: the banner
    // says why, and does not invite another check that would end the same way.
    @Test
    void anAttemptThatNeverMetTheAttackSaysWhyNotPressCheckAgain() {
        String refused = "@ota1 {\"ev\":\"ota\",\"phase\":\"verdict\",\"code\":\"VERSION_ROLLED_BACK\","
                + "\"detail\":\"4.0.0 was rolled back on this device\",\"version\":\"4.0.0\"}";
        DeviceSnapshot s = Telemetry.device(Telemetry.BOOT_V1, PARTITIONS_V4_INVALID, refused);
        Judgement j = new Judgement("flipped-byte", "esp32-lab-01", JudgementResult.NO_ATTEMPT, "VERSION_ROLLED_BACK",
                Set.of("HASH_MISMATCH"), org.secureota.workbench.attack.DeviceCheck.SHA256, false, 1, 0, "1.0.0",
                "1.0.0", "esp32-lab-01 refused 4.0.0, the version it rolled back from, before asking for any image,"
                + " so the flipped byte was never served", 7);
        OutcomeViewModel vm = new OutcomeViewModel(i18n);
        vm.apply(s, j);
        assertThat(vm.headlineProperty().get()).isEqualTo("NO ATTEMPT");
        assertThat(vm.sentenceProperty().get())
                .startsWith("Flipped bit in the image").contains("did not put it to the test")
                .contains("refused 4.0.0, the version it rolled back from").doesNotContain("press Check now");
        assertThat(vm.codeProperty().get()).isEqualTo("VERSION_ROLLED_BACK");
        i18n.setLocale(Locale.FRENCH);
        vm.apply(s, j);
        assertThat(vm.headlineProperty().get()).isEqualTo("AUCUNE TENTATIVE");
        assertThat(vm.sentenceProperty().get()).contains("a refusé 4.0.0, la version dont il est revenu")
                .doesNotContain("refused").doesNotContain("appuyez sur Vérifier");
        // Already up to date: nothing downloaded, said so in French without the judge's English.
        Judgement upToDate = new Judgement("flipped-byte", "esp32-lab-01", JudgementResult.NO_ATTEMPT, "NO_UPDATE",
                Set.of("HASH_MISMATCH"), org.secureota.workbench.attack.DeviceCheck.SHA256, false, 1, 0, "1.0.0",
                "1.0.0", "the device already runs 1.0.0: nothing was downloaded, so the flipped byte was never served", 8);
        vm.apply(Telemetry.device(Telemetry.BOOT_V1, Telemetry.PARTITIONS), upToDate);
        assertThat(vm.sentenceProperty().get()).contains("exécute déjà 1.0.0 et n'a rien téléchargé")
                .doesNotContain("already");
        i18n.setLocale(Locale.ENGLISH);
    }

    @Test
    void aJudgementOfAnotherVersionOrDeviceIsNotShown() {
        OutcomeViewModel vm = new OutcomeViewModel(i18n);
        DeviceSnapshot s = Telemetry.device(Telemetry.BOOT_V1, Telemetry.PARTITIONS, Telemetry.VERDICT_HASH);
        vm.apply(s, judgement(JudgementResult.RESISTED, "HASH_MISMATCH", "0.9.0"));
        assertThat(vm.kindProperty().get()).as("the device no longer runs the judged version")
                .isEqualTo(OutcomeViewModel.Kind.NOT_UPDATED);
        vm.apply(s, new Judgement("flipped-byte", "other-device", JudgementResult.NOT_RESISTED, "UPDATED", Set.of(),
                org.secureota.workbench.attack.DeviceCheck.SHA256, true, 0, 0, null, "1.0.0", "installed", 2));
        assertThat(vm.kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.NOT_UPDATED);
    }

    @Test
    void theAttackerPanelForgetsAJudgementWhenDisarmedOrWhenTheDeviceMovesOn() {
        AttackerViewModel attacker = new AttackerViewModel(i18n, Runnable::run, Runnable::run);
        AttackCardModel card = attacker.card("flipped-byte").orElseThrow();
        card.armedProperty().set(true);
        card.judgementProperty().set(judgement(JudgementResult.RESISTED, "HASH_MISMATCH", "1.0.0"));
        assertThat(attacker.latestJudgements()).containsKey("esp32-lab-01");
        attacker.deviceRuns("esp32-lab-01", "1.0.0");
        assertThat(card.judgementProperty().get()).isNotNull();
        attacker.deviceRuns("esp32-lab-01", "2.0.0");
        assertThat(card.judgementProperty().get()).as("the device is on 2.0.0 now").isNull();
        assertThat(card.outcomeProperty().get()).isEmpty();
        assertThat(attacker.latestJudgements()).isEmpty();
        card.judgementProperty().set(judgement(JudgementResult.RESISTED, "HASH_MISMATCH", "2.0.0"));
        card.armedProperty().set(false);
        assertThat(card.judgementProperty().get()).as("disarmed").isNull();
        assertThat(attacker.latestJudgements()).isEmpty();
    }

    @Test
    void aBoardWithoutPowerShowsABlankLcdAndADarkLed() {
        DeviceViewModel vm = new DeviceViewModel(i18n);
        DeviceSnapshot s = Telemetry.device(Telemetry.BOOT_V1, Telemetry.LCD_ALERT, Telemetry.LED_BLINK);
        vm.apply(s, BoardPower.RUNNING);
        assertThat(vm.lcdProperty().get().row(0)).isEqualTo("ALERTE SÉCURITÉ ");
        assertThat(vm.ledProperty().get().periodMs()).isEqualTo(1000);
        for (BoardPower off : List.of(BoardPower.CUT, BoardPower.OFF)) {
            vm.apply(s, off);
            assertThat(vm.lcdProperty().get()).isEqualTo(LcdScreen.BLANK);
            assertThat(vm.ledProperty().get()).isEqualTo(LedPattern.OFF);
        }
        vm.apply(s, BoardPower.RUNNING);
        assertThat(vm.lcdProperty().get().row(0)).isEqualTo("ALERTE SÉCURITÉ ");
    }

    @Test
    void aBannerListeningToTheJudgementsHearsOneThatArrivesAfterTheLastSnapshot() {
        AttackerViewModel attacker = new AttackerViewModel(i18n, Runnable::run, Runnable::run);
        // The same view every call: a listener on a throw-away view was lost when that view was collected.
        assertThat(attacker.latestJudgements()).isSameAs(attacker.latestJudgements());
        List<Judgement> heard = new java.util.ArrayList<>();
        attacker.latestJudgements().addListener((javafx.collections.MapChangeListener<String, Judgement>) c -> {
            if (c.wasAdded()) {
                heard.add(c.getValueAdded());
            }
        });
        System.gc(); // not a wait: collects any throw-away view, as a long session does
        Judgement resisted = judgement(JudgementResult.RESISTED, "HASH_MISMATCH", "1.0.0");
        attacker.judged(resisted);
        assertThat(heard).containsExactly(resisted);
    }
}
