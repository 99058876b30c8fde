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
import org.secureota.workbench.device.SerialCommand;
import org.secureota.workbench.firmware.AppImage;
import org.secureota.workbench.firmware.AppImageBuilder;
import org.secureota.workbench.firmware.ChipId;
import org.secureota.workbench.firmware.ImageSegment;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.pki.PkiFile;
import org.secureota.workbench.journal.EventType;

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
        Prerequisites.require(OtaLab.boardBuilt(), "the virtual ESP32 is not built: run esp32-firmware/host-build.sh");
        int runs = Integer.parseInt(runsProperty);

        try (OtaLab lab = new OtaLab(root)) {
            Path image = oneMebibyteV2(lab.buildImage("v2_promo"), root.resolve("v2-1MiB.bin"));
            Release release = lab.publish(image);
            lab.server.deploy(OtaLab.PRODUCT, release.version());
            String url = lab.server.baseUri().resolve(release.url()).toString();
            // curl downloads as a device of its own: downloads need a device's key.
            String curlKey = lab.state.provision("bench-curl", OtaLab.PRODUCT);
            long firstEvent = lab.journal.size();

            // Warm the server's JIT with a few plain downloads before anything is measured.
            for (int i = 0; i < 5; i++) {
                curlSha256(lab, url, curlKey, release.sha256());
            }
            List<Double> curl = new ArrayList<>();
            List<Double> update = new ArrayList<>();
            List<Double> toVerdict = new ArrayList<>();
            List<double[]> steps = new ArrayList<>();
            // Update -1 is a warm-up of the server's manifest and report paths; it is not counted.
            for (int i = -1; i < runs; i++) {
                OtaLab.Board board = lab.board("bench-" + (i + 1));
                long mark = board.mark();
                board.handle.check().join();
                JournalEvent sent = lab.await(mark, e -> e.type().equals(EventType.SERIAL_TX.wireName())
                        && e.message().contains("\"check\""), "check sent");
                JournalEvent verdict = board.awaitDevice(mark, EventType.OTA_VERDICT.wireName(), e -> true, "verdict");
                OtaLab.assertCode(verdict, "UPDATED");
                JournalEvent boot = board.awaitBoot(verdict.seq(),
                        e -> release.version().equals(e.fields().get("version")), "boot of the new version");
                JournalEvent valid = board.awaitDevice(boot.seq(), EventType.DEVICE_APP_STATE.wireName(),
                        e -> "valid".equals(e.fields().get("state")), "confirmation");
                double c = curlSha256(lab, url, curlKey, release.sha256());
                if (i >= 0) {
                    // -Dbench.dump=PREFIX (bench/virtual-update: BENCH_DUMP=PREFIX): every journal event of update
                    // i, in ms from 'check' sent, to PREFIX.i; a serial line's received_ms is when the link read it.
                    String dump = System.getProperty("bench.dump");
                    if (dump != null) {
                        StringBuilder d = new StringBuilder();
                        for (JournalEvent e : lab.after(sent.seq() - 1, e -> e.seq() <= valid.seq())) {
                            d.append(String.format(Locale.ROOT, "%9.3f %-22s %s %s%n",
                                    ms(e.monotonicNanos() - sent.monotonicNanos()), e.type(), e.message(), e.fields()));
                        }
                        Files.writeString(Path.of(dump + "." + i), d.toString(), StandardCharsets.UTF_8);
                    }
                    steps.add(milestones(lab, sent, valid));
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
            out.append(String.format(Locale.ROOT, "ratio (medians): %.2fx   (goal: <= 2.5x)%n", u / c));
            out.append("where the time goes (median ms from 'check' sent; step = since the line above):\n");
            double previous = 0;
            for (int m = 0; m < MILESTONES.length; m++) {
                List<Double> at = new ArrayList<>();
                for (double[] run : steps) {
                    if (!Double.isNaN(run[m])) {
                        at.add(run[m]);
                    }
                }
                if (at.isEmpty()) {
                    out.append(String.format(Locale.ROOT, "  %-58s (not seen)%n", MILESTONES[m].name()));
                    continue;
                }
                double med = median(at);
                out.append(String.format(Locale.ROOT, "  %-58s at %7.1f   step %6.1f%n", MILESTONES[m].name(), med,
                        med - previous));
                previous = med;
            }
            System.out.print(out);
            String file = System.getProperty("bench.out");
            if (file != null) {
                Files.writeString(Path.of(file), out.toString(), StandardCharsets.UTF_8);
            }
            // What the server decided, not what the loop guarantees: each board fetched the image once,
            // whole, with its own key (no retry, no resume, nobody else's key).
            List<JournalEvent> boardDownloads = lab.after(firstEvent, e -> e.type().equals("http.request")
                    && release.url().equals(e.fields().get("path")) && e.deviceId() != null
                    && e.deviceId().startsWith("bench-") && !e.deviceId().equals("bench-curl"));
            assertThat(boardDownloads).extracting(JournalEvent::deviceId).doesNotHaveDuplicates().hasSize(runs + 1);
            assertThat(boardDownloads).allSatisfy(e -> {
                assertThat(((Number) e.fields().get("status")).intValue()).isEqualTo(200);
                assertThat(((Number) e.fields().get("bytes_written")).longValue()).isGreaterThan(release.size());
            });
        }
    }

    /** A point of one update that the journal shows, in the order they happen. */
    record Milestone(String name, java.util.function.Predicate<JournalEvent> seen) {
    }

    static boolean progress(JournalEvent e, String phase) {
        return e.type().equals(EventType.OTA_PROGRESS.wireName()) && phase.equals(e.fields().get("phase"));
    }

    static final Milestone[] MILESTONES = {
        new Milestone("SNTP answered (time.query)", e -> e.type().equals("time.query")),
        new Milestone("TCP + TLS handshake done (ota manifest)", e -> progress(e, "manifest")),
        new Milestone("manifest fetched + verified (ota download)", e -> progress(e, "download")),
        new Milestone("image downloaded, hashed, written (ota verify)", e -> progress(e, "verify")),
        new Milestone("image checked, header written (ota activate)", e -> progress(e, "activate")),
        new Milestone("otadata written (verdict UPDATED)", e -> e.type().equals(EventType.OTA_VERDICT.wireName())),
        new Milestone("report POSTed, restart (log 'restarting')", e -> e.type().equals(EventType.SERIAL_RX.wireName())
                && e.message().contains("restarting: ")),
        new Milestone("bootloader verified + started it (boot)", e -> e.type().equals(EventType.DEVICE_BOOT.wireName())
                && Boolean.FALSE.equals(e.fields().get("status_report"))),
        new Milestone("self-test (selftest)", e -> e.type().equals(EventType.DEVICE_SELFTEST.wireName())),
        new Milestone("confirmed: otadata VALID (app_state valid)", e -> e.type().equals(EventType.DEVICE_APP_STATE.wireName())),
    };

    /** Milliseconds from {@code sent} to each milestone (in order, each after the previous one); NaN if not seen. */
    static double[] milestones(OtaLab lab, JournalEvent sent, JournalEvent end) {
        List<JournalEvent> events = lab.after(sent.seq(), e -> e.seq() <= end.seq());
        double[] at = new double[MILESTONES.length];
        Arrays.fill(at, Double.NaN);
        int from = 0;
        for (int m = 0; m < MILESTONES.length; m++) {
            for (int k = from; k < events.size(); k++) {
                if (MILESTONES[m].seen().test(events.get(k))) {
                    at[m] = ms(events.get(k).monotonicNanos() - sent.monotonicNanos());
                    from = k + 1;
                    break;
                }
            }
        }
        return at;
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
    static double curlSha256(OtaLab lab, String url, String key, String expected) throws Exception {
        String ca = lab.pki.path(PkiFile.CA_CERT).toString();
        long start = System.nanoTime();
        Process p = new ProcessBuilder("bash", "-c",
                "set -o pipefail; curl -sS --fail --cacert \"$1\" -H \"Authorization: Bearer $3\" \"$2\" | sha256sum",
                "curl-sha256", ca, url, key).redirectErrorStream(true).start();
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
