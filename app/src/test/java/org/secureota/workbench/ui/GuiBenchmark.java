package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.secureota.workbench.journal.EventType;

/**
 * The window's figures for the README: timeline frame time and resident memory with 100,000 journal
 * events. Assertions check behaviour (every event arrived, in batches, and was drawn); the speed is
 * printed, not asserted, because this machine is shared.
 */
@ExtendWith(ApplicationExtension.class)
class GuiBenchmark {

    static final int EVENTS = 100_000;
    private WorkbenchApp app;

    @BeforeAll
    static void display() {
        FxSupport.requireDisplay();
    }

    @Start
    void start(Stage stage) {
        app = WorkbenchApp.openOn(stage, new GuiOptions(Locale.ENGLISH, false, false, null, null));
    }

    @Test
    void aHundredThousandEventsArriveInBatchesAndTheTimelineDrawsThemWithinAFrame() throws Exception {
        MainController c = app.controller();
        long before = rssKb();
        Thread producer = new Thread(() -> {
            String[] types = {"http.request", EventType.SERIAL_RX.wireName(), "device.lcd", "ota.progress", "network.connection_opened"};
            Source[] sources = {Source.SERVER, Source.DEVICE, Source.DEVICE, Source.DEVICE, Source.NETWORK};
            for (int i = 0; i < EVENTS; i++) {
                int k = i % types.length;
                c.offer(new JournalEvent(i + 1, Instant.EPOCH, i * 600_000L, sources[k],
                        sources[k] == Source.DEVICE ? "esp32-lab-0" + (i % 3 + 1) : null, types[k],
                        "event " + i, Map.of("method", "GET", "path", "/api/v1/firmware/x.bin", "status", 206, "bytes_sent", i)));
            }
        }, "benchmark producer");
        long t0 = System.nanoTime();
        producer.start();
        producer.join();
        waitFor("all events on the timeline", 60_000, () -> c.timeline().model().size() == EVENTS);
        long deliveredMs = (System.nanoTime() - t0) / 1_000_000;

        long[] frames = new long[60];
        onFx(() -> {
            c.timeline().fitAll();
            return null;
        });
        for (int i = 0; i < frames.length; i++) {
            double factor = i % 2 == 0 ? 0.98 : 1 / 0.98;
            frames[i] = onFx(() -> {
                c.timeline().zoom(factor);
                c.timeline().layout();
                return c.timeline().lastDrawNanos();
            });
        }
        System.gc();
        Thread.sleep(500);
        long after = rssKb();
        Runtime rt = Runtime.getRuntime();
        long heapUsedMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        long heapCommittedMb = rt.totalMemory() >> 20;
        Arrays.sort(frames);
        double median = frames[frames.length / 2] / 1e6;
        double p95 = frames[frames.length * 95 / 100] / 1e6;
        System.out.printf(Locale.ROOT, "GUI benchmark: %d events delivered to the window in %d ms%n", EVENTS, deliveredMs);
        System.out.printf(Locale.ROOT, "GUI benchmark: timeline frame with %d events: median %.2f ms, p95 %.2f ms (goal < 16 ms)%n",
                EVENTS, median, p95);
        System.out.printf(Locale.ROOT, "GUI benchmark: RSS %d MB before, %d MB after %d events (goal < 300 MB);"
                + " Java heap %d MB used of %d MB committed%n", before / 1024, after / 1024, EVENTS, heapUsedMb, heapCommittedMb);
        assertThat(c.timeline().drawCount()).isPositive();
        assertThat(onFx(() -> c.server().requests.getItems().size())).isEqualTo(RequestsViewModel.ROWS);
        Path out = Path.of(System.getProperty("workbench.projectRoot", "."), "target", "gui-benchmark.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.format(Locale.ROOT, "delivered_ms=%d%nframe_median_ms=%.2f%nframe_p95_ms=%.2f%nrss_before_mb=%d%nrss_after_mb=%d%n",
                deliveredMs, median, p95, before / 1024, after / 1024));
    }

    static long rssKb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
