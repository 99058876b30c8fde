package org.secureota.workbench.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import org.secureota.workbench.cli.WorkbenchCli;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.SessionLog;
import org.secureota.workbench.journal.Source;
import org.secureota.workbench.scenario.RunMode;
import org.secureota.workbench.scenario.RunSnapshot;
import org.secureota.workbench.scenario.RunState;
import org.secureota.workbench.scenario.StepStatus;

/**
 * The soak's story, played in the process a presenter runs: {@link GuiSoakBenchmark} starts this class in a JVM
 * with the launcher's own command (its flags, its class-data archive, the product jar first on the class path),
 * so no JUnit, TestFX or Surefire class is loaded here. It opens the window as {@code ./workbench gui} does
 * (the CLI, in French), plays the demo scripts through the window's controller in a loop (the power-cut sweep,
 * the updates of the lifecycle, rollback and fleet scripts, the attack scripts), each in the fresh session the
 * window switches to, replays a 100,000-event journal three quarters in, and prints the process's resident
 * memory every simulated minute.
 *
 * <p>Arguments: a work folder (the lab and the replayed journal go under it), simulated minutes, real seconds per
 * simulated minute, and the file the figures are written to. Exit 0 when scripts ran and the replay was shown.
 */
public final class GuiSoakDriver {

    static final int REPLAY_EVENTS = 100_000;
    static final List<String> SCRIPTS = List.of("03-power-cut-sweep", "01-lifecycle", "06-rogue-server", "12-flipped-byte",
            "05-dropped-connection", "04-v4-rollback", "02-power-cut", "23-downgrade", "03-power-cut-sweep",
            "19-replayed-manifest", "10-expired-certificate", "08-tampered-record", "13-wrong-signing-key", "25-fleet",
            "03-power-cut-sweep", "24-steal-image");

    private GuiSoakDriver() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int minutes = Integer.parseInt(args[1]);
        long minuteMs = Long.parseLong(args[2]) * 1000;
        Path out = Path.of(args[3]);
        Path root = Path.of(System.getProperty("workbench.home", ".")).toAbsolutePath();
        System.out.println("GUI soak: JVM flags " + java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        Path journal = replayJournal(work.resolve("replay"));

        AtomicInteger windowExit = new AtomicInteger(-1);
        Thread window = new Thread(() -> windowExit.set(WorkbenchCli.execute("--lab", work.resolve("lab").toString(), "gui",
                "--lang", "fr")), "window");
        window.start();
        poll("the window", 180_000, () -> WorkbenchApp.started() != null);
        MainController c = WorkbenchApp.started().controller();
        poll("the lab open", 180_000, () -> onFx(() -> c.devicePanels().containsKey("esp32-lab-01")));

        AtomicLong peakKb = new AtomicLong();
        AtomicInteger scriptsRun = new AtomicInteger();
        AtomicInteger scriptsPassed = new AtomicInteger();
        List<String> samples = new ArrayList<>();
        long start = System.currentTimeMillis();
        long end = start + minutes * minuteMs;
        Thread player = new Thread(() -> playScripts(c, root, end, scriptsRun, scriptsPassed), "soak scripts");
        player.setDaemon(true);
        player.start();
        boolean replayed = false;
        for (int minute = 1; minute <= minutes; minute++) {
            long due = start + minute * minuteMs;
            while (System.currentTimeMillis() < due) {
                peakKb.accumulateAndGet(rssKb(), Math::max);
                Thread.sleep(Math.min(500, Math.max(1, due - System.currentTimeMillis()))); // not a wait: RSS sampling period
            }
            if (!replayed && minute >= minutes * 3 / 4) {
                // Three quarters in, the presenter opens a long past session, scrubs it, and goes back to live.
                replayed = true;
                replay(c, journal);
            }
            long rss = rssKb();
            peakKb.accumulateAndGet(rss, Math::max);
            Runtime rt = Runtime.getRuntime();
            String line = String.format(Locale.ROOT, "GUI soak: minute %2d: RSS %4d MB (peak %4d MB), heap %3d of %3d MB,"
                            + " %6d events on the timeline (%d parsed), %d scripts run; direct buffers %d MB, %d full collections",
                    minute, rss / 1024, peakKb.get() / 1024, (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20,
                    fxOr(() -> c.timeline().model().size()), fxOr(() -> c.timeline().model().eventsHeld()), scriptsRun.get(),
                    directBytes() >> 20, fullCollections());
            System.out.println(line);
            samples.add(line);
        }
        player.join(600_000);
        String summary = String.format(Locale.ROOT, "GUI soak: %d simulated minutes of %d s: peak RSS %d MB (goal < 300 MB);"
                        + " %d scripts run (%d passed), a %,d-event replay",
                minutes, minuteMs / 1000, peakKb.get() / 1024, scriptsRun.get(), scriptsPassed.get(), REPLAY_EVENTS);
        System.out.println(summary);
        Files.createDirectories(out.toAbsolutePath().getParent());
        samples.add(summary);
        Files.write(out, samples);

        // Closed as a presenter closes it: the window's lab ends, then the toolkit and the CLI return.
        onFx(() -> {
            new ArrayList<>(javafx.stage.Window.getWindows()).forEach(javafx.stage.Window::hide);
            return null;
        });
        window.join(120_000);
        boolean ok = scriptsRun.get() > 0 && replayed && windowExit.get() == 0;
        if (!ok) {
            System.out.println("GUI soak: FAILED: " + scriptsRun.get() + " scripts run, replay " + (replayed ? "shown" : "not shown")
                    + ", the window's command exited " + windowExit.get());
        }
        System.exit(ok ? 0 : 1);
    }

    private static void playScripts(MainController c, Path root, long end, AtomicInteger run, AtomicInteger passed) {
        for (int i = 0; System.currentTimeMillis() < end; i++) {
            Path script = root.resolve("demo-scripts/" + SCRIPTS.get(i % SCRIPTS.size()) + ".yaml");
            try {
                CompletableFuture<RunSnapshot> f = onFx(() -> c.scenario().run(script, RunMode.HEADLESS));
                RunSnapshot r = f.get(20, TimeUnit.MINUTES);
                run.incrementAndGet();
                if (r.state() == RunState.PASSED) {
                    passed.incrementAndGet();
                }
                // A failure says which step and why, so that a run's failures can be told apart (load, heap).
                String why = r.steps().stream().filter(s -> s.status() == StepStatus.FAILED)
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
        poll("the replay on the timeline", 300_000, () -> onFx(() -> c.replaying() && c.timeline().model().size() == REPLAY_EVENTS));
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

    /** Native memory held by direct byte buffers (the OTA server's pool, NIO): freed only when a collection finds them dead. */
    private static long directBytes() {
        return java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed).sum();
    }

    /** Collections of the old generation (Serial's MarkSweepCompact), explicit ones included. */
    private static long fullCollections() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(g -> g.getName().equals("MarkSweepCompact")).mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionCount)
                .sum();
    }

    static long rssKb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** FxSupport's, repeated: this class runs in the window's own JVM, where FxSupport's test libraries are not. */
    private static <T> T onFx(Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    /** A figure from the FX thread, or -1 when it is too busy to answer (itself a finding: printed as -1). */
    private static int fxOr(Callable<Integer> f) {
        try {
            return onFx(f);
        } catch (Exception busy) {
            return -1;
        }
    }

    /** Returns once {@code condition} holds; throws naming {@code what} after {@code timeoutMs}. */
    private static void poll(String what, long timeoutMs, Callable<Boolean> condition) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!Boolean.TRUE.equals(condition.call())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("waited " + timeoutMs + " ms for " + what + ", in vain");
            }
            Thread.sleep(100); // not a wait: the polling period of the condition above, bounded by its deadline
        }
    }
}
