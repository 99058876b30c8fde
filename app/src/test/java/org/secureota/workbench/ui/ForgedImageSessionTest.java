package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Prerequisites;
import org.secureota.workbench.attack.AttackSurface;
import org.secureota.workbench.attack.Judgement;
import org.secureota.workbench.attack.JudgementResult;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.JournalSubscription;
import org.secureota.workbench.journal.SessionExport;
import org.secureota.workbench.session.BoardSnapshot;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.session.SessionSnapshot;
import org.secureota.workbench.session.VirtualDeviceOptions;
import org.secureota.workbench.ui.timeline.TimelineModel;

/**
 * No stale state, for what an attack leaves behind: driven through a real session (the virtual ESP32 running the
 * real firmware, the session's attacker and judge), never through the window; the view models run on the test
 * thread as LiveSession feeds them on the FX thread.
 * <ul>
 *   <li>a device without the hash check installs a resealed image: its banner says NOT RESISTED, and keeps
 *       saying so after the attack is disarmed and after a check that finds nothing newer, until a genuine
 *       release replaces the image (an update; Reset demo);</li>
 *   <li>the weakened badge follows the firmware the device runs (the profile its boot reports), not the one it
 *       was flashed with, and so does the session report;</li>
 *   <li>the timeline's device lanes and its device filter follow the session's devices.</li>
 * </ul>
 * A secure device beside it, checking at the same moment (another device busy), resists, and its banner clears
 * on disarm.
 */
@Timeout(600)
@Tag("e2e")
class ForgedImageSessionTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(120);
    static final String WEAK = "lab-nohash";
    static final String SECURE = "lab-secure";
    static final String PRODUCT = LabSessionDefaults.PRODUCT;

    @TempDir
    Path dir;

    private LabSession session;
    private final I18n i18n = new I18n(Locale.ENGLISH);
    private final AttackerViewModel attacker = new AttackerViewModel(i18n, Runnable::run, Runnable::run);
    private final Map<String, DeviceViewModel> panels = new HashMap<>();
    private final TimelinePanelViewModel timeline = new TimelinePanelViewModel(i18n, new TimelineModel());
    private final ConcurrentLinkedQueue<JournalEvent> journal = new ConcurrentLinkedQueue<>();

    /** What LiveSession.show (and the controller's journal pulse) do with the session's latest state, on this thread. */
    private void show() {
        List<JournalEvent> batch = new java.util.ArrayList<>();
        for (JournalEvent e; (e = journal.poll()) != null; ) {
            batch.add(e);
        }
        timeline.addLive(batch);
        SessionSnapshot s = session.snapshot();
        Set<String> ids = new HashSet<>(s.devices().keySet());
        for (Map.Entry<String, DeviceSnapshot> d : s.devices().entrySet()) {
            BoardSnapshot board = s.boards().get(d.getKey());
            attacker.deviceShows(d.getKey(), d.getValue());
            DeviceViewModel panel = panels.computeIfAbsent(d.getKey(), k -> new DeviceViewModel(i18n));
            panel.apply(d.getValue(), board == null ? null : board.power());
            panel.setJudgement(attacker.latestJudgements().get(d.getKey()));
            panel.setVariant(board == null ? null : board.variant());
            ids.add(d.getValue().journalId());
        }
        panels.keySet().retainAll(s.devices().keySet());
        timeline.followDevices(ids);
    }

    private DeviceViewModel panel(String id) {
        return panels.get(id);
    }

    private OutcomeViewModel.Kind kind(String id) {
        return panel(id).outcome().kindProperty().get();
    }

    private DeviceSnapshot await(LabDevice d, java.util.function.Predicate<DeviceSnapshot> p, String what) throws Exception {
        session.await(s -> s.devices().get(d.id()) != null && p.test(s.devices().get(d.id())), WAIT, what);
        return session.snapshot().devices().get(d.id());
    }

    private Judgement judgement(String attack, String device, long after) throws Exception {
        Judgement j = session.attacker().awaitJudgement(attack, device, after, WAIT)
                .orElseThrow(() -> new AssertionError("no judgement of " + attack + " on " + device + " was published"));
        attacker.judged(j);
        return j;
    }

    @Test
    void aForgedImageStaysOnTheBannerUntilAGenuineReleaseReplacesIt() throws Exception {
        Prerequisites.require(VirtualEsp32.isBuilt(ROOT), "the virtual ESP32 (" + VirtualEsp32.executable(ROOT)
                + "): run mvn package or esp32-firmware/host-build.sh");
        Path image = ROOT.resolve(VirtualEsp32.IMAGES).resolve(FirmwareVariant.NO_HASH.imagePath("v1_base"));
        Prerequisites.require(Files.isRegularFile(image), "the no-hash factory image " + image
                + ": run mvn package or esp32-firmware/host-build.sh");
        session = LabSession.openAndWait(SessionSetup.defaults(new LabFolder(dir.resolve("lab"))).withProjectRoot(ROOT));
        JournalSubscription feed = session.journal().subscribe("test timeline", true, journal::add);
        try {
            LabDevice secure = LabSession.join(session.createVirtualDevice(SECURE, PRODUCT, VirtualDeviceOptions.factoryFreshV1()));
            LabDevice weak = LabSession.join(session.createVirtualDevice(WEAK, PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1().withVariant(FirmwareVariant.NO_HASH)));
            await(secure, s -> "1.0.0".equals(s.version()) && !s.slots().isEmpty(), "the secure device on V1");
            await(weak, s -> "1.0.0".equals(s.version()) && !s.slots().isEmpty() && s.profile() != null,
                    "the no-hash device on V1, its profile reported");
            attacker.setAttacker(session.attacker(), EnumSet.allOf(AttackSurface.class));
            show();
            // Fresh: the weakened board says so, from the profile its firmware reports at boot.
            assertThat(session.snapshot().devices().get(WEAK).profile()).isEqualTo("no-hash");
            assertThat(panel(WEAK).variantProperty().get()).isEqualTo(FirmwareVariant.NO_HASH);
            assertThat(panel(WEAK).variantBadgeProperty().get()).startsWith("WEAKENED FIRMWARE NO-HASH");
            assertThat(panel(SECURE).variantBadgeProperty().get()).isEmpty();
            assertThat(timeline.deviceLanes()).containsExactlyInAnyOrder(SECURE, WEAK);

            // The store's V2 rewritten and sealed again; both devices check at the same moment.
            LabSession.join(session.deploy(PRODUCT, "2.0.0"));
            AttackCardModel resealed = attacker.card("resealed-image").orElseThrow();
            attacker.toggle(resealed).get();
            LabSession.join(java.util.concurrent.CompletableFuture.allOf(secure.check(), weak.check()));
            Judgement resisted = judgement("resealed-image", SECURE, 0);
            Judgement installed = judgement("resealed-image", WEAK, 0);
            assertThat(resisted.result()).isEqualTo(JudgementResult.RESISTED);
            assertThat(installed.result()).as(installed.summary()).isEqualTo(JudgementResult.NOT_RESISTED);
            assertThat(installed.verdict()).isEqualTo("UPDATED");
            await(weak, s -> "2.0.0".equals(s.version()) && s.profile() != null && s.boots() > 1,
                    "the no-hash device running the resealed V2");
            show();
            assertThat(kind(SECURE)).isEqualTo(OutcomeViewModel.Kind.RESISTED);
            assertThat(kind(WEAK)).isEqualTo(OutcomeViewModel.Kind.NOT_RESISTED);
            assertThat(panel(WEAK).outcome().sentenceProperty().get())
                    .contains("the device runs 2.0.0, an image the attacker made");
            // What it runs now is the server's build (secure profile) with the attacker's change: no longer weakened.
            assertThat(session.snapshot().devices().get(WEAK).profile()).isEqualTo("secure");
            assertThat(panel(WEAK).variantBadgeProperty().get()).as("the badge follows the running firmware").isEmpty();
            assertThat(panel(WEAK).variantProperty().get()).isEqualTo(FirmwareVariant.SECURE);
            assertThat(panel(WEAK).weakenedBoard()).as("a weakened board keeps its place beside the secure one").isTrue();

            // Disarm all: the secure device's judgement clears; the forged image is still what the weak one runs.
            attacker.disarmAll().get();
            show();
            assertThat(resealed.judgementProperty().get()).as("the card forgets a disarmed attack").isNull();
            assertThat(kind(SECURE)).isEqualTo(OutcomeViewModel.Kind.NOT_UPDATED);
            assertThat(kind(WEAK)).as("disarmed, the device still runs the attacker's image")
                    .isEqualTo(OutcomeViewModel.Kind.NOT_RESISTED);
            assertThat(panel(WEAK).verdictAlarmProperty().get()).isTrue();

            // A check that finds nothing newer changes nothing on the device: still the attacker's image.
            long seq = session.journal().size();
            LabSession.join(weak.check());
            await(weak, s -> s.lastVerdict() != null && "NO_UPDATE".equals(s.lastVerdict().code()), "NO_UPDATE");
            show();
            assertThat(kind(WEAK)).isEqualTo(OutcomeViewModel.Kind.NOT_RESISTED);

            // A genuine release replaces it: the banner says UPDATED, and the report no longer calls it weakened.
            LabSession.join(session.deploy(PRODUCT, "3.0.0"));
            LabSession.join(weak.check());
            await(weak, s -> "3.0.0".equals(s.version()), "the no-hash device on the genuine V3");
            show();
            assertThat(kind(WEAK)).isEqualTo(OutcomeViewModel.Kind.UPDATED);
            assertThat(panel(WEAK).verdictAlarmProperty().get()).isFalse();
            assertThat(attacker.latestJudgements()).doesNotContainKey(WEAK);
            assertThat(panel(WEAK).variantBadgeProperty().get()).isEmpty();
            session.journal().await(e -> e.seq() > seq && EventType.DEVICE_BOOT.is(e) && WEAK.equals(e.deviceId())
                    && "3.0.0".equals(e.field("version").orElse(null)), WAIT).orElseThrow();
            SessionExport.writeReport(session.folder());
            String report = Files.readString(session.folder().resolve(SessionExport.REPORT_FILE));
            assertThat(report).as("the report follows the firmware running last").doesNotContain("<b>" + WEAK + "</b>: WEAKENED");

            // A device that leaves the session leaves the timeline: its lane and its place in the device filter.
            LabSession.join(session.removeDevice(SECURE));
            session.await(s -> !s.devices().containsKey(SECURE), WAIT, "the secure device removed");
            show();
            assertThat(timeline.deviceLanes()).containsExactly(WEAK);
            assertThat(timeline.deviceIds()).containsExactly(WEAK);

            // Reset demo: the board re-flashed with its no-hash V1, weakened again, no attempt, nothing kept.
            attacker.forgetJudgements();
            LabSession.join(session.resetDemo());
            await(weak, s -> "1.0.0".equals(s.version()) && "no-hash".equals(s.profile()), "the no-hash board on V1 again");
            show();
            assertThat(kind(WEAK)).isEqualTo(OutcomeViewModel.Kind.NO_ATTEMPT);
            assertThat(panel(WEAK).variantBadgeProperty().get()).startsWith("WEAKENED FIRMWARE NO-HASH");
        } finally {
            feed.close();
            session.close();
        }
    }

    /**
     * A forged V4 (the broken release, resealed) on a fresh no-hash device: it installs it, the self-test fails and it
     * rolls back to its genuine V1 by itself. It no longer runs the attacker's image: once disarmed, the banner says
     * ROLLED BACK, not NOT RESISTED, and the badge still says what the board runs (its no-hash V1).
     */
    @Test
    void aForgedImageThatRollsBackLeavesTheBannerOnDisarm() throws Exception {
        Prerequisites.require(VirtualEsp32.isBuilt(ROOT), "the virtual ESP32 (" + VirtualEsp32.executable(ROOT)
                + "): run mvn package or esp32-firmware/host-build.sh");
        Path image = ROOT.resolve(VirtualEsp32.IMAGES).resolve(FirmwareVariant.NO_HASH.imagePath("v1_base"));
        Prerequisites.require(Files.isRegularFile(image), "the no-hash factory image " + image
                + ": run mvn package or esp32-firmware/host-build.sh");
        session = LabSession.openAndWait(SessionSetup.defaults(new LabFolder(dir.resolve("lab"))).withProjectRoot(ROOT));
        try {
            LabDevice weak = LabSession.join(session.createVirtualDevice(WEAK, PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1().withVariant(FirmwareVariant.NO_HASH)));
            await(weak, s -> "1.0.0".equals(s.version()) && !s.slots().isEmpty(), "the no-hash device on V1");
            attacker.setAttacker(session.attacker(), EnumSet.allOf(AttackSurface.class));
            show();

            LabSession.join(session.deploy(PRODUCT, "4.0.0"));
            AttackCardModel resealed = attacker.card("resealed-image").orElseThrow();
            attacker.toggle(resealed).get();
            LabSession.join(weak.check());
            Judgement installed = judgement("resealed-image", WEAK, 0);
            assertThat(installed.result()).as(installed.summary()).isEqualTo(JudgementResult.NOT_RESISTED);
            show();
            assertThat(kind(WEAK)).isEqualTo(OutcomeViewModel.Kind.NOT_RESISTED);
            await(weak, s -> "1.0.0".equals(s.version()) && OutcomeViewModel.rolledBack(s, "4.0.0"),
                    "the forged V4 rolled back to the genuine V1");
            show();
            attacker.disarmAll().get();
            show();
            assertThat(attacker.latestJudgements()).doesNotContainKey(WEAK);
            assertThat(kind(WEAK)).as("it runs its genuine V1 again").isEqualTo(OutcomeViewModel.Kind.ROLLED_BACK);
            assertThat(panel(WEAK).variantBadgeProperty().get()).startsWith("WEAKENED FIRMWARE NO-HASH");

        } finally {
            session.close();
        }
    }
}
