package org.secureota.workbench.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.secureota.workbench.device.CutPoint;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.session.BoardSnapshot;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.ServerSnapshot;
import org.secureota.workbench.session.SessionSnapshot;

/**
 * The command line of {@code ./workbench lab}: one line typed on stdin is one command. A table of
 * named commands, so that other parts register theirs ({@link #register}) beside the lab's own
 * ({@code check}, {@code deploy}, {@code power-cut}, {@code reset}, {@code status}, {@code help},
 * {@code quit}). Commands that act on the lab return at once; their outcome is printed when it
 * arrives (and the effects appear in the journal lines), so the console never waits on a board.
 */
public final class LabConsole {

    /** One command: its words after the name, the console to print to. */
    @FunctionalInterface
    public interface Action {
        /** Throws {@link UsageException} for bad arguments; the console prints it with the usage. */
        void run(List<String> args, LabConsole console);
    }

    private record Entry(String usage, String help, Action action) {
    }

    static final int HAND_OVER_SECONDS = 30;

    private final LabSession session;
    private final PrintWriter out;
    private final Map<String, Entry> commands = new LinkedHashMap<>();
    /** Per device: where the journal and the device's boot count stood when this console last asked it to check. */
    private final Map<String, CheckMark> checks = new java.util.concurrent.ConcurrentHashMap<>();

    /** What {@code wait} compares against: the journal's size and the device's boots at the last {@code check}. */
    record CheckMark(long seq, long boots, String journalId) {
    }
    private volatile boolean quit;

    public LabConsole(LabSession session, PrintWriter out) {
        this.session = Objects.requireNonNull(session, "session");
        this.out = Objects.requireNonNull(out, "out");
        registerStandard();
    }

    public LabSession session() {
        return session;
    }

    /** Adds a command; {@code usage} is its synopsis ({@code "check ID|all"}), {@code help} one sentence. */
    public void register(String name, String usage, String help, Action action) {
        if (!name.matches("[a-z][a-z-]*")) {
            throw new IllegalArgumentException("a console command is lower-case words joined by '-', not '" + name + "'");
        }
        if (commands.putIfAbsent(name, new Entry(usage, help, action)) != null) {
            throw new IllegalArgumentException("the console already has a command '" + name + "'");
        }
    }

    /** Whether {@code quit} was typed. */
    public boolean quitRequested() {
        return quit;
    }

    /** Prints a line now (commands and their late outcomes use it). */
    public void println(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /**
     * Runs one typed line. Blank lines and {@code #} comments do nothing; an unknown command or bad
     * arguments print what is wrong and the usage, and change nothing.
     */
    public void dispatch(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return;
        }
        List<String> words = new ArrayList<>(Arrays.asList(trimmed.split("\\s+")));
        String name = words.remove(0).toLowerCase(Locale.ROOT);
        Entry e = commands.get(name);
        if (e == null) {
            println("error: no command '" + name + "'. Commands: " + String.join(", ", commands.keySet())
                    + " ('help' says what each does).");
            return;
        }
        session.journal().tryAppend(EventType.SESSION_COMMAND, null, "console: " + trimmed, Map.of("command", trimmed));
        try {
            e.action().run(List.copyOf(words), this);
        } catch (UsageException | org.secureota.workbench.session.LabSessionException ex) {
            println("error: " + ex.getMessage() + (ex instanceof UsageException ? " Usage: " + e.usage() : ""));
        }
    }

    /**
     * Prints the outcome of {@code action}: {@code done} on success, the reason on failure. Waits (at
     * most {@value #HAND_OVER_SECONDS} s) for the action to be handed over, so that typed lines take
     * effect in order ("deploy 3.0.0" before "check all"); the action's effects arrive later, as telemetry.
     */
    public void report(CompletableFuture<?> action, String done) {
        try {
            action.get(HAND_OVER_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException slow) {
            println("(still in progress; its outcome is printed when it arrives)");
        } catch (java.util.concurrent.ExecutionException failed) {
            // printed below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        action.whenComplete((v, failure) -> {
            if (failure == null) {
                if (done != null) {
                    println(done);
                }
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                println("error: " + cause.getMessage());
            }
        });
    }

    /** The device's last {@code check} from this console, if any. */
    java.util.Optional<CheckMark> lastCheck(String id) {
        return java.util.Optional.ofNullable(checks.get(id));
    }

    private void markCheck(LabDevice d) {
        checks.put(d.id(), new CheckMark(session.journal().size(), d.model().snapshot().boots(),
                d.model().snapshot().journalId()));
    }

    LabDevice device(String id) {
        // A real board is held under its port until it reports its id; either name finds it.
        return session.device(id).or(() -> session.devices().stream()
                        .filter(d -> id.equals(d.model().snapshot().deviceId())).findFirst()).orElseThrow(() -> new UsageException("No device '" + id + "' in this session."
                + " Devices: " + String.join(", ", session.devices().stream().map(LabDevice::id).toList()) + "."));
    }

    private static void expect(List<String> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            throw new UsageException("Wrong number of words.");
        }
    }

    private void registerStandard() {
        register("check", "check ID|all", "asks a device (or every device) to check for an update now", (args, c) -> {
            expect(args, 1, 1);
            if (args.get(0).equals("all")) {
                session.devices().forEach(this::markCheck);
                report(session.checkAll(), null);
            } else {
                LabDevice d = device(args.get(0));
                markCheck(d);
                report(d.check(), null);
            }
        });
        register("deploy", "deploy VERSION [ID]", "deploys a published release to every device of the product"
                + " (or to one device)", (args, c) -> {
                    expect(args, 1, 2);
                    String version = args.get(0);
                    if (args.size() == 2) {
                        report(session.deployToDevice(device(args.get(1)).id(), version), null);
                    } else {
                        report(session.deploy(product(), version), null);
                    }
                });
        register("power-cut", "power-cut ID [at N [before|halfway]]", "cuts a virtual board's power now, or arms a cut"
                + " at its Nth flash operation from now (halfway through it by default)", (args, c) -> {
                    if (args.size() != 1 && args.size() != 3 && args.size() != 4) {
                        throw new UsageException("Wrong number of words.");
                    }
                    LabDevice d = device(args.get(0));
                    if (args.size() == 1) {
                        report(d.powerCut(), null);
                        return;
                    }
                    if (!args.get(1).equals("at")) {
                        throw new UsageException("Expected 'at' after the device id, not '" + args.get(1) + "'.");
                    }
                    long n;
                    try {
                        n = Long.parseLong(args.get(2));
                    } catch (NumberFormatException ex) {
                        throw new UsageException("'" + args.get(2) + "' is not a count of flash operations.");
                    }
                    if (n < 1) {
                        throw new UsageException("The cut comes at flash operation 1 or later, not " + n + ".");
                    }
                    CutPoint point = args.size() == 4 ? cutPoint(args.get(3)) : CutPoint.HALFWAY;
                    // Operations 1..n-1 complete; operation n is cut.
                    report(d.armCut(n - 1, point), "armed: " + d.id() + " loses power at its flash operation " + n
                            + " from now (" + point.wireName() + "); 'status' shows it as " + n + "/" + point.wireName());
                });
        register("power-on", "power-on ID", "powers a virtual board on again after a cut", (args, c) -> {
            expect(args, 1, 1);
            report(device(args.get(0)).powerOn(), null);
        });
        register("reset", "reset ID", "presses a board's EN button (a real board: a software restart)", (args, c) -> {
            expect(args, 1, 1);
            report(device(args.get(0)).reset(), null);
        });
        register("status", "status", "shows the server, every board and device", (args, c) -> {
            expect(args, 0, 0);
            status();
        });
        register("help", "help", "lists the commands", (args, c) -> {
            commands.forEach((name, e) -> println(String.format("  %-40s %s", e.usage(), e.help())));
        });
        register("quit", "quit", "closes the session (boards, server, journal) and exits", (args, c) -> {
            expect(args, 0, 0);
            quit = true;
        });
    }

    private String product() {
        return session.devices().stream().map(LabDevice::product).filter(p -> !p.isEmpty()).findFirst()
                .orElse(org.secureota.workbench.session.LabSessionDefaults.PRODUCT);
    }

    private static CutPoint cutPoint(String word) {
        return Arrays.stream(CutPoint.values()).filter(p -> p.wireName().equals(word)).findFirst()
                .orElseThrow(() -> new UsageException("'" + word + "' is not a cut point: use before or halfway."));
    }

    private void status() {
        SessionSnapshot s = session.snapshot();
        ServerSnapshot server = s.server();
        println("session " + s.state() + " in " + session.folder());
        println("server  " + server.status() + " " + server.url() + " (" + server.role() + ", " + server.tlsProvider()
                + ", certificate SHA-256 " + abbreviate(server.certificateSha256()) + ", expires "
                + server.certificateNotAfter() + ")");
        println("        releases " + String.join(", ", server.releases().stream()
                .map(r -> r.product() + " " + r.version()).toList()) + "; deployments " + server.deployments().products()
                + (server.deployments().devices().isEmpty() ? "" : " " + server.deployments().devices()));
        if (s.devices().isEmpty()) {
            println("no devices");
        }
        s.devices().forEach((id, d) -> {
            BoardSnapshot b = s.boards().get(id);
            println(String.format("%-14s %-8s %s %s from %s (%s), %s; LCD %s; LED %s%s%s", id,
                    b == null ? "" : b.power(), d.project() == null ? "" : d.project(),
                    d.version() == null ? "(no boot reported yet)" : d.version(), d.runningSlot(), d.runningState(),
                    d.connection(), d.lcd().describe(), d.led().describe(),
                    d.lastVerdict() == null ? "" : "; last verdict " + d.lastVerdict().code(),
                    b == null || b.armedCut() == null ? "" : "; cut armed " + b.armedCut()));
        });
    }

    private static String abbreviate(String hex) {
        return hex == null ? "?" : hex.substring(0, 16) + "...";
    }
}
