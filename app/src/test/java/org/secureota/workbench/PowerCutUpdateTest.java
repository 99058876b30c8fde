package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.Prerequisites.require;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.device.CutPoint;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.firmware.OtaState;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.JournalEvent;
import org.junit.jupiter.api.Tag;
import org.secureota.workbench.journal.EventType;

/**
 * Power cuts during a real V1 to V2 update of the real virtual board, at process level: the board's
 * supervisor kills the boot stage or the app at a numbered flash operation, as a power loss would.
 * Three operation numbers are drawn at random from those of one whole update (check to confirmation,
 * counted on a first board); the seed is printed, and {@code -Dpowercut.seed=N} replays a run. After
 * each cut the board is powered on again: it must boot a valid app (V1 or V2, never nothing), and
 * the next check must bring it to V2, confirmed. The in-process sweep of every operation is
 * {@code PowerCutSweep} in the firmware's ctest suite.
 */
@Timeout(600)
@Tag("e2e")
class PowerCutUpdateTest {

    @TempDir
    Path root;

    @Test
    void threeRandomCutsDuringARealUpdateEachBootAValidAppAndTheNextCheckReachesV2() throws Exception {
        require(OtaLab.boardBuilt(), "the virtual ESP32 is not built: run esp32-firmware/host-build.sh"
                + " (or mvn package)");
        try (OtaLab lab = new OtaLab(root)) {
            Release v2 = lab.publishBuilt("v2_promo");
            lab.server.deploy(OtaLab.PRODUCT, v2.version());

            // How many flash operations one whole update takes, from 'check' to V2 confirmed.
            OtaLab.Board counted = lab.board("cut-count");
            counted.handle.resetFlashCount().join();
            updateToV2(lab, counted);
            long n = counted.handle.flashOperations().join();
            long sectors = (v2.size() + 4095) / 4096;
            assertThat(n).as("every sector of the image is erased and programmed").isGreaterThanOrEqualTo(2 * sectors);

            long seed = Long.getLong("powercut.seed", System.nanoTime());
            System.out.printf("[ power-cut ] seed %d (replay with -Dpowercut.seed=%d); one update = %d flash operations%n",
                    seed, seed, n);
            Random random = new Random(seed);
            for (int i = 0; i < 3; i++) {
                long op = 1 + random.nextInt((int) n);
                CutPoint point = random.nextBoolean() ? CutPoint.BEFORE : CutPoint.HALFWAY;
                OtaLab.Board board = lab.board("cut-" + i);
                board.handle.armCut(op - 1, point).join();  // operations 1..op-1 complete, op is cut
                long mark = board.mark();
                board.handle.check().join();
                JournalEvent cut = lab.await(mark, e -> e.type().equals("board.power_cut") && board.id.equals(e.deviceId()),
                        "power cut at operation " + op);
                assertThat(cut.fields().get("operation")).isEqualTo(op);

                board.handle.powerOn().join();
                // reset_reason poweron: the boot after the cut, not a boot from before it whose line the pty
                // delivers later than the supervisor's report of the cut.
                JournalEvent boot = board.awaitBoot(cut.seq(), e -> "poweron".equals(e.fields().get("reset_reason")),
                        "boot after the cut");
                String booted = String.valueOf(boot.fields().get("version"));
                assertThat(booted).as("cut %d at operation %d (%s)", i, op, point).isIn("1.0.0", "2.0.0");
                DeviceSnapshot after = board.status();
                assertThat(after.slot(String.valueOf(boot.fields().get("slot"))).orElseThrow().image().valid())
                        .as("the running slot holds a valid image").isTrue();

                String next;
                if (booted.equals("1.0.0")) {
                    updateToV2(lab, board);
                    next = "UPDATED";
                } else {
                    // V2 was already active: its self-test confirms it; the server has nothing newer.
                    board.device.await(s -> "2.0.0".equals(s.version()) && s.runningState() == OtaState.VALID, OtaLab.WAIT,
                            "V2 confirmed");
                    JournalEvent verdict = board.check();
                    OtaLab.assertCode(verdict, "NO_UPDATE");
                    next = "NO_UPDATE";
                }
                DeviceSnapshot s = board.status();
                assertThat(s.version()).isEqualTo("2.0.0");
                assertThat(s.runningState()).isEqualTo(OtaState.VALID);
                System.out.printf("[ power-cut ] cut %d: operation %d/%d (%s) -> booted %s, next check %s -> 2.0.0 valid%n",
                        i + 1, op, n, point.wireName(), booted, next);
            }
        }
    }

    /** check -> UPDATED -> V2 boots -> self-test -> confirmed. */
    private static void updateToV2(OtaLab lab, OtaLab.Board board) throws Exception {
        long mark = board.mark();
        JournalEvent verdict = board.check();
        OtaLab.assertCode(verdict, "UPDATED");
        JournalEvent boot = board.awaitBoot(mark, e -> "2.0.0".equals(e.fields().get("version")), "boot of 2.0.0");
        board.awaitDevice(boot.seq(), EventType.DEVICE_APP_STATE.wireName(), e -> "valid".equals(e.fields().get("state")), "confirmation");
    }
}
