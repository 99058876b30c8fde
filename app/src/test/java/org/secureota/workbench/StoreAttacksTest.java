package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.OtaLab.assertCode;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.junit.jupiter.api.Tag;

/**
 * The attacks on the server's store and release history, each against a virtual ESP32 running the real
 * firmware: armed, met with the documented verdict, judged resisted from the journal, disarmed, and
 * followed by a check that succeeds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(600)
@Tag("e2e")
class StoreAttacksTest {

    AttackBench bench;

    @BeforeAll
    void lab(@TempDir Path root) throws Exception {
        bench = new AttackBench(root);
    }

    @AfterAll
    void stop() {
        if (bench != null) {
            bench.close();
        }
    }

    @Test
    void aFlippedByteIsCaughtByTheHashAndTheOldVersionKeepsRunning() throws Exception {
        OtaLab.Board board = bench.lab.board("dev-flipped-byte");
        AttackBench.Outcome o = bench.attack(board, "flipped-byte", Map.of(), "HASH_MISMATCH");
        // The whole image was served (bytes written count the response's status line and headers too):
        // the hash can only be known at the end.
        assertThat(o.judgement().imageBytesServed()).isBetween(bench.imageSize("2.0.0"), bench.imageSize("2.0.0") + 1024);
        DeviceSnapshot s = board.device.await(d -> d.lcd().row(0).startsWith("ALERTE S"), OtaLab.WAIT, "alert");
        assertThat(s.lcd().rows()).containsExactly("ALERTE SÉCURITÉ ", "HASH INVALID    ");
        s = board.status();
        assertThat(s.version()).isEqualTo("1.0.0");
        assertThat(s.slot("ota_1").orElseThrow().image().valid()).isFalse();
        assertThat(s.slot("ota_1").orElseThrow().nextBoot()).isFalse();
        JournalEvent report = bench.lab.await(o.armedMark(), e -> EventType.DEVICE_REPORT.is(e)
                && board.id.equals(e.deviceId()), "refusal report");
        assertThat(report.fields()).containsEntry("event", "refused");
        assertCode(board.check(), "UPDATED");
        board.close();
    }

    /** version=deployed follows the deployment: the attack armed on V2 strikes V3 when V3 is deployed. */
    @Test
    void aStoreAttackOnTheDeployedVersionStrikesTheNextDeploymentToo() throws Exception {
        OtaLab.Board board = bench.lab.board("dev-follows");
        bench.lab.server.deployToDevice(board.id, "2.0.0");
        long mark = board.mark();
        bench.attacker.arm("flipped-byte", Map.of("offset", "4096"));
        try {
            JournalEvent first = board.check();
            assertCode(first, "HASH_MISMATCH");
            assertThat(first.field("version")).hasValue("2.0.0");
            var j2 = bench.attacker.awaitJudgement("flipped-byte", board.id, first.seq() - 1, OtaLab.WAIT).orElseThrow();
            assertThat(j2.result()).as(j2.summary()).isEqualTo(org.secureota.workbench.attack.JudgementResult.RESISTED);

            // A new deployment while armed: the attacker moves to it and says so.
            bench.lab.server.deployToDevice(board.id, "3.0.0");
            assertThat(bench.attacker.attackedVersions("flipped-byte")).contains("3.0.0");
            assertThat(bench.after(mark, EventType.ATTACK_RETARGETED)).isNotEmpty()
                    .anySatisfy(e -> assertThat(e.message()).contains("3.0.0"));
            assertThat(bench.attacker.armed("flipped-byte").orElseThrow().description()).contains("shop-display-3.0.0");
            JournalEvent second = board.check();
            assertCode(second, "HASH_MISMATCH");
            assertThat(second.field("version")).hasValue("3.0.0");
            var j3 = bench.attacker.awaitJudgement("flipped-byte", board.id, second.seq() - 1, OtaLab.WAIT).orElseThrow();
            assertThat(j3.result()).as(j3.summary()).isEqualTo(org.secureota.workbench.attack.JudgementResult.RESISTED);
            assertThat(j3.verdictSeq()).isEqualTo(second.seq());
        } finally {
            bench.attacker.disarm("flipped-byte");
        }
        // Undone on every release it touched: the honest V3 installs.
        JournalEvent honest = board.check();
        assertCode(honest, "UPDATED");
        assertThat(honest.field("version")).hasValue("3.0.0");
        board.close();
    }

    /** Sealed again (checksum, appended SHA-256): well formed, so only the signed hash refuses it. */
    @Test
    void aResealedImageIsCaughtByTheSignedHashOnly() throws Exception {
        AttackBench.Outcome o = bench.attackFreshBoard("resealed-image", Map.of(), "HASH_MISMATCH");
        assertThat(o.judgement().versionAfter()).isEqualTo("1.0.0");
        assertThat(o.judgement().imageBytesServed()).isGreaterThanOrEqualTo(bench.imageSize("2.0.0"));
    }

    @Test
    void aTruncatedImageIsRefusedBySize() throws Exception {
        AttackBench.Outcome o = bench.attackFreshBoard("truncated-image", Map.of(), "SIZE_MISMATCH");
        assertThat(o.judgement().versionAfter()).isEqualTo("1.0.0");
    }

    @Test
    void aPaddedImageIsRefusedBySize() throws Exception {
        bench.attackFreshBoard("padded-image", Map.of(), "SIZE_MISMATCH");
    }

    @Test
    void endlessDataIsStoppedByTheSignedSize() throws Exception {
        AttackBench.Outcome o = bench.attackFreshBoard("endless-data", Map.of(), "SIZE_MISMATCH");
        // The device never read the body: far less than the 16 MiB on offer went out.
        assertThat(o.judgement().imageBytesServed()).isLessThan(16L * 1024 * 1024);
    }

    @Test
    void anExpiredManifestIsRefusedBeforeAnyImageByte() throws Exception {
        AttackBench.Outcome o = bench.attackFreshBoard("freeze", Map.of(), "MANIFEST_EXPIRED");
        assertThat(o.judgement().imageBytesServed()).isZero();
    }

    @Test
    void aManifestSignedWithAnotherKeyIsRefused() throws Exception {
        AttackBench.Outcome o = bench.attackFreshBoard("wrong-signing-key", Map.of(), "MANIFEST_SIGNATURE_INVALID");
        assertThat(o.judgement().imageBytesServed()).isZero();
    }

    @Test
    void hs256AndNoneAreRejectedAsAlgorithms() throws Exception {
        bench.attackFreshBoard("alg-confusion", Map.of(), "MANIFEST_ALG_REJECTED");
        bench.attackFreshBoard("alg-confusion", Map.of("alg", "none"), "MANIFEST_ALG_REJECTED");
    }

    @Test
    void anotherProductsManifestIsRefused() throws Exception {
        AttackBench.Outcome o = bench.attackFreshBoard("mix-and-match", Map.of(), "MANIFEST_WRONG_PRODUCT");
        assertThat(o.judgement().imageBytesServed()).isZero();
    }

    @Test
    void aReplayedOldManifestAndASignedDowngradeAreRefusedByADeviceRunningV3() throws Exception {
        // The server offers a release only when it is newer than the device's: V4 stands for "the next
        // release", whose manifest file the attacker rewrites. (V4 then fails its self-test and is rolled back.)
        bench.lab.publishBuilt("v4_broken");
        OtaLab.Board board = bench.lab.board("dev-history");
        bench.lab.server.deployToDevice(board.id, "3.0.0");
        updateAndWaitFor(board, "3.0.0");
        bench.lab.server.deployToDevice(board.id, "4.0.0");

        AttackBench.Outcome replay = bench.attack(board, "replayed-manifest",
                Map.of("version", "4.0.0", "from", "2.0.0"), "MANIFEST_REPLAYED");
        assertThat(replay.judgement().imageBytesServed()).isZero();
        assertThat(replay.judgement().versionBefore()).isEqualTo("3.0.0");
        assertThat(replay.judgement().versionAfter()).isEqualTo("3.0.0");
        updateToV4AndWaitForTheRollback(board);

        AttackBench.Outcome downgrade = bench.attack(board, "downgrade", Map.of("version", "4.0.0", "to", "2.0.0"),
                "DOWNGRADE_REFUSED");
        assertThat(downgrade.verdict().field("version")).hasValue("2.0.0");
        assertThat(downgrade.judgement().imageBytesServed()).isZero();
        assertThat(board.status().version()).isEqualTo("3.0.0");
        // Disarmed, the deployed V4 is offered again, genuinely: the device remembers that it rolled it back.
        assertCode(board.check(), "VERSION_ROLLED_BACK");
        assertThat(board.status().version()).isEqualTo("3.0.0");
        board.close();
    }

    private static void updateAndWaitFor(OtaLab.Board board, String version) throws Exception {
        long mark = board.mark();
        assertCode(board.check(), "UPDATED");
        JournalEvent boot = board.awaitBoot(mark, e -> version.equals(e.fields().get("version")), "boot of " + version);
        board.awaitDevice(boot.seq(), EventType.DEVICE_APP_STATE.wireName(), e -> "valid".equals(e.fields().get("state")),
                version + " confirmed");
    }

    /** The check after disarming succeeds (V4 installed); V4's self-test fails and the device goes back to V3. */
    private static void updateToV4AndWaitForTheRollback(OtaLab.Board board) throws Exception {
        long mark = board.mark();
        assertCode(board.check(), "UPDATED");
        JournalEvent v4 = board.awaitBoot(mark, e -> "4.0.0".equals(e.fields().get("version")), "boot of 4.0.0");
        board.awaitBoot(v4.seq(), e -> "3.0.0".equals(e.fields().get("version")), "rollback to 3.0.0");
    }
}
