package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.SessionLog;
import org.secureota.workbench.journal.Source;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.scenario.RunMode;
import org.secureota.workbench.scenario.RunSnapshot;
import org.secureota.workbench.session.SessionSetup;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.secureota.workbench.journal.EventType;

/**
 * An hour of a presenter's use, compressed, in one window on the real parts, printing the process's
 * resident memory every simulated minute: the demo scripts played in the window one after another
 * (the power-cut sweep, the updates of the lifecycle, rollback and fleet scripts, every attack script),
 * each in the fresh session the window switches to, and a replay of a 100,000-event journal.
 *
 * <p>Not a test (the name keeps it out of {@code mvn verify}); run it with the launcher's JVM flags,
 * as the README's "GUI figures" say:
 * <pre>
 * xvfb-run -a mvn -B -Dfirmware.skip=true -Dtest=GuiSoakBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -DargLine="-Xms32m -Xmx160m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=48m -Xss512k -XX:TrimNativeHeapInterval=10000" verify
 * </pre>
 * (the POM gives the test JVM the launcher's {@code MALLOC_ARENA_MAX=2}; {@code -Dmalloc.arenaMax=16} is glibc's default on
 * two cores, for an A/B run). {@code -Dsoak.minutes=60} (simulated minutes) and {@code -Dsoak.minuteSeconds=10} (real seconds per
 * simulated minute) set the compression; the scripts go on in a loop until the time is up.
 */
@ExtendWith(ApplicationExtension.class)
class GuiSoakBenchmark {

    static final int REPLAY_EVENTS = 100_000;
    static final List<String> SCRIPTS = List.of("03-power-cut-sweep", "01-lifecycle", "06-rogue-server", "12-flipped-byte",
            "05-dropped-connection", "04-v4-rollback", "02-power-cut", "23-downgrade", "19-replayed-manifest",
            "10-expired-certificate", "08-tampered-record", "13-wrong-signing-key", "25-fleet", "24-steal-image");

    @TempDir
    static Path labDir;
    private WorkbenchApp app;
    private final Path root = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();

    @BeforeAll
    static void display() {
        FxSupport.requireDisplay();
    }

    @Start
    void start(Stage stage) {
        app = WorkbenchApp.openOn(stage, new GuiOptions(Locale.FRENCH, false, false, null, new LiveSessionOptions(
                SessionSetup.defaults(new LabFolder(labDir)).withProjectRoot(root).withJournalWindow(10_000), "esp32-lab-01")));
    }

    @AfterEach
    void closeLab() throws Exception {
        LiveSession live = app.live();
        if (live != null) {
            CompletableFuture.runAsync(live::close).get();
        }
    }

    @Test
    void anHourOfUseStaysWithinItsMemory() throws Exception {
        int minutes = Integer.getInteger("soak.minutes", 60);
        long minuteMs = Long.getLong("soak.minuteSeconds", 10) * 1000;
        MainController c = app.controller();
        stopTestFxEventRecording();
        System.out.println("GUI soak: JVM flags " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        Path journal = replayJournal(labDir.resolve("replay"));
        waitFor("the lab open", 180_000, () -> c.devicePanels().containsKey("esp32-lab-01"));

        AtomicLong peakKb = new AtomicLong();
        AtomicInteger scriptsRun = new AtomicInteger();
        AtomicInteger scriptsPassed = new AtomicInteger();
        List<String> samples = new ArrayList<>();
        long start = System.currentTimeMillis();
        long end = start + minutes * minuteMs;
        Thread player = new Thread(() -> playScripts(c, end, scriptsRun, scriptsPassed), "soak scripts");
        player.setDaemon(true);
        player.start();
        boolean replayed = false;
        for (int minute = 1; minute <= minutes; minute++) {
            long due = start + minute * minuteMs;
            while (System.currentTimeMillis() < due) {
                peakKb.accumulateAndGet(GuiBenchmark.rssKb(), Math::max);
                Thread.sleep(Math.min(500, Math.max(1, due - System.currentTimeMillis())));
            }
            if (!replayed && minute >= minutes * 3 / 4) {
                // Three quarters in, the presenter opens a long past session, scrubs it, and goes back to live.
                replayed = true;
                replay(c, journal);
            }
            long rss = GuiBenchmark.rssKb();
            peakKb.accumulateAndGet(rss, Math::max);
            Runtime rt = Runtime.getRuntime();
            String line = String.format(Locale.ROOT, "GUI soak: minute %2d: RSS %4d MB (peak %4d MB), heap %3d of %3d MB,"
                            + " %6d events on the timeline (%d parsed), %d scripts run",
                    minute, rss / 1024, peakKb.get() / 1024, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20,
                    fxOr(() -> c.timeline().model().size()), fxOr(() -> c.timeline().model().eventsHeld()), scriptsRun.get());
            System.out.println(line);
            samples.add(line);
        }
        player.join(600_000);
        String summary = String.format(Locale.ROOT, "GUI soak: %d simulated minutes of %d s: peak RSS %d MB (goal < 300 MB);"
                        + " %d scripts run (%d passed), a %,d-event replay",
                minutes, minuteMs / 1000, peakKb.get() / 1024, scriptsRun.get(), scriptsPassed.get(), REPLAY_EVENTS);
        System.out.println(summary);
        Path out = root.resolve("target/gui-soak.txt");
        Files.createDirectories(out.getParent());
        samples.add(summary);
        Files.write(out, samples);
        assertThat(scriptsRun.get()).isPositive();
        assertThat(replayed).isTrue();
    }

    /**
     * TestFX keeps every event fired on its stage (FxToolkitContext.firedEvents) for its failure reports;
     * over an hour that list holds the panels of past sessions (a heap dump showed six sessions kept alive
     * by it). The window outside a test has no such list, so the soak measures without it.
     */
    private static void stopTestFxEventRecording() throws ReflectiveOperationException {
        java.lang.reflect.Field f = org.testfx.api.FxToolkitContext.class.getDeclaredField("firedEvents");
        f.setAccessible(true);
        Object fired = f.get(org.testfx.api.FxToolkit.toolkitContext());
        if (fired instanceof org.testfx.service.support.FiredEvents events) {
            events.stopStoringFiredEvents();
            events.clearEvents();
        }
    }

    /** A figure from the FX thread, or -1 when it is too busy to answer (itself a finding: printed as -1). */
    private static int fxOr(java.util.concurrent.Callable<Integer> f) {
        try {
            return onFx(f);
        } catch (Exception busy) {
            return -1;
        }
    }

    private void playScripts(MainController c, long end, AtomicInteger run, AtomicInteger passed) {
        for (int i = 0; System.currentTimeMillis() < end; i++) {
            Path script = root.resolve("demo-scripts/" + SCRIPTS.get(i % SCRIPTS.size()) + ".yaml");
            try {
                CompletableFuture<RunSnapshot> f = onFx(() -> c.scenario().run(script, RunMode.HEADLESS));
                RunSnapshot r = f.get(20, TimeUnit.MINUTES);
                run.incrementAndGet();
                if (r.state() == org.secureota.workbench.scenario.RunState.PASSED) {
                    passed.incrementAndGet();
                }
                // A failure says which step and why, so that a run's failures can be told apart (load, heap).
                String why = r.steps().stream().filter(s -> s.status() == org.secureota.workbench.scenario.StepStatus.FAILED)
                        .map(s -> " (step " + s.index() + " after " + s.elapsed().toMillis() + " ms: " + s.failure() + ")")
                        .findFirst().orElse(r.problem() == null ? "" : " (" + r.problem() + ")");
                System.out.println("GUI soak: " + script.getFileName() + ": " + r.state() + why);
            } catch (Exception e) {
                run.incrementAndGet();
                System.out.println("GUI soak: " + script.getFileName() + ": " + e);
            }
        }
    }

    private static void replay(MainController c, Path journal) throws Exception {
        onFx(() -> c.replay(journal)).get(5, TimeUnit.MINUTES);
        waitFor("the replay on the timeline", 300_000, () -> c.replaying() && c.timeline().model().size() == REPLAY_EVENTS);
        for (int i = 0; i <= 10; i++) {
            double at = i / 10.0;
            onFx(() -> {
                var m = c.timeline().model();
                c.timeline().cursorNanosProperty().set(m.firstNanos() + (long) ((m.lastNanos() - m.firstNanos()) * at));
                return null;
            });
        }
        onFx(() -> {
            c.backToLive();
            return null;
        });
    }

    /** A past session of 100,000 events as the lab writes them: serial lines, requests, LCD rows, progress. */
    static Path replayJournal(Path dir) {
        Instant t0 = Instant.parse("2026-01-01T09:00:00Z");
        try (SessionLog log = SessionLog.create(dir, t0)) {
            Journal j = new Journal(Clock.systemUTC(), log, 100);
            for (int i = 0; i < REPLAY_EVENTS; i++) {
                String device = "esp32-lab-0" + (i % 4 + 1);
                switch (i % 5) {
                    case 0 -> j.append(Source.DEVICE, device, EventType.SERIAL_RX.wireName(), "I (" + i + ") ota: wrote 4096 bytes at 0x"
                            + Integer.toHexString(0x110000 + i * 16), Map.of("line", "log"));
                    case 1 -> j.append(Source.SERVER, device, "http.request", "GET /api/v1/firmware/demo-2.0.0.bin 206",
                            Map.of("method", "GET", "path", "/api/v1/firmware/demo-2.0.0.bin", "status", 206, "bytes_sent", 4096));
                    case 2 -> j.append(Source.DEVICE, device, "device.lcd", "LCD", Map.of("row0", "Mise a jour", "row1", i % 100 + " %"));
                    case 3 -> j.append(Source.DEVICE, device, "ota.progress", "progress", Map.of("bytes", i * 4096L, "total", 1_048_576));
                    default -> j.append(Source.NETWORK, device, "network.connection_opened", "connection", Map.of("peer", "127.0.0.1"));
                }
            }
            j.close();
            return log.journalFile();
        }
    }

}
