package org.secureota.workbench.ui;

import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code ./workbench --timing}: prints how long each phase of a start took, from the moment the
 * launcher script started (or the JVM, when started otherwise) to the first device boot shown. A
 * presenter's start is judged by that last figure; the phases say where the time went.
 */
public final class StartTiming {

    private static volatile PrintStream out;
    private static volatile long originMs;
    private static volatile long lastMs;
    private static volatile boolean deviceShown;

    private StartTiming() {
    }

    /** Starts printing phases to {@code to}; the origin is the launcher's start, else the JVM's. */
    public static void enable(PrintStream to) {
        long jvmStart = ProcessHandle.current().info().startInstant().map(i -> i.toEpochMilli())
                .orElse(System.currentTimeMillis());
        long launched = parse(System.getenv("WORKBENCH_LAUNCHED_AT_MS"));
        long now = System.currentTimeMillis();
        // The process start time is known to about a second only (/proc counts from the boot second).
        boolean fromLauncher = launched > 0 && launched <= now && now - launched < 120_000;
        originMs = fromLauncher ? launched : jvmStart;
        lastMs = originMs;
        out = to;
        if (fromLauncher) {
            mark("the JVM process started (the launcher script ran before it; +-1 s)", Math.max(launched, jvmStart));
        }
        mark("the command line was read (JVM start, class loading)");
    }

    public static boolean enabled() {
        return out != null;
    }

    public static void mark(String phase) {
        mark(phase, System.currentTimeMillis());
    }

    /** The first device boot reached the window: the figure the start is judged by. Once. */
    static void firstDeviceShown() {
        if (!deviceShown && out != null) {
            deviceShown = true;
            mark("the first device boot is shown (total)");
        }
    }

    private static synchronized void mark(String phase, long atMs) {
        PrintStream o = out;
        if (o == null) {
            return;
        }
        o.printf(Locale.ROOT, "timing: %6d ms  (+%5d ms)  %s%n", atMs - originMs, atMs - lastMs, phase);
        o.flush();
        lastMs = Math.max(lastMs, atMs);
    }

    private static long parse(String ms) {
        try {
            return ms == null ? -1 : Long.parseLong(ms.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
