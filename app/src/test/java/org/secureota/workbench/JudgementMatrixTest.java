package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.attack.ArmedAttack;
import org.secureota.workbench.attack.Attack;
import org.secureota.workbench.attack.AttackCatalog;
import org.secureota.workbench.attack.AttackException;
import org.secureota.workbench.attack.Attacker;
import org.secureota.workbench.attack.Judgement;
import org.secureota.workbench.attack.JudgementResult;
import org.secureota.workbench.attack.JudgementRules;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.firmware.AppImage;
import org.secureota.workbench.firmware.OtaState;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.session.VirtualDeviceOptions;
import org.junit.jupiter.api.Tag;
import org.secureota.workbench.journal.EventType;

/**
 * The judgement matrix (issue 19): every attack of the catalogue against five starting states, on virtual
 * ESP32s running the real firmware, each attempt judged by the session's attacker by itself. Each cell asserts
 * the judgement and its reason; after each attack of state (a), disarming and deploying a newer honest release
 * must install it. The table the run produces is docs/attacks.md's; with {@code -Dworkbench.writeDocs=true}
 * the test writes it there instead of comparing.
 *
 * <p>One session per state, its devices reused while an attack leaves them as they were (a refused attempt
 * changes nothing on the device); a device that installed something is replaced.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(900)
@Tag("e2e")
class JudgementMatrixTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    static final Path DOC = ROOT.resolve("docs/attacks.md");
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String PRODUCT = LabSessionDefaults.PRODUCT;
    static final List<String> STATES = List.of("a", "b", "c", "d", "e");
    /** Parameters that make a cell's reason the same on every run (a random offset could hit the header). */
    static final Map<String, Map<String, String>> PARAMETERS = Map.of("flipped-byte", Map.of("offset", "4096"));

    /** attack -> state -> "RESULT: reason" (or "refused to arm: message"). */
    private final Map<String, Map<String, String>> table = new LinkedHashMap<>();
    private int boards;

    @TempDir
    Path temp;

    LabSession session;
    Attacker attacker;

    // ---- the states ----

    @Test
    @Order(1)
    void a_v1WithTwoDeployed() throws Exception {
        if (!included("a")) {
            return;
        }
        try (LabSession s = open("a", true)) {
            s.deploy(PRODUCT, "2.0.0").join();
            LabDevice d = fresh();
            for (Attack a : AttackCatalog.all()) {
                String cell = attempt(a, d, null);
                // Then the honest path: disarmed, a newer release deployed to this device installs.
                if (!cell.startsWith("refused to arm")) {
                    s.deployToDevice(d.id(), "3.0.0").join();
                    JournalEvent v = check(d);
                    assertThat(v.field("code")).as(a.id() + ": after disarm, " + v.message()).hasValue("UPDATED");
                    assertThat(v.field("version")).hasValue("3.0.0");
                    d = replace(d);
                }
            }
        }
    }

    @Test
    @Order(2)
    void b_alreadyRunningTheDeployedVersion() throws Exception {
        if (!included("b")) {
            return;
        }
        try (LabSession s = open("b", true)) {
            s.deploy(PRODUCT, "2.0.0").join();
            LabDevice d = fresh();
            install(d, "2.0.0");
            for (Attack a : AttackCatalog.all()) {
                attempt(a, d, null);
                d = keepOrReplace(d, "2.0.0", () -> install(lastFresh, "2.0.0"));
            }
        }
    }

    @Test
    @Order(3)
    void c_v4RolledBackAndStillDeployed() throws Exception {
        if (!included("c")) {
            return;
        }
        try (LabSession s = open("c", true)) {
            LabDevice d = rolledBack(s);
            for (Attack a : AttackCatalog.all()) {
                attempt(a, d, null);
                d = keepOrReplace(d, "3.0.0", () -> {
                    LabDevice r = lastFresh;
                    install(r, "3.0.0");
                    rollBack(r);
                });
            }
        }
    }

    @Test
    @Order(4)
    void d_anEncryptedRelease() throws Exception {
        if (!included("d")) {
            return;
        }
        try (LabSession s = open("d", false)) {
            s.publish(ROOT.resolve(VirtualEsp32.IMAGES).resolve("v2_promo.bin"), PRODUCT, true).join();
            Path other = temp.resolve("kiosk.bin");
            Files.write(other, AppImage.withProjectName(Files.readAllBytes(ROOT.resolve(VirtualEsp32.IMAGES)
                    .resolve("v2_promo.bin")), LabSessionDefaults.OTHER_PRODUCT));
            s.publish(other, LabSessionDefaults.OTHER_PRODUCT).join();
            s.deploy(PRODUCT, "2.0.0").join();
            LabDevice d = fresh();
            for (Attack a : AttackCatalog.all()) {
                attempt(a, d, null);
                d = keepOrReplace(d, "1.0.0", () -> { });
            }
        }
    }

    @Test
    @Order(5)
    void e_twoDevicesOnlyTheOtherUpdating() throws Exception {
        if (!included("e")) {
            return;
        }
        try (LabSession s = open("e", true)) {
            s.deploy(PRODUCT, "2.0.0").join();
            LabDevice judged = fresh();
            install(judged, "2.0.0");
            LabDevice other = fresh();
            for (Attack a : AttackCatalog.all()) {
                attempt(a, judged, other);
                judged = keepOrReplace(judged, "2.0.0", () -> install(lastFresh, "2.0.0"));
                if (!"1.0.0".equals(status(other).version())) {
                    LabDevice gone = other;
                    other = fresh();
                    session.removeDevice(gone.id()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            }
        }
    }

    /** {@code -Dmatrix.states=c,d} runs only those states (while working on the judge); the doc is then left alone. */
    private static boolean included(String state) {
        String only = System.getProperty("matrix.states", "");
        return only.isBlank() || List.of(only.split(",")).contains(state);
    }

    // ---- one cell ----

    /**
     * Arms {@code a}, lets {@code d} (and {@code busy}, another device, at the same time) check, and records
     * the attacker's own judgement of {@code d}'s attempt; then disarms.
     */
    private String attempt(Attack a, LabDevice d, LabDevice busy) throws Exception {
        String state = stateOf();
        ArmedAttack armed;
        long mark = session.journal().size();
        try {
            armed = attacker.arm(a.id(), PARAMETERS.getOrDefault(a.id(), Map.of()));
        } catch (AttackException refused) {
            return record(a, state, "refused to arm: " + refused.getMessage());
        }
        try {
            if (a.id().equals("steal-image")) {
                // Judged by the copy at arming, for the whole lab; the device's attempt is not judged against it.
                Judgement theft = attacker.awaitJudgement(a.id(), null, mark, WAIT).orElseThrow();
                assertThat(theft.deviceId()).isNull();
                return record(a, state, theft.result() + ": " + theft.reason().replaceAll(" to /[^;]+", " to the session folder"));
            }
            if (armed.expected().needsRestart()) {
                reboot(d);
                if (busy != null) {
                    reboot(busy);
                }
            }
            long before = session.journal().size();
            CompletableFuture<JournalEvent> other = busy == null ? null
                    : CompletableFuture.supplyAsync(() -> uncheckedCheck(busy));
            JournalEvent verdict = check(d);
            if (other != null) {
                settle(busy, other.get(WAIT.toSeconds(), TimeUnit.SECONDS), before);
            }
            settle(d, verdict, before);
            Judgement j = attacker.awaitJudgement(a.id(), d.id(), before, WAIT).orElseThrow(() ->
                    new AssertionError("no judgement of " + a.id() + " on " + d.id()));
            assertThat(j.verdictSeq()).isEqualTo(verdict.seq());
            assertThat(j.verdict()).isEqualTo(verdict.field("code").orElseThrow());
            // The judgement the journal holds is the one published, field for field.
            JournalEvent journaled = session.journal().events(org.secureota.workbench.journal.EventType.ATTACK_JUDGED,
                    d.id(), before).stream().filter(e -> a.id().equals(e.field("attack").orElse(null)))
                    .findFirst().orElseThrow();
            assertThat(Judgement.fromJournal(journaled)).hasValue(j);
            // Never "not resisted" for an attempt the attack did not reach.
            if (!j.struck()) {
                assertThat(j.result()).as(j.summary()).isEqualTo(JudgementResult.NO_ATTEMPT);
            }
            if (busy != null) {
                // Only the judged device's own traffic counts: the other device's download is not in it.
                assertThat(j.imageBytesServed()).as(j.summary()).isZero();
            }
            return record(a, state, j.result() + ": " + j.reason());
        } finally {
            attacker.disarm(a.id());
            if (armed.expected().needsRestart()) {
                reboot(d);
                if (busy != null) {
                    reboot(busy);
                }
            }
        }
    }

    /** After an installing verdict, waits until the device runs the new version, confirmed. */
    private void settle(LabDevice d, JournalEvent verdict, long mark) throws Exception {
        if ("UPDATED".equals(verdict.field("code").orElse(null))) {
            JournalEvent boot = awaitBoot(d, mark, verdict.field("version").orElseThrow());
            await(boot.seq(), e -> EventType.DEVICE_APP_STATE.wireName().equals(e.type()) && d.id().equals(e.deviceId())
                    && "valid".equals(e.fields().get("state")), "confirmation on " + d.id());
        }
    }

    private String record(Attack a, String state, String cell) {
        table.computeIfAbsent(a.id(), k -> new LinkedHashMap<>()).put(state, cell);
        return cell;
    }

    private String currentState;

    private String stateOf() {
        return currentState;
    }

    // ---- the document ----

    @AfterAll
    void theTableIsDocsAttacksMd() throws Exception {
        if (table.isEmpty()) {
            return;
        }
        if (!System.getProperty("matrix.states", "").isBlank()) {
            System.out.println(matrix());
            return;
        }
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String rules = JudgementRules.markdownTable();
        String matrix = matrix();
        String written = replaceBetween(replaceBetween(doc, "rules", rules), "matrix", matrix);
        if (Boolean.getBoolean("workbench.writeDocs")) {
            Files.writeString(DOC, written, StandardCharsets.UTF_8);
            return;
        }
        assertThat(table.keySet()).as("every attack was tried").hasSize(AttackCatalog.all().size());
        assertThat(doc).as("docs/attacks.md: run with -Dworkbench.writeDocs=true and review the diff").isEqualTo(written);
    }

    private String matrix() {
        StringBuilder s = new StringBuilder("| attack | state | judgement |\n|---|---|---|\n");
        for (Map.Entry<String, Map<String, String>> row : table.entrySet()) {
            for (Map.Entry<String, String> cell : row.getValue().entrySet()) {
                s.append("| `").append(row.getKey()).append("` | (").append(cell.getKey()).append(") | ")
                        .append(cell.getValue().replace("|", "\\|")).append(" |\n");
            }
        }
        return s.toString();
    }

    static String replaceBetween(String doc, String name, String content) {
        String begin = "<!-- " + name + ":begin -->\n";
        String end = "<!-- " + name + ":end -->";
        int from = doc.indexOf(begin);
        int to = doc.indexOf(end);
        if (from < 0 || to < from) {
            throw new AssertionError("docs/attacks.md lacks the markers " + begin.strip() + " ... " + end);
        }
        return doc.substring(0, from + begin.length()) + content + doc.substring(to);
    }

    // ---- the lab ----

    private LabSession open(String state, boolean builtReleases) {
        Prerequisites.require(VirtualEsp32.isBuilt(ROOT), "the virtual ESP32 is not built: run"
                + " esp32-firmware/host-build.sh (or mvn package) for the judgement matrix");
        currentState = state;
        session = LabSession.openAndWait(SessionSetup.defaults(new LabFolder(temp.resolve(state))).withProjectRoot(ROOT)
                .withPublishBuiltReleases(builtReleases));
        attacker = session.attacker();
        return session;
    }

    private LabDevice lastFresh;

    private LabDevice fresh() throws Exception {
        LabDevice d = session.createVirtualDevice("esp32-lab-" + String.format("%02d", ++boards), PRODUCT,
                VirtualDeviceOptions.factoryFreshV1()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        d.model().await(x -> "1.0.0".equals(x.version()) && x.runningState() == OtaState.VALID && !x.slots().isEmpty(),
                WAIT, "V1 running and reported");
        lastFresh = d;
        return d;
    }

    private LabDevice replace(LabDevice d) throws Exception {
        LabDevice next = fresh();
        session.removeDevice(d.id()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return next;
    }

    @FunctionalInterface
    private interface Preparation {
        void run() throws Exception;
    }

    /** Keeps {@code d} if it still runs {@code version}; else a fresh device brought to the state. */
    private LabDevice keepOrReplace(LabDevice d, String version, Preparation bring) throws Exception {
        if (version.equals(status(d).version())) {
            return d;
        }
        LabDevice next = replace(d);
        bring.run();
        return next;
    }

    private org.secureota.workbench.device.DeviceSnapshot status(LabDevice d) throws Exception {
        long mark = session.journal().size();
        d.status().join();
        await(mark, e -> EventType.DEVICE_LED.wireName().equals(e.type()) && d.id().equals(e.deviceId()), "status of " + d.id());
        return d.device();
    }

    private LabDevice rolledBack(LabSession s) throws Exception {
        LabDevice d = fresh();
        install(d, "3.0.0");
        rollBack(d);
        return d;
    }

    /** Deploys 4.0.0 to {@code d} (its self-test fails, the device goes back to 3.0.0); 4.0.0 stays deployed. */
    private void rollBack(LabDevice d) throws Exception {
        session.deployToDevice(d.id(), "4.0.0").join();
        long mark = session.journal().size();
        JournalEvent v = check(d);
        assertThat(v.field("code")).as(v.message()).hasValue("UPDATED");
        JournalEvent v4 = awaitBoot(d, mark, "4.0.0");
        awaitBoot(d, v4.seq(), "3.0.0");
        // The next check learns of the rollback and refuses 4.0.0 from then on.
        assertThat(check(d).field("code")).hasValue("VERSION_ROLLED_BACK");
    }

    /** Deploys {@code version} to {@code d} alone and waits until it runs it, confirmed. */
    private void install(LabDevice d, String version) throws Exception {
        session.deployToDevice(d.id(), version).join();
        long mark = session.journal().size();
        JournalEvent v = check(d);
        assertThat(v.field("code")).as(v.message()).hasValue("UPDATED");
        JournalEvent boot = awaitBoot(d, mark, version);
        await(boot.seq(), e -> EventType.DEVICE_APP_STATE.wireName().equals(e.type()) && d.id().equals(e.deviceId())
                && "valid".equals(e.fields().get("state")), version + " confirmed on " + d.id());
    }

    private JournalEvent check(LabDevice d) throws InterruptedException {
        long mark = session.journal().size();
        d.check().join();
        return await(mark, e -> EventType.OTA_VERDICT.wireName().equals(e.type()) && d.id().equals(e.deviceId()),
                "verdict of " + d.id());
    }

    private JournalEvent uncheckedCheck(LabDevice d) {
        try {
            return check(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void reboot(LabDevice d) throws Exception {
        long mark = session.journal().size();
        d.reset().join();
        await(mark, e -> EventType.DEVICE_BOOT.wireName().equals(e.type()) && d.id().equals(e.deviceId())
                && Boolean.FALSE.equals(e.fields().get("status_report")), "boot of " + d.id());
        // Its status after the boot, so the next check does not race the boot's own reports.
        status(d);
    }

    private JournalEvent awaitBoot(LabDevice d, long mark, String version) throws InterruptedException {
        return await(mark, e -> EventType.DEVICE_BOOT.wireName().equals(e.type()) && d.id().equals(e.deviceId())
                && Boolean.FALSE.equals(e.fields().get("status_report")) && version.equals(e.fields().get("version")),
                "boot of " + version + " on " + d.id());
    }

    private JournalEvent await(long mark, Predicate<JournalEvent> condition, String what) throws InterruptedException {
        return session.journal().awaitAfter(mark, condition, WAIT).orElseThrow(() -> new AssertionError("no " + what
                + " within " + WAIT));
    }

    static List<String> states() {
        return new ArrayList<>(STATES);
    }
}
