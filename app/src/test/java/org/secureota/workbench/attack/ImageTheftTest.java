package org.secureota.workbench.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.firmware.AppDescriptor;
import org.secureota.workbench.firmware.AppImageBuilder;
import org.secureota.workbench.firmware.ChipId;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.network.DeviceEndpoint;
import org.secureota.workbench.network.LabTimeServer;
import org.secureota.workbench.network.Upstream;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.ProductKeys;
import org.secureota.workbench.server.OtaServer;
import org.secureota.workbench.server.ServerState;
import org.junit.jupiter.api.Tag;

/**
 * The image thief on a real lab (real store, real esp_encrypted_img ciphertext, real server and endpoint):
 * a plaintext release is stolen in full and judged not resisted, an encrypted one yields only ciphertext and
 * is judged resisted; the store is only read and the copies stay after disarming.
 */
@Timeout(120)
@Tag("integration")
class ImageTheftTest {

    @TempDir
    Path root;

    Journal journal = new Journal();
    LabPki pki;
    ServerState state;
    OtaServer server;
    DeviceEndpoint endpoint;
    LabTimeServer time;
    Path session;
    Attacker attacker;
    Release plain;
    Release encrypted;

    @BeforeEach
    void lab() throws Exception {
        LabFolder lab = new LabFolder(root.resolve("lab"));
        pki = new LabPki(lab.certs());
        pki.init(false, new HostIdentity(List.of("localhost"), List.of("127.0.0.1")), Clock.systemUTC());
        state = ServerState.of(lab);
        ProductKeys keys = new ProductKeys(pki.directory());
        keys.create("shop-display", ProductKeys.KeyType.P256, false);
        plain = state.releases().publish(image("2.0.0"), "shop-display", pki.signingKey(), Duration.ofDays(30),
                Clock.systemUTC());
        encrypted = state.releases().publish(image("3.0.0"), "shop-display", pki.signingKey(), Duration.ofDays(30),
                Clock.systemUTC(), false, keys.publicKey("shop-display"));
        server = OtaServer.builder(lab, journal).port(0).start();
        endpoint = DeviceEndpoint.start(journal, Upstream.loopback("lab server", server.port()));
        time = LabTimeServer.start(journal);
        session = Files.createDirectories(root.resolve("session"));
        attacker = new Attacker(new AttackTarget(journal, pki, state, endpoint, time, "shop-display", session));
    }

    @AfterEach
    void stop() {
        attacker.close();
        endpoint.close();
        server.close();
        time.close();
        journal.close();
    }

    /** A built app image whose data looks like real code and text: varied bytes, with erased-flash padding. */
    private Path image(String version) throws Exception {
        byte[] rodata = new byte[40_000];
        new Random(version.hashCode()).nextBytes(rodata);
        Arrays.fill(rodata, 30_000, 34_000, (byte) 0xFF);
        Path file = root.resolve("shop-display-" + version + ".bin");
        Files.write(file, AppImageBuilder.forChip(ChipId.HOST).descriptor(AppDescriptor.of("shop-display", version, 1))
                .rodata(rodata).build());
        return file;
    }

    private Map<Path, byte[]> storeBytes() throws Exception {
        Map<Path, byte[]> all = new HashMap<>();
        try (var files = Files.walk(state.releases().directory())) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                all.put(p, Files.readAllBytes(p));
            }
        }
        return all;
    }

    private JournalEvent stolenEvent() {
        List<JournalEvent> e = journal.events(EventType.IMAGE_STOLEN, null, 0);
        assertThat(e).isNotEmpty();
        return e.get(e.size() - 1);
    }

    @Test
    void aPlaintextReleaseIsStolenInFullAndJudgedNotResisted() throws Exception {
        state.deploy("shop-display", "2.0.0");
        Map<Path, byte[]> before = storeBytes();
        ArmedAttack a = attacker.arm("steal-image", Map.of());
        assertThat(a.expected().stoppedBy()).isEqualTo(DeviceCheck.IMAGE_ENCRYPTION);
        assertThat(a.expected().mustNotHappen()).containsExactly(Forbidden.PLAINTEXT_STOLEN);
        Path copy = session.resolve("stolen").resolve(plain.imageFileName());
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(plain.imageFile()));
        JournalEvent e = stolenEvent();
        assertThat(e.fields()).containsEntry("result", "not_resisted").containsEntry("encrypted", false)
                .containsEntry("version", "2.0.0");
        assertThat(((Number) e.fields().get("longest_plaintext_run")).longValue()).isEqualTo(plain.size());

        Judgement j = attacker.latest("steal-image", null).orElseThrow();
        assertThat(j.result()).isEqualTo(JudgementResult.NOT_RESISTED);
        assertThat(j.summary()).contains("the copy is the image");

        assertThat(attacker.disarm("steal-image")).contains("restored");
        assertThat(storeBytes().keySet()).isEqualTo(before.keySet());
        before.forEach((p, b) -> assertThat(storeBytesOf(p)).isEqualTo(b));
        assertThat(copy).exists();
        assertThat(journal.events(EventType.ATTACK_DISARMED, null, 0)).hasSize(1);
        // Disarmed, the judgement still stands: what was taken stays taken.
        assertThat(attacker.latest("steal-image", null).orElseThrow().result()).isEqualTo(JudgementResult.NOT_RESISTED);
    }

    private byte[] storeBytesOf(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anEncryptedReleaseYieldsOnlyCiphertextAndIsJudgedResisted() throws Exception {
        state.deploy("shop-display", "3.0.0");
        Map<Path, byte[]> before = storeBytes();
        attacker.arm("steal-image", Map.of());
        Path copy = session.resolve("stolen").resolve(encrypted.imageFileName());
        assertThat(copy.getFileName().toString()).endsWith(".enc");
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(encrypted.imageFile()));
        JournalEvent e = stolenEvent();
        assertThat(e.fields()).containsEntry("result", "resisted").containsEntry("encrypted", true);
        assertThat(((Number) e.fields().get("longest_plaintext_run")).intValue()).isLessThan(PlaintextRuns.MIN_RUN);

        Judgement j = attacker.latest("steal-image", null).orElseThrow();
        assertThat(j.result()).isEqualTo(JudgementResult.RESISTED);
        assertThat(j.summary()).contains("only ciphertext");
        attacker.disarm("steal-image");
        before.forEach((p, b) -> assertThat(storeBytesOf(p)).isEqualTo(b));
        assertThat(copy).exists();
    }

    @Test
    void withoutASessionFolderOrAProductKeyTheTheftIsRefusedByName() throws Exception {
        state.deploy("shop-display", "3.0.0");
        try (Attacker noFolder = new Attacker(new AttackTarget(journal, pki, state, endpoint, time, "shop-display"))) {
            assertThatThrownBy(() -> noFolder.arm("steal-image", Map.of())).hasMessageContaining("session folder");
        }
        Files.delete(new ProductKeys(pki.directory()).privateKeyFile("shop-display"));
        assertThatThrownBy(() -> attacker.arm("steal-image", Map.of()))
                .hasMessageContaining("no decryption key for shop-display");
        assertThat(attacker.armed()).isEmpty();
        assertThat(journal.events(EventType.IMAGE_STOLEN, null, 0)).isEmpty();
    }

    @Test
    void aRunOf64BytesOfPlaintextCountsAndPaddingDoesNot() {
        byte[] plaintext = new byte[10_000];
        new Random(1).nextBytes(plaintext);
        Arrays.fill(plaintext, 5_000, 6_000, (byte) 0xFF);
        byte[] copy = new byte[10_000];
        new Random(2).nextBytes(copy);
        assertThat(PlaintextRuns.longest(copy, plaintext)).isLessThan(PlaintextRuns.MIN_RUN);
        // Padding shared by both reveals nothing.
        Arrays.fill(copy, 100, 900, (byte) 0xFF);
        assertThat(PlaintextRuns.longest(copy, plaintext)).isLessThan(PlaintextRuns.MIN_RUN);
        // 63 bytes at an unaligned offset stay under the threshold; 64 reach it, wherever they sit.
        System.arraycopy(plaintext, 1_237, copy, 3_001, 63);
        assertThat(PlaintextRuns.longest(copy, plaintext)).isLessThan(PlaintextRuns.MIN_RUN);
        System.arraycopy(plaintext, 7_777, copy, 8_123, 64);
        assertThat(PlaintextRuns.longest(copy, plaintext)).isGreaterThanOrEqualTo(64);
        assertThat(PlaintextRuns.longest(plaintext, plaintext)).isEqualTo(plaintext.length);
    }
}
