package org.secureota.workbench.session;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;

/**
 * The fleet benchmark, run by {@code bench/fleet-update [N]} (skipped in a normal build): thirty
 * virtual boards at V1 in one lab session, each on its own loopback address behind the device
 * endpoint, then {@code deploy 2.0.0} and {@code check all}. It prints the wall time from the deploy
 * to the thirtieth "V2 confirmed" (version 2.0.0 running and valid), the CPU time of the OTA
 * server's threads (Jetty's pool, {@code ota-server-*}: TLS, requests, journaling of requests) per
 * update, and the whole workbench JVM's (server, device endpoint, serial readers, journal) per
 * update; the boards are processes of their own and not counted. It also counts the device's TLS
 * connections and how many resumed a session ({@code ota.tls}). N rounds, each in a fresh session
 * with fresh boards. It asserts that every board was updated, never a time.
 */
@Timeout(1800)
@Tag("e2e")
class FleetUpdateBenchmark {

    static final int BOARDS = 30;
    static final Duration LONG_WAIT = Duration.ofSeconds(300);

    @TempDir
    Path root;

    @Test
    void thirtyBoardsFromV1ToV2AtOnce() throws Exception {
        String runsProperty = System.getProperty("bench.runs");
        assumeTrue(runsProperty != null, "a benchmark: run it with bench/fleet-update [N]");
        SessionTestSupport.requireBoard();
        int runs = Integer.parseInt(runsProperty);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "fleet-update: %d boards V1 -> V2 at once, %d round(s); %d cores, %s %s",
                BOARDS, runs, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version")));
        out.add("round  wall to 30 confirmed  server CPU/update  JVM CPU/update  TLS connections (resumed)  load average");
        for (int round = 1; round <= runs; round++) {
            Path folder = root.resolve("round-" + round);
            Files.createDirectories(folder);
            try (LabSession session = LabSession.openAndWait(SessionTestSupport.options(folder))) {
                List<LabDevice> devices = VirtualFleet.startAtV1(session, "seat-%02d", BOARDS, LONG_WAIT);
                long mark = session.journal().size();
                long serverCpu0 = serverCpuNanos(threads);
                long jvmCpu0 = os.getProcessCpuTime();
                long started = System.nanoTime();
                VirtualFleet.deployV2AndCheckAll(session, devices, LONG_WAIT);
                long wallMs = (System.nanoTime() - started) / 1_000_000;
                double serverCpuMs = (serverCpuNanos(threads) - serverCpu0) / 1e6;
                double jvmCpuMs = (os.getProcessCpuTime() - jvmCpu0) / 1e6;

                VirtualFleet.assertOneUpdatedEach(session, mark, BOARDS);
                List<JournalEvent> tls = session.journal().events(EventType.OTA_TLS, null, mark);
                long resumed = tls.stream().filter(e -> Boolean.TRUE.equals(e.fields().get("resumed"))).count();
                out.add(String.format(Locale.ROOT, "%5d  %17d ms  %14.1f ms  %11.1f ms  %17d (%d)  %s", round, wallMs,
                        serverCpuMs / BOARDS, jvmCpuMs / BOARDS, tls.size(), resumed, loadAverage()));
            }
        }
        out.forEach(System.out::println);
        String file = System.getProperty("bench.out");
        if (file != null) {
            Files.writeString(Path.of(file), String.join("\n", out) + "\n", StandardCharsets.UTF_8);
        }
    }

    /** CPU time of the OTA server's Jetty pool threads, alive now. */
    private static long serverCpuNanos(ThreadMXBean threads) {
        long sum = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("ota-server")) {
                long cpu = threads.getThreadCpuTime(t.getThreadId());
                if (cpu > 0) {
                    sum += cpu;
                }
            }
        }
        return sum;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
