package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.secureota.workbench.OtaLab.assertCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.secureota.workbench.attack.ArmedAttack;
import org.secureota.workbench.attack.Attacker;
import org.secureota.workbench.attack.Judgement;
import org.secureota.workbench.attack.JudgementResult;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;

/**
 * One lab for a class of attack tests: the real server behind the device endpoint, the time source, V2
 * and V3 published (V2 deployed), a release of another product, and the attacker. Each attack meets a
 * fresh factory V1 board, so one attack's aftermath never decides another's verdict.
 */
final class AttackBench implements AutoCloseable {

    final OtaLab lab;
    final Attacker attacker;
    private final java.util.concurrent.atomic.AtomicInteger boards = new java.util.concurrent.atomic.AtomicInteger();

    AttackBench(Path root) throws Exception {
        String missing = "the virtual ESP32 is not built: run esp32-firmware/host-build.sh (or mvn package) to"
                + " include the attack tests";
        if ("true".equals(System.getenv("CI")) && !OtaLab.boardBuilt()) {
            throw new AssertionError(missing);
        }
        assumeTrue(OtaLab.boardBuilt(), missing);
        lab = new OtaLab(root);
        lab.publishBuilt("v2_promo");
        lab.publishBuilt("v3_liquid");
        // Another product's genuine release, for mix-and-match.
        lab.session.publish(lab.buildImage("v2_promo"), "kiosk").join();
        lab.server.deploy(OtaLab.PRODUCT, "2.0.0");
        attacker = lab.session.attacker();
    }

    /** What one attack did to one device. */
    record Outcome(OtaLab.Board board, JournalEvent verdict, Judgement judgement, long armedMark) {
    }

    /**
     * Arms {@code id} on a fresh V1 board, triggers a check (after a restart when the attack needs one),
     * asserts the verdict and the judge's RESISTED, disarms it, and asserts that the next check installs V2.
     */
    Outcome attackFreshBoard(String id, Map<String, String> parameters, String expectedCode) throws Exception {
        OtaLab.Board board = lab.board("dev-" + id + "-" + boards.incrementAndGet());
        Outcome o = attack(board, id, parameters, expectedCode);
        JournalEvent next = board.check();
        assertCode(next, "UPDATED");
        assertThat(next.field("version")).hasValue("2.0.0");
        board.close();
        return o;
    }

    /** Arms, checks, judges and disarms on {@code board}; the caller checks what follows. */
    Outcome attack(OtaLab.Board board, String id, Map<String, String> parameters, String expectedCode)
            throws Exception {
        long mark = board.mark();
        ArmedAttack armed = attacker.arm(id, parameters);
        assertThat(armed.expected().verdicts()).contains(expectedCode);
        if (armed.expected().needsRestart()) {
            board.reboot();
        }
        JournalEvent verdict = board.check();
        assertCode(verdict, expectedCode);
        Judgement j = attacker.awaitJudgement(id, board.id, verdict.seq() - 1, OtaLab.WAIT)
                .orElseThrow(() -> new AssertionError("the attacker did not judge " + id + " on " + board.id));
        assertThat(j.result()).as(j.summary()).isEqualTo(JudgementResult.RESISTED);
        assertThat(j.verdict()).isEqualTo(expectedCode);
        attacker.disarm(id);
        if (armed.expected().needsRestart()) {
            board.reboot();
        }
        return new Outcome(board, verdict, j, mark);
    }

    List<JournalEvent> after(long mark, EventType type) {
        return lab.after(mark, type::is);
    }

    List<JournalEvent> after(long mark, Predicate<JournalEvent> condition) {
        return lab.after(mark, condition);
    }

    long imageSize(String version) throws Exception {
        return Files.size(lab.state.releases().find(OtaLab.PRODUCT, version).orElseThrow().imageFile());
    }

    @Override
    public void close() {
        lab.close();
    }
}
