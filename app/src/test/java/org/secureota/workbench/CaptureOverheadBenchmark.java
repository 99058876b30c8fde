package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.network.CaptureRecorder;
import org.secureota.workbench.journal.EventType;

/**
 * The capture's cost, run by {@code bench/capture-overhead [N]} (skipped in a normal build): the same 1 MiB
 * virtual update (VirtualUpdateBenchmark's image) through the device endpoint, on factory-fresh boards,
 * alternating between the endpoint recording every byte ({@link CaptureRecorder}) and not recording, so load on
 * the machine hits both alike. The boards write their TLS key log in both (a few lines per connection).
 * Timed from sending {@code check} to the verdict UPDATED and to the new version's confirmation. Prints
 * figures; asserts only that every update succeeded.
 */
class CaptureOverheadBenchmark {

    @TempDir
    Path root;

    @Test
    void oneMebibyteUpdateWithAndWithoutTheCapture() throws Exception {
        String runsProperty = System.getProperty("bench.runs");
        assumeTrue(runsProperty != null, "a benchmark: run it with bench/capture-overhead [N]");
        assumeTrue(OtaLab.boardBuilt(), "the virtual ESP32 is not built: run esp32-firmware/host-build.sh");
        int runs = Integer.parseInt(runsProperty);
        try (OtaLab lab = new OtaLab(root);
             CaptureRecorder recorder = CaptureRecorder.create(root.resolve("bench-capture.bin"))) {
            Path image = VirtualUpdateBenchmark.oneMebibyteV2(lab.buildImage("v2_promo"), root.resolve("v2-1MiB.bin"));
            Release release = lab.publish(image);
            lab.server.deploy(OtaLab.PRODUCT, release.version());
            List<Double> onVerdict = new ArrayList<>();
            List<Double> offVerdict = new ArrayList<>();
            List<Double> onFull = new ArrayList<>();
            List<Double> offFull = new ArrayList<>();
            // Round -1 warms up both; it is not counted.
            for (int i = -1; i < runs; i++) {
                for (boolean capture : new boolean[] {i % 2 == 0, i % 2 != 0}) {
                    lab.endpoint.capture(capture ? recorder : null);
                    double[] t = update(lab, "bench-" + (capture ? "c" : "n") + (i + 1), release.version());
                    if (i >= 0) {
                        (capture ? onVerdict : offVerdict).add(t[0]);
                        (capture ? onFull : offFull).add(t[1]);
                    }
                }
            }
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "1 MiB virtual update (%d bytes) through the endpoint, N=%d each,"
                    + " alternating, %d cores; capture file %d bytes%n", release.size(), runs,
                    Runtime.getRuntime().availableProcessors(), Files.size(recorder.file())));
            out.append(VirtualUpdateBenchmark.line("capture on:  check -> UPDATED", onVerdict));
            out.append(VirtualUpdateBenchmark.line("capture off: check -> UPDATED", offVerdict));
            out.append(VirtualUpdateBenchmark.line("capture on:  check -> valid", onFull));
            out.append(VirtualUpdateBenchmark.line("capture off: check -> valid", offFull));
            out.append(String.format(Locale.ROOT, "ratio on/off (medians): %.2fx to UPDATED, %.2fx to valid"
                    + "   (goal: < 1.1x)%n", VirtualUpdateBenchmark.median(onVerdict)
                    / VirtualUpdateBenchmark.median(offVerdict), VirtualUpdateBenchmark.median(onFull)
                    / VirtualUpdateBenchmark.median(offFull)));
            System.out.print(out);
            String file = System.getProperty("bench.out");
            if (file != null) {
                Files.writeString(Path.of(file), out.toString(), StandardCharsets.UTF_8);
            }
            assertThat(onVerdict).hasSize(runs);
        }
    }

    /** Milliseconds from check to UPDATED and to the new version's confirmation, on a fresh board. */
    private static double[] update(OtaLab lab, String id, String version) throws Exception {
        OtaLab.Board board = lab.board(id);
        long mark = board.mark();
        board.handle.check().join();
        JournalEvent sent = lab.await(mark, e -> e.type().equals(EventType.SERIAL_TX.wireName())
                && e.message().contains("\"check\""), "check sent");
        JournalEvent verdict = board.awaitDevice(mark, EventType.OTA_VERDICT.wireName(), e -> true, "verdict");
        OtaLab.assertCode(verdict, "UPDATED");
        JournalEvent boot = board.awaitBoot(verdict.seq(), e -> version.equals(e.fields().get("version")), "boot");
        JournalEvent valid = board.awaitDevice(boot.seq(), EventType.DEVICE_APP_STATE.wireName(),
                e -> "valid".equals(e.fields().get("state")), "confirmation");
        board.close();
        return new double[] {VirtualUpdateBenchmark.ms(verdict.monotonicNanos() - sent.monotonicNanos()),
                VirtualUpdateBenchmark.ms(valid.monotonicNanos() - sent.monotonicNanos())};
    }
}
