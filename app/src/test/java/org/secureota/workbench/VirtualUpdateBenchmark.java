package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.device.DeviceCommand;
import org.secureota.workbench.device.DeviceEvents;
import org.secureota.workbench.firmware.AppImage;
import org.secureota.workbench.firmware.AppImageBuilder;
import org.secureota.workbench.firmware.ChipId;
import org.secureota.workbench.firmware.ImageSegment;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.pki.PkiFile;

/**
 * The benchmark, run by {@code bench/virtual-update [N]} (skipped in a normal build): the time
 * of one full virtual update of a 1 MiB image (from sending {@code check} to the new version's
 * {@code app_state valid}: SNTP, TLS, manifest, download, SHA-256, flash, report, reboot, bootloader
 * verification, self-test, confirmation) next to {@code curl | sha256sum} of the same file from the same
 * server, and their ratio. It prints figures and asserts only that every update succeeded, never a time.
 *
 * <p>The 1 MiB image is the V2 program (segment 1, the one the virtual bootloader executes) with an
 * extra segment of random padding, built with {@link AppImageBuilder}: a valid image that boots. One
 * update before the measured ones warms the server up (not counted), as five downloads do for curl.
 */
class VirtualUpdateBenchmark {

    static final int TARGET_SIZE = 1024 * 1024;

    @TempDir
    Path root;

    @Test
    void oneMebibyteUpdateAgainstCurlAndSha256sum() throws Exception {
        String runsProperty = System.getProperty("bench.runs");
        assumeTrue(runsProperty != null, "a benchmark: run it with bench/virtual-update [N]");
        assumeTrue(OtaLab.boardBuilt(), "the virtual ESP32 is not built: run esp32-firmware/host-build.sh");
        int runs = Integer.parseInt(runsProperty);

        try (OtaLab lab = new OtaLab(root)) {
            Path image = oneMebibyteV2(lab.buildImage("v2_promo"), root.resolve("v2-1MiB.bin"));
            Release release = lab.publish(image);
            lab.server.deploy(OtaLab.PRODUCT, release.version());
            String url = lab.server.baseUri().resolve(release.url()).toString();

            // Warm the server's JIT with a few plain downloads before anything is measured.
            for (int i = 0; i < 5; i++) {
                curlSha256(lab, url, release.sha256());
            }
            List<Double> curl = new ArrayList<>();
            List<Double> update = new ArrayList<>();
            List<Double> toVerdict = new ArrayList<>();
            // Update -1 is a warm-up of the server's manifest and report paths; it is not counted.
            for (int i = -1; i < runs; i++) {
                OtaLab.Board board = lab.board("bench-" + (i + 1));
                long mark = board.mark();
                board.handle.check().join();
                JournalEvent sent = lab.await(mark, e -> e.type().equals(DeviceEvents.SERIAL_TX)
                        && e.message().contains("\"check\""), "check sent");
                JournalEvent verdict = board.awaitDevice(mark, DeviceEvents.OTA_VERDICT, e -> true, "verdict");
                OtaLab.assertCode(verdict, "UPDATED");
                JournalEvent boot = board.awaitBoot(verdict.seq(),
                        e -> release.version().equals(e.fields().get("version")), "boot of the new version");
                JournalEvent valid = board.awaitDevice(boot.seq(), DeviceEvents.APP_STATE,
                        e -> "valid".equals(e.fields().get("state")), "confirmation");
                double c = curlSha256(lab, url, release.sha256());
                if (i >= 0) {
                    update.add(ms(valid.monotonicNanos() - sent.monotonicNanos()));
                    toVerdict.add(ms(verdict.monotonicNanos() - sent.monotonicNanos()));
                    curl.add(c);
                }
            }

            double u = median(update);
            double c = median(curl);
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "virtual update of a %d-byte image (%s), N=%d, %d cores%n",
                    release.size(), release.version(), runs, Runtime.getRuntime().availableProcessors()));
            out.append(line("full update: check -> app_state valid", update));
            out.append(line("  of which check -> verdict UPDATED", toVerdict));
            out.append(line("curl | sha256sum, same file, same server", curl));
            out.append(String.format(Locale.ROOT, "ratio (medians): %.2fx   (goal: <= 3x)%n", u / c));
            System.out.print(out);
            String file = System.getProperty("bench.out");
            if (file != null) {
                Files.writeString(Path.of(file), out.toString(), StandardCharsets.UTF_8);
            }
            assertThat(update).hasSize(runs);
        }
    }

    /** The V2 program as segment 1, then random padding as segment 2, so the whole image is about 1 MiB. */
    static Path oneMebibyteV2(Path v2, Path out) throws IOException {
        AppImage parsed = AppImage.parse(Files.readAllBytes(v2));
        assertThat(parsed.valid()).as("%s", parsed.problems()).isTrue();
        List<ImageSegment> segments = parsed.segments();
        ImageSegment first = segments.get(0);
        ImageSegment program = segments.get(1);
        byte[] rodata = Arrays.copyOfRange(first.data(), 256, first.data().length);
        AppImageBuilder builder = AppImageBuilder.forChip(ChipId.HOST)
                .descriptor(parsed.descriptor().orElseThrow())
                .descriptorLoadAddress(first.loadAddress())
                .rodata(rodata)
                .entryAddress(parsed.header().orElseThrow().entryAddress())
                .segment(program.loadAddress(), program.data());
        for (int i = 2; i < segments.size(); i++) {
            builder.segment(segments.get(i).loadAddress(), segments.get(i).data());
        }
        int withoutPadding = builder.build().length;
        int padding = Math.max(4, (TARGET_SIZE - withoutPadding - ImageSegment.HEADER_SIZE) / 4 * 4);
        byte[] fill = new byte[padding];
        new Random(1).nextBytes(fill);
        byte[] image = builder.segment(0x3FFB_0000L, fill).build();
        AppImage check = AppImage.parse(image);
        assertThat(check.valid()).as("%s", check.problems()).isTrue();
        Files.write(out, image);
        return out;
    }

    /** Milliseconds for one {@code curl | sha256sum} (new process, new TLS connection, trusting the lab CA). */
    static double curlSha256(OtaLab lab, String url, String expected) throws Exception {
        String ca = lab.pki.path(PkiFile.CA_CERT).toString();
        long start = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c", "set -o pipefail; curl -sS --fail --cacert \"$1\" \"$2\" | sha256sum",
                "curl-sha256", ca, url).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long elapsed = System.nanoTime() - start;
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).startsWith(expected);
        return ms(elapsed);
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static String line(String what, List<Double> values) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return String.format(Locale.ROOT, "%-42s median %8.1f ms  (min %.1f, max %.1f)%n", what, median(values), min, max);
    }
}
