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
import org.secureota.workbench.journal.EventType;

/**
 * The endpoint's cost, run by {@code bench/endpoint-overhead [N]} (skipped in a normal build): the same
 * 1 MiB virtual update (VirtualUpdateBenchmark's image) on factory-fresh boards provisioned with the device
 * endpoint's URL and with the server's own, alternating, so load on the machine hits both alike. Timed from
 * sending {@code check} to the verdict UPDATED (every network byte of the update falls in it), and to the
 * new version's confirmation. Prints figures; asserts only that every update succeeded.
 */
class EndpointOverheadBenchmark {

    @TempDir
    Path root;

    @Test
    void oneMebibyteUpdateThroughTheEndpointAndDirect() throws Exception {
        String runsProperty = System.getProperty("bench.runs");
        assumeTrue(runsProperty != null, "a benchmark: run it with bench/endpoint-overhead [N]");
        assumeTrue(OtaLab.boardBuilt(), "the virtual ESP32 is not built: run esp32-firmware/host-build.sh");
        int runs = Integer.parseInt(runsProperty);
        try (OtaLab lab = new OtaLab(root)) {
            Path image = VirtualUpdateBenchmark.oneMebibyteV2(lab.buildImage("v2_promo"), root.resolve("v2-1MiB.bin"));
            Release release = lab.publish(image);
            lab.server.deploy(OtaLab.PRODUCT, release.version());
            String direct = lab.server.baseUri().toString().replaceAll("/$", "");
            String viaEndpoint = lab.endpoint.url().toString();
            List<Double> endpointVerdict = new ArrayList<>();
            List<Double> directVerdict = new ArrayList<>();
            List<Double> endpointFull = new ArrayList<>();
            List<Double> directFull = new ArrayList<>();
            // Round -1 warms up both paths; it is not counted.
            for (int i = -1; i < runs; i++) {
                for (boolean through : new boolean[] {i % 2 == 0, i % 2 != 0}) {
                    double[] t = update(lab, "bench-" + (through ? "e" : "d") + (i + 1), through ? viaEndpoint : direct,
                            release.version());
                    if (i >= 0) {
                        (through ? endpointVerdict : directVerdict).add(t[0]);
                        (through ? endpointFull : directFull).add(t[1]);
                    }
                }
            }
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "1 MiB virtual update (%d bytes), N=%d each, alternating, %d cores%n",
                    release.size(), runs, Runtime.getRuntime().availableProcessors()));
            out.append(VirtualUpdateBenchmark.line("through the endpoint: check -> UPDATED", endpointVerdict));
            out.append(VirtualUpdateBenchmark.line("direct to the server: check -> UPDATED", directVerdict));
            out.append(VirtualUpdateBenchmark.line("through the endpoint: check -> valid", endpointFull));
            out.append(VirtualUpdateBenchmark.line("direct to the server: check -> valid", directFull));
            out.append(String.format(Locale.ROOT, "ratio endpoint/direct (medians): %.2fx to UPDATED, %.2fx to valid"
                    + "   (goal: <= 1.1x)%n", VirtualUpdateBenchmark.median(endpointVerdict)
                    / VirtualUpdateBenchmark.median(directVerdict), VirtualUpdateBenchmark.median(endpointFull)
                    / VirtualUpdateBenchmark.median(directFull)));
            System.out.print(out);
            String file = System.getProperty("bench.out");
            if (file != null) {
                Files.writeString(Path.of(file), out.toString(), StandardCharsets.UTF_8);
            }
            assertThat(endpointVerdict).hasSize(runs);
        }
    }

    /** Milliseconds from check to UPDATED and to the new version's confirmation, on a fresh board. */
    private static double[] update(OtaLab lab, String id, String url, String version) throws Exception {
        OtaLab.Board board = lab.board(id, url);
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
