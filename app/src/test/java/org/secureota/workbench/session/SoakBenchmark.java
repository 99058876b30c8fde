package org.secureota.workbench.session;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Prerequisites;
import org.secureota.workbench.device.CutPoint;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.firmware.OtaState;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.JournalJson;
import org.secureota.workbench.journal.SessionLog;

/**
 * The soak benchmark of issue 27, run by {@code bench/soak [UPDATES] [DEVICES]} (skipped in a normal
 * build): DEVICES virtual boards (30) in one session update to a new version each round (the V3 program
 * with its descriptor's version raised: 10.0.0, 11.0.0 ..., since a device is only offered newer) until
 * UPDATES (1,000) updates are done, with power cuts armed at random flash operations and cut at random
 * times, dropped connections and catalogue attacks mixed in, and a flood from 127.0.2.1 all along (wrong
 * keys naming real devices, random ids, keyless downloads, idle connections to the server and to the
 * endpoint, SNTP queries). It prints the figures and asserts nothing about them.
 */
class SoakBenchmark {

    static final Duration STEP = Duration.ofSeconds(120);
    static final String FLOODER = "127.0.2.1";

    @TempDir
    Path root;

    final AtomicInteger updates = new AtomicInteger();
    final AtomicInteger bricks = new AtomicInteger();
    final AtomicInteger noVerdict = new AtomicInteger();
    final AtomicInteger checks = new AtomicInteger();
    final AtomicInteger armedCuts = new AtomicInteger();
    final AtomicInteger timedCuts = new AtomicInteger();
    final AtomicInteger refusedVerdicts = new AtomicInteger();
    final AtomicLong peakRss = new AtomicLong();
    final AtomicInteger peakThreads = new AtomicInteger();
    final AtomicLong floodRequests = new AtomicLong();
    final List<String> brickNotes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void soak() throws Exception {
        String updatesProperty = System.getProperty("soak.updates");
        assumeTrue(updatesProperty != null, "a benchmark: run it with bench/soak [UPDATES] [DEVICES]");
        Prerequisites.require(VirtualEsp32.isBuilt(SessionTestSupport.ROOT), "the virtual ESP32 is not built");
        int target = Integer.parseInt(updatesProperty);
        int boards = Integer.parseInt(System.getProperty("soak.devices", "30"));
        long seed = Long.getLong("soak.seed", System.nanoTime());
        Random random = new Random(seed);
        say("soak: %d devices, %d updates, seed %d%n", boards, target, seed);

        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(this::sample, 0, 500, TimeUnit.MILLISECONDS);
        ExecutorService work = Executors.newFixedThreadPool(boards);
        AtomicBoolean flooding = new AtomicBoolean(true);
        long started = System.nanoTime();
        Path journalFile;
        try (LabSession session = LabSession.openAndWait(SessionTestSupport.options(root))) {
            journalFile = session.folder().resolve(SessionLog.JOURNAL_FILE);
            List<LabDevice> devices = new ArrayList<>();
            List<CompletableFuture<LabDevice>> made = new ArrayList<>();
            for (int i = 1; i <= boards; i++) {
                made.add(session.createVirtualDevice(String.format("seat-%02d", i), LabSessionDefaults.PRODUCT,
                        VirtualDeviceOptions.factoryFreshV1()));
            }
            for (CompletableFuture<LabDevice> f : made) {
                LabDevice d = f.get(300, TimeUnit.SECONDS);
                d.model().await(SessionTestSupport::v1Running, STEP, "V1 running on " + d.id());
                devices.add(d);
            }
            Thread flood = new Thread(() -> flood(session, flooding), "soak-flood");
            flood.setDaemon(true);
            flood.start();

            int round = 0;
            String version = null;
            Path base = SessionTestSupport.ROOT.resolve(VirtualEsp32.IMAGES).resolve("v3_liquid.bin");
            while (updates.get() < target) {
                version = (10 + round) + ".0.0";
                Path image = versioned(base, version, root.resolve("soak-" + version + ".bin"));
                LabSession.join(session.publish(image, LabSessionDefaults.PRODUCT));
                LabSession.join(session.deploy(LabSessionDefaults.PRODUCT, version));
                final String deployed = version;
                String attack = round % 6 == 2 ? "dropped-connection" : round % 6 == 4 ? "flipped-byte" : null;
                if (attack != null) {
                    session.attacker().arm(attack, Map.of());
                }
                List<CompletableFuture<Void>> steps = new ArrayList<>();
                for (int i = 0; i < devices.size(); i++) {
                    LabDevice d = devices.get(i);
                    // One draw of the master generator per device (adjacent seeds would give alike first draws).
                    Random r = new Random(random.nextLong());
                    steps.add(CompletableFuture.runAsync(() -> step(session, d, deployed, r), work));
                }
                CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new)).get(15, TimeUnit.MINUTES);
                if (attack != null) {
                    session.attacker().disarm(attack);
                }
                round++;
                say("soak: round %d (%s%s): %d updates, %d bricks, %d checks without a verdict,"
                        + " %.0f s%n", round, version, attack == null ? "" : ", " + attack, updates.get(), bricks.get(),
                        noVerdict.get(), (System.nanoTime() - started) / 1e9);
            }
            flooding.set(false);
            flood.join(30_000);
            // The figures of the workbench under load end here: what follows is the benchmark's own reading.
            sampler.shutdownNow();
            sample();
            System.gc();
            long liveHeapMiB = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
            long maxHeapMiB = Runtime.getRuntime().maxMemory() >> 20;

            // Stuck: a device that cannot reach the deployed version with a clean check at the end.
            String last = version;
            List<CompletableFuture<Boolean>> finals = new ArrayList<>();
            for (LabDevice d : devices) {
                finals.add(CompletableFuture.supplyAsync(() -> finalCheck(session, d, last), work));
            }
            int stuck = 0;
            for (CompletableFuture<Boolean> f : finals) {
                stuck += f.get(10, TimeUnit.MINUTES) ? 0 : 1;
            }
            long genuine429 = session.journal().events(EventType.HTTP_REQUEST, null, 0).stream()
                    .filter(e -> String.valueOf(e.fields().get("remote")).startsWith("127.0.1."))
                    .filter(e -> Integer.valueOf(429).equals(((Number) e.fields().get("status")).intValue()))
                    .count();
            long alerts = session.journal().events(EventType.SERVER_AUTH_THROTTLED, null, 0).size();
            session.close();
            long[] gaps = journalGaps(journalFile);
            double seconds = (System.nanoTime() - started) / 1e9;
            say("%n");
            say("soak figures (%d devices, seed %d, %.0f s, %d rounds):%n", boards, seed, seconds, round);
            say("  updates done                           %d%n", updates.get());
            say("  bricks                                 %d%s%n", bricks.get(),
                    brickNotes.isEmpty() ? "" : " " + brickNotes);
            say("  devices stuck                          %d%n", stuck);
            say("  checks without a verdict               %d (of %d checks)%n", noVerdict.get(), checks.get());
            say("  journal gaps                           %d (%d lines, %d invalid)%n", gaps[0], gaps[1], gaps[2]);
            say("  genuine requests refused with 429      %d%n", genuine429);
            say("  peak RSS / threads of the workbench    %d MiB / %d (heap in use after GC at the end %d MiB;"
                    + " default max heap %d MiB; sampled every 0.5 s in this JVM, boards are other processes)%n",
                    peakRss.get() / 1024, peakThreads.get(), liveHeapMiB, maxHeapMiB);
            say("  journal bytes                          %d (%.1f MiB)%n", Files.size(journalFile),
                    Files.size(journalFile) / 1048576.0);
            say("  power cuts: armed at a flash op %d, at a random time %d; refusals (attacks) %d;"
                    + " flood requests %d, auth_throttled alerts %d%n", armedCuts.get(), timedCuts.get(),
                    refusedVerdicts.get(), floodRequests.get(), alerts);
        } finally {
            flooding.set(false);
            sampler.shutdownNow();
            work.shutdownNow();
        }
    }

    /** Prints a line, and appends it to the file named by {@code soak.out} (the bench script shows that file). */
    private static void say(String format, Object... args) {
        String text = String.format(format, args);
        System.out.print(text);
        String out = System.getProperty("soak.out");
        if (out != null) {
            try {
                Files.writeString(Path.of(out), text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // the console has it
            }
        }
    }

    /** {@code base} with its descriptor's version set to {@code version}: the same program, a newer release. */
    static Path versioned(Path base, String version, Path out) throws IOException {
        org.secureota.workbench.firmware.AppImage parsed = org.secureota.workbench.firmware.AppImage.parse(
                Files.readAllBytes(base));
        var d = parsed.descriptor().orElseThrow();
        var segments = parsed.segments();
        var first = segments.get(0);
        var builder = org.secureota.workbench.firmware.AppImageBuilder
                .forChip(org.secureota.workbench.firmware.ChipId.HOST)
                .descriptor(new org.secureota.workbench.firmware.AppDescriptor(d.secureVersion(), version,
                        d.projectName(), d.time(), d.date(), d.idfVersion(), d.elfSha256()))
                .descriptorLoadAddress(first.loadAddress())
                .rodata(java.util.Arrays.copyOfRange(first.data(), 256, first.data().length))
                .entryAddress(parsed.header().orElseThrow().entryAddress());
        for (int i = 1; i < segments.size(); i++) {
            builder.segment(segments.get(i).loadAddress(), segments.get(i).data());
        }
        Files.write(out, builder.build());
        return out;
    }

    /** One device's turn in a round: a plain check (most often), or a check with a power cut. */
    private void step(LabSession session, LabDevice d, String version, Random r) {
        try {
            BoardPower power = d.board().power();
            if (power == BoardPower.CUT || power == BoardPower.OFF) {
                recover(session, d, session.journal().size(), "off at its turn");
            } else if (power == BoardPower.BOOTING) {
                session.await(s -> s.boards().get(d.id()) != null && s.boards().get(d.id()).power() != BoardPower.BOOTING,
                        STEP, d.id() + " booted");
            }
            double dice = r.nextDouble();
            long mark = session.journal().size();
            if (dice < 0.08) {
                armedCuts.incrementAndGet();
                LabSession.join(d.armCut(1 + r.nextInt(250), r.nextBoolean() ? CutPoint.BEFORE : CutPoint.HALFWAY));
                LabSession.join(d.check());
                Optional<JournalEvent> first = session.journal().awaitAfter(mark, e -> d.id().equals(e.deviceId())
                        && (EventType.BOARD_POWER_CUT.is(e) || EventType.OTA_VERDICT.is(e)), STEP);
                if (first.isPresent() && EventType.OTA_VERDICT.is(first.get())) {
                    countVerdict(session, d, first.get(), version);
                }
                LabSession.join(d.disarmCut());
                if (session.journal().events(EventType.BOARD_POWER_CUT, d.id(), mark).size() > 0) {
                    recover(session, d, mark, "armed cut");
                }
            } else if (dice < 0.14) {
                timedCuts.incrementAndGet();
                LabSession.join(d.check());
                Thread.sleep(r.nextInt(400));
                LabSession.join(d.powerCut());
                recover(session, d, mark, "cut at a random time");
            } else {
                checks.incrementAndGet();
                LabSession.join(d.check());
                Optional<JournalEvent> verdict = session.journal().awaitAfter(mark, e -> d.id().equals(e.deviceId())
                        && EventType.OTA_VERDICT.is(e), STEP);
                if (verdict.isEmpty()) {
                    noVerdict.incrementAndGet();
                    return;
                }
                countVerdict(session, d, verdict.get(), version);
            }
        } catch (Exception e) {
            brickNotes.add(d.id() + ": " + e);
            say("soak: %s: %s%n", d.id(), e);
        }
    }

    private void countVerdict(LabSession session, LabDevice d, JournalEvent verdict, String version) throws Exception {
        Object code = verdict.fields().get("code");
        if ("UPDATED".equals(code)) {
            long deadline = System.nanoTime() + STEP.toNanos();
            while (System.nanoTime() < deadline) {
                var s = d.model().snapshot();
                if (version.equals(s.version()) && s.runningState() == OtaState.VALID) {
                    updates.incrementAndGet();
                    return;
                }
                if (d.board().power() == BoardPower.CUT) {
                    return; // an armed cut struck after the verdict; the caller powers it on again
                }
                Thread.sleep(20);
            }
            throw new java.util.concurrent.TimeoutException(d.id() + ": UPDATED but " + version + " not confirmed");
        } else if (!"NO_UPDATE".equals(code)) {
            refusedVerdicts.incrementAndGet();
        }
    }

    /** Powers the board on after a cut; a board that boots no app within the step's time is bricked. */
    private void recover(LabSession session, LabDevice d, long mark, String why) throws Exception {
        long before = session.journal().size();
        LabSession.join(d.powerOn());
        Optional<JournalEvent> boot = session.journal().awaitAfter(before, e -> d.id().equals(e.deviceId())
                && EventType.DEVICE_BOOT.is(e) && !Boolean.TRUE.equals(e.fields().get("status_report")), STEP);
        if (boot.isEmpty()) {
            bricks.incrementAndGet();
            brickNotes.add(d.id() + " (" + why + ", from journal seq " + mark + ")");
            say("soak: BRICK? %s booted nothing within %d s after %s (journal seq %d on)%n", d.id(), STEP.toSeconds(),
                    why, mark);
        }
    }

    private boolean finalCheck(LabSession session, LabDevice d, String version) {
        try {
            if (d.board().power() == BoardPower.CUT || d.board().power() == BoardPower.OFF) {
                recover(session, d, session.journal().size(), "final");
            }
            if (!version.equals(d.model().snapshot().version())) {
                long mark = session.journal().size();
                LabSession.join(d.check());
                session.journal().awaitAfter(mark, e -> d.id().equals(e.deviceId()) && EventType.OTA_VERDICT.is(e), STEP);
            }
            d.model().await(s -> version.equals(s.version()) && s.runningState() == OtaState.VALID, STEP, "final");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Lines, gaps in the sequence and lines that are not valid events: {gaps, lines, invalid}. */
    static long[] journalGaps(Path file) throws IOException {
        long gaps = 0;
        long lines = 0;
        long invalid = 0;
        long seq = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lines++;
            try {
                long next = JournalJson.fromLine(line).seq();
                if (next != seq + 1) {
                    gaps++;
                }
                seq = next;
            } catch (IllegalArgumentException e) {
                invalid++;
            }
        }
        return new long[] {gaps, lines, invalid};
    }

    private void sample() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    peakRss.accumulateAndGet(kib, Math::max);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // a missed sample
        }
        peakThreads.accumulateAndGet(ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
    }

    /** Bad requests, idle connections and SNTP queries from another loopback address, until told to stop. */
    private void flood(LabSession session, AtomicBoolean go) {
        SecureRandom random = new SecureRandom();
        SSLContext tls;
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(session.pki().trustStore());
            tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), random);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        int server = session.server().port();
        int endpoint = session.endpoint().port();
        String[] time = session.timeSource().hostPort().split(":");
        List<Socket> idle = new ArrayList<>();
        long refreshed = 0;
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(FLOODER), 0))) {
            InetSocketAddress sntp = new InetSocketAddress(time[0], Integer.parseInt(time[1]));
            byte[] query = new byte[48];
            query[0] = 0x23; // NTPv4, client
            while (go.get()) {
                if (System.nanoTime() - refreshed > 15_000_000_000L) {
                    for (Socket s : idle) {
                        s.close();
                    }
                    idle.clear();
                    for (int i = 0; i < 20; i++) {
                        idle.add(connect(server));
                        idle.add(connect(endpoint));
                    }
                    refreshed = System.nanoTime();
                }
                String path = switch (random.nextInt(3)) {
                    case 0 -> "/api/v1/manifest?product=" + LabSessionDefaults.PRODUCT + "&device=seat-"
                            + String.format("%02d", 1 + random.nextInt(30)) + "&current=1.0.0";
                    case 1 -> "/api/v1/manifest?device=guess-" + random.nextInt(1_000_000) + "&current=1.0.0";
                    default -> "/firmware/" + LabSessionDefaults.PRODUCT + "-2.0.0.bin";
                };
                request(tls, server, path, "bad-" + random.nextInt());
                floodRequests.incrementAndGet();
                for (int i = 0; i < 10; i++) {
                    udp.send(new DatagramPacket(query, query.length, sntp));
                }
                Thread.sleep(50);
            }
        } catch (IOException | InterruptedException e) {
            // the session closed under the flood
        } finally {
            for (Socket s : idle) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(FLOODER), 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }

    private static void request(SSLContext tls, int port, String path, String key) {
        try (Socket plain = connect(port);
             SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: " + key
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readNBytes(12);
        } catch (IOException refused) {
            // a flood does not care
        }
    }
}
