package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Prerequisites;
import org.secureota.workbench.attack.AttackSurface;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.LcdScreen;
import org.secureota.workbench.device.LedPattern;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.SessionLog;
import org.secureota.workbench.journal.SessionReader;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.server.Deployments;
import org.secureota.workbench.session.BoardPower;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.session.SessionSnapshot;
import org.secureota.workbench.session.VirtualDeviceOptions;
import org.junit.jupiter.api.Tag;

/**
 * No stale state: the panels' view models as pure functions of the session's snapshots. Everything is
 * driven through the session (the CLI's deployments file, the session's attacker, the board's power),
 * never through the window, on a real lab with the virtual ESP32 running the real firmware; the view
 * models run on the test thread (current-thread executors), as the window feeds them on the FX thread.
 */
@Timeout(600)
@Tag("e2e")
class SessionDrivenViewModelTest {

    static final String ID = "lab-01";
    static final Duration WAIT = Duration.ofSeconds(120);
    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();

    @TempDir
    Path labDir;

    private LabSession session;
    private final I18n i18n = new I18n(Locale.ENGLISH);
    private final DeviceViewModel device = new DeviceViewModel(i18n);
    private final ServerViewModel server = new ServerViewModel(i18n);
    private final AttackerViewModel attacker = new AttackerViewModel(i18n, Runnable::run, Runnable::run);

    /** What LiveSession.show does with a snapshot, on this thread. */
    private void show() {
        SessionSnapshot s = session.snapshot();
        server.apply(s.server(), s.devices().values().stream().map(DeviceSnapshot::version).filter(v -> v != null).toList());
        DeviceSnapshot d = s.devices().get(ID);
        attacker.deviceShows(ID, d);
        device.apply(d, s.boards().get(ID).power());
        device.setJudgement(attacker.latestJudgements().get(ID));
    }

    /** Waits until the session's snapshot (what the window is fed), not just the device's model, shows it. */
    private void awaitDevice(java.util.function.Predicate<DeviceSnapshot> p, String what) throws Exception {
        session.await(s -> s.devices().get(ID) != null && p.test(s.devices().get(ID)), WAIT, what);
    }

    @Test
    void everyPanelFollowsTheSessionWhateverChangedIt() throws Exception {
        Prerequisites.require(VirtualEsp32.isBuilt(ROOT), "the virtual ESP32 (" + VirtualEsp32.executable(ROOT)
                + "): run mvn package or esp32-firmware/host-build.sh");
        session = LabSession.openAndWait(SessionSetup.defaults(new LabFolder(labDir)).withProjectRoot(ROOT));
        try {
            LabDevice d = session.createVirtualDevice(ID, LabSessionDefaults.PRODUCT, VirtualDeviceOptions.factoryFreshV1())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            awaitDevice(s -> "1.0.0".equals(s.version()) && !s.slots().isEmpty(), "V1 running");
            attacker.setAttacker(session.attacker(), EnumSet.allOf(AttackSurface.class));
            show();
            assertThat(device.outcome().kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.NO_ATTEMPT);

            // A deployment from another process (the CLI writes the same file): the Deployments list follows it.
            new Deployments(new LabFolder(labDir).devices()).setProduct(LabSessionDefaults.PRODUCT, "2.0.0");
            session.await(s -> "2.0.0".equals(s.server().deployments().products().get(LabSessionDefaults.PRODUCT)),
                    Duration.ofSeconds(10), "the CLI's deployment in the session's snapshot");
            show();
            assertThat(server.deployments()).containsExactly(LabSessionDefaults.PRODUCT + " → 2.0.0");

            d.check().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            awaitDevice(s -> "2.0.0".equals(s.version()) && "VALID".equalsIgnoreCase(String.valueOf(s.runningState())),
                    "V2 running, confirmed");
            show();
            assertThat(device.outcome().kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.UPDATED);
            assertThat(device.outcome().headlineProperty().get()).isEqualTo("UPDATED");

            // A power cut in the middle of an update (what a sweep does dozens of times): no verdict comes, and
            // after power on the banner says INTERRUPTED, not NO ATTEMPT; the device still runs V2.
            session.deploy(LabSessionDefaults.PRODUCT, "3.0.0").get(30, TimeUnit.SECONDS);
            long bootsBefore = session.snapshot().devices().get(ID).boots();
            d.armCut(40, org.secureota.workbench.device.CutPoint.HALFWAY).get(30, TimeUnit.SECONDS);
            d.check().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            session.await(s -> s.boards().get(ID).power() == BoardPower.CUT || s.boards().get(ID).power() == BoardPower.OFF,
                    WAIT, "the board cut at flash operation 41, mid-update");
            d.powerOn().get(30, TimeUnit.SECONDS);
            awaitDevice(s -> s.boots() > bootsBefore && s.interrupted() != null && "2.0.0".equals(s.version()),
                    "a boot after the cut, the attempt interrupted, V2 running");
            show();
            assertThat(device.outcome().kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.INTERRUPTED);
            assertThat(device.outcome().headlineProperty().get()).isEqualTo("INTERRUPTED");
            assertThat(device.outcome().sentenceProperty().get()).startsWith("A power cut interrupted the update")
                    .endsWith("started again on 2.0.0.");
            assertThat(device.outcome().kindProperty().get().styleClass()).isEqualTo("outcome-held");

            // An attack that the device resists: RESISTED, never in red; disarmed, the judgement clears.
            session.deploy(LabSessionDefaults.PRODUCT, "3.0.0").get(30, TimeUnit.SECONDS);
            AttackCardModel flipped = attacker.card("flipped-byte").orElseThrow();
            attacker.toggle(flipped).get(30, TimeUnit.SECONDS);
            d.check().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            awaitDevice(s -> s.lastVerdict() != null && "HASH_MISMATCH".equals(s.lastVerdict().code()), "HASH_MISMATCH");
            // The window shows the judgement the session's attacker publishes; it does not judge.
            attacker.judged(session.attacker().awaitJudgement("flipped-byte", ID, 0, WAIT)
                    .orElseThrow(() -> new AssertionError("no judgement of flipped-byte was published")));
            show();
            assertThat(device.outcome().kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.RESISTED);
            assertThat(device.outcome().kindProperty().get().styleClass()).isEqualTo("outcome-good");
            assertThat(device.outcome().codeProperty().get()).isEqualTo("HASH_MISMATCH");
            assertThat(device.verdictAlarmProperty().get()).as("a defence that held is never red").isFalse();
            attacker.toggle(flipped).get(30, TimeUnit.SECONDS);
            show();
            assertThat(flipped.judgementProperty().get()).as("disarmed: the judgement clears").isNull();
            assertThat(device.outcome().kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.NOT_UPDATED);

            // V4 fails its self-test and rolls back: the banner and the last verdict follow the rollback.
            session.deploy(LabSessionDefaults.PRODUCT, "4.0.0").get(30, TimeUnit.SECONDS);
            d.check().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            awaitDevice(s -> s.lastVerdict() != null && "UPDATED".equals(s.lastVerdict().code())
                    && OutcomeViewModel.rolledBack(s, "4.0.0"), "V4 rolled back to V2");
            show();
            assertThat(device.outcome().kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.ROLLED_BACK);
            assertThat(device.outcome().sentenceProperty().get()).contains("4.0.0 failed its self-test").contains("2.0.0");
            assertThat(device.versionProperty().get()).isEqualTo("2.0.0");

            // A power cut: the LCD goes blank and the LED dark, whatever the device last wrote.
            assertThat(session.snapshot().devices().get(ID).lcd()).isNotEqualTo(LcdScreen.BLANK);
            d.powerCut().get(30, TimeUnit.SECONDS);
            session.await(s -> s.boards().get(ID).power() == BoardPower.CUT || s.boards().get(ID).power() == BoardPower.OFF,
                    Duration.ofSeconds(30), "the board without power");
            assertThat(session.snapshot().devices().get(ID).led()).as("the device's last report").isNotEqualTo(LedPattern.OFF);
            show();
            assertThat(device.lcdProperty().get()).isEqualTo(LcdScreen.BLANK);
            assertThat(device.ledProperty().get()).isEqualTo(LedPattern.OFF);

            // Reset demo: factory-fresh V1, no deployment, nothing armed, one session.reset event; the first
            // click is Deploy V2.0.0 again.
            attacker.toggle(flipped).get(30, TimeUnit.SECONDS);
            session.resetDemo().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            awaitDevice(s -> "1.0.0".equals(s.version()) && !s.slots().isEmpty() && !LcdScreen.BLANK.equals(s.lcd()),
                    "V1 again, its LCD written");
            session.await(s -> s.boards().get(ID).power() == BoardPower.RUNNING, WAIT, "board running again");
            show();
            assertThat(session.attacker().armed()).isEmpty();
            assertThat(server.deployments()).isEmpty();
            assertThat(server.deployLabelProperty().get()).isEqualTo("Deploy V2.0.0");
            assertThat(device.outcome().kindProperty().get()).isEqualTo(OutcomeViewModel.Kind.NO_ATTEMPT);
            assertThat(device.lcdProperty().get()).isNotEqualTo(LcdScreen.BLANK);
            Path journal = session.folder().resolve(SessionLog.JOURNAL_FILE);
            session.close();
            List<String> resets = SessionReader.read(journal).events().stream().filter(EventType.SESSION_RESET::is)
                    .map(e -> e.message()).toList();
            assertThat(resets).hasSize(1);
        } finally {
            session.close();
        }
    }
}
