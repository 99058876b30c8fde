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
import org.secureota.workbench.pki.ProductKeys;
import org.secureota.workbench.journal.EventType;

/**
 * The encrypted-update benchmark, run by {@code bench/encrypted-update [N]} (skipped in a normal build):
 * a full virtual update of the same 1 MiB image (as {@link VirtualUpdateBenchmark} builds it), once
 * published plain and once with {@code --encrypt} (ECIES-P256), alternating N times on factory-fresh
 * boards, timed from {@code check} to the verdict {@code UPDATED} and to {@code app_state valid}. Medians
 * are compared; the goal is at most 1.2x. It prints figures and asserts only that every update succeeded.
 */
class EncryptedUpdateBenchmark {

    @TempDir
    Path root;

    @Test
    void oneMebibyteEncryptedUpdateAgainstPlaintext() throws Exception {
        String runsProperty = System.getProperty("bench.runs");
        assumeTrue(runsProperty != null, "a benchmark: run it with bench/encrypted-update [N]");
        assumeTrue(OtaLab.boardBuilt(), "the virtual ESP32 is not built: run esp32-firmware/host-build.sh");
        int runs = Integer.parseInt(runsProperty);

        try (OtaLab plainLab = new OtaLab(Files.createDirectories(root.resolve("plain")));
             OtaLab encLab = new OtaLab(Files.createDirectories(root.resolve("encrypted")))) {
            Path image = VirtualUpdateBenchmark.oneMebibyteV2(plainLab.buildImage("v2_promo"), root.resolve("v2-1MiB.bin"));
            Release plain = plainLab.publish(image);
            plainLab.server.deploy(OtaLab.PRODUCT, plain.version());
            Release enc = encLab.publishEncrypted(image, ProductKeys.KeyType.P256);
            encLab.server.deploy(OtaLab.PRODUCT, enc.version());
            String key = encLab.productDecryptionKeyPem();

            List<Double> plainVerdict = new ArrayList<>();
            List<Double> plainValid = new ArrayList<>();
            List<Double> encVerdict = new ArrayList<>();
            List<Double> encValid = new ArrayList<>();
            // Round -1 warms up both servers and is not counted.
            for (int i = -1; i < runs; i++) {
                double[] p = update(plainLab, plainLab.board("plain-" + (i + 1)), plain.version());
                double[] e = update(encLab, encLab.boardWithKey("enc-" + (i + 1), key), enc.version());
                if (i >= 0) {
                    plainVerdict.add(p[0]);
                    plainValid.add(p[1]);
                    encVerdict.add(e[0]);
                    encValid.add(e[1]);
                }
            }
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "encrypted vs plaintext virtual update of a %d-byte image (%d bytes"
                    + " served encrypted), N=%d, %d cores%n", plain.size(), enc.encryption().size(), runs,
                    Runtime.getRuntime().availableProcessors()));
            out.append(VirtualUpdateBenchmark.line("plaintext: check -> verdict UPDATED", plainVerdict));
            out.append(VirtualUpdateBenchmark.line("encrypted: check -> verdict UPDATED", encVerdict));
            out.append(VirtualUpdateBenchmark.line("plaintext: check -> app_state valid", plainValid));
            out.append(VirtualUpdateBenchmark.line("encrypted: check -> app_state valid", encValid));
            out.append(String.format(Locale.ROOT, "ratio to verdict (medians): %.2fx; full update: %.2fx   (goal: <= 1.2x)%n",
                    VirtualUpdateBenchmark.median(encVerdict) / VirtualUpdateBenchmark.median(plainVerdict),
                    VirtualUpdateBenchmark.median(encValid) / VirtualUpdateBenchmark.median(plainValid)));
            System.out.print(out);
            String file = System.getProperty("bench.out");
            if (file != null) {
                Files.writeString(Path.of(file), out.toString(), StandardCharsets.UTF_8);
            }
            assertThat(encValid).hasSize(runs);
        }
    }

    /** {check -> verdict, check -> app_state valid} in ms, on the board's own journal clock. */
    private static double[] update(OtaLab lab, OtaLab.Board board, String version) throws Exception {
        long mark = board.mark();
        board.handle.check().join();
        JournalEvent sent = lab.await(mark, e -> e.type().equals(EventType.SERIAL_TX.wireName())
                && e.message().contains("\"check\""), "check sent");
        JournalEvent verdict = board.awaitDevice(mark, EventType.OTA_VERDICT.wireName(), e -> true, "verdict");
        OtaLab.assertCode(verdict, "UPDATED");
        JournalEvent boot = board.awaitBoot(verdict.seq(), e -> version.equals(e.fields().get("version")), "boot");
        JournalEvent valid = board.awaitDevice(boot.seq(), EventType.DEVICE_APP_STATE.wireName(),
                e -> "valid".equals(e.fields().get("state")), "confirmation");
        return new double[] {VirtualUpdateBenchmark.ms(verdict.monotonicNanos() - sent.monotonicNanos()),
            VirtualUpdateBenchmark.ms(valid.monotonicNanos() - sent.monotonicNanos())};
    }
}
