package org.secureota.workbench.device;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;

/**
 * The launcher of the virtual ESP32 ({@code esp32-firmware/build/virtual-esp32}): writes a
 * factory-fresh flash, powers the board on as a child process, and drives its power supply and EN
 * button through the supervisor's stdin. Its {@code board: ...} status lines go to the journal as
 * {@link BoardEvent}s. Its UART is a pty; talk to it with a {@link DeviceLink} on {@link #ptyLink()}.
 *
 * <p>A board never outlives the workbench: {@link #close()} quits it (then destroys it), and a JVM
 * shutdown hook does the same if the workbench exits without closing. The supervisor's own children
 * (boot stage, app) die with it (PR_SET_PDEATHSIG).
 *
 * <p>Threading: no lock is held while waiting for the board ({@link #start} waits up to 15 s for its
 * pty, {@link #stop} up to 5 s for it to quit, {@link #reset} up to 15 s for it to power on again) or
 * while writing to it. Board listeners
 * ({@link #addBoardListener}) run on the thread that reads the supervisor's stdout and must return
 * at once; the lab session hands them on to its own event thread.
 */
public final class VirtualEsp32 implements AutoCloseable {

    /** Where the board is built, relative to the project root. */
    public static final String EXECUTABLE = "esp32-firmware/build/virtual-esp32";
    public static final String IMAGES = "esp32-firmware/build/images";
    public static final String BUILD_SCRIPT = "esp32-firmware/host-build.sh";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration FACTORY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration QUIT_GRACE = Duration.ofSeconds(5);
    private static final int STDERR_KEPT = 20;

    private final Path projectRoot;
    private final Journal journal;
    private final String deviceName;
    private final Deque<String> lastStderr = new ArrayDeque<>();
    private final LinkedBlockingQueue<BoardEvent> statusReplies = new LinkedBlockingQueue<>();
    private final Object lock = new Object();
    private final Object writeLock = new Object();
    private final List<Consumer<BoardEvent>> boardListeners = new CopyOnWriteArrayList<>();
    private volatile Process process;
    /** Between the start's check and its process existing: a second start must fail, not race. */
    private boolean starting;
    private Writer commands;
    private Thread shutdownHook;
    private volatile Path ptyLink;
    private volatile String ptyPath;
    private volatile String sntpServer;
    private volatile Path tlsKeyLog;
    private volatile String localAddress;
    /**
     * {@link #reset()} counts the resets it wrote and the power-ons with reason {@code ext} the board
     * answered them with (the supervisor handles its commands in order), so it returns only once the
     * board has acted. Guarded by itself.
     */
    private final Object resets = new Object();
    private long resetsSent;
    private long resetsDone;
    private boolean exited;

    /**
     * @param projectRoot the checkout that holds {@code esp32-firmware/build/}
     * @param journal     where board events go
     * @param deviceName  the device id to record board events under
     */
    public VirtualEsp32(Path projectRoot, Journal journal, String deviceName) {
        this.projectRoot = projectRoot.toAbsolutePath().normalize();
        this.journal = journal;
        this.deviceName = deviceName;
    }

    /** A launcher for the project the launcher script runs from ({@code workbench.home}, else the current folder). */
    public static VirtualEsp32 fromWorkbenchHome(Journal journal, String deviceName) {
        return new VirtualEsp32(Path.of(System.getProperty("workbench.home", ".")), journal, deviceName);
    }

    public static Path executable(Path projectRoot) {
        return projectRoot.resolve(EXECUTABLE);
    }

    /** Whether {@code virtual-esp32} has been built under {@code projectRoot}. */
    public static boolean isBuilt(Path projectRoot) {
        return Files.isExecutable(executable(projectRoot));
    }

    public Path executable() {
        Path exe = executable(projectRoot);
        if (!Files.isExecutable(exe)) {
            throw new VirtualBoardException("The virtual ESP32 is not built: " + exe + " is missing. Build it with "
                    + BUILD_SCRIPT + " (needs cmake, g++, libmbedtls-dev, libssl-dev; 'mvn verify' builds it too).");
        }
        return exe;
    }

    /** A packed host app image of the build: {@code v1_base}, {@code v2_promo}, {@code v3_liquid}, {@code v4_broken}, {@code v5_panic}, {@code v6_hang}. */
    public Path image(String name) {
        Path image = projectRoot.resolve(IMAGES).resolve(name + ".bin");
        if (!Files.isRegularFile(image)) {
            throw new VirtualBoardException("No host app image " + image + ". Build the virtual ESP32 with "
                    + BUILD_SCRIPT + "; it packs v1_base, v2_promo, v3_liquid, v4_broken, v5_panic and v6_hang.");
        }
        return image;
    }

    /**
     * A packed host app image of the build in a firmware variant: {@link FirmwareVariant#SECURE} is
     * {@link #image(String)}; a weakened one exists for {@code v1_base} (the factory image) and {@code v3_liquid}.
     */
    public Path image(String name, FirmwareVariant variant) {
        if (variant == FirmwareVariant.SECURE) {
            return image(name);
        }
        Path image = projectRoot.resolve(IMAGES).resolve(variant.imagePath(name));
        if (!Files.isRegularFile(image)) {
            throw new VirtualBoardException("No " + variant.wireName() + " build of " + name + " (" + image
                    + "). Weakened variants exist for v1_base and v3_liquid only; build them with "
                    + BUILD_SCRIPT + ".");
        }
        return image;
    }

    /**
     * Writes a factory-fresh 4 MB flash: partition table, {@code appImage} in the first app slot,
     * blank otadata, the factory data partition at 0x3EE000 ({@code factoryData} may be null: an
     * unprovisioned board), and a blank eFuse file beside it.
     */
    public void factory(Path flash, Path appImage, FlashLayout layout, Path factoryData) {
        factory(flash, appImage, layout, factoryData, FirmwareVariant.SECURE);
    }

    /** Like {@link #factory(Path, Path, FlashLayout, Path)}, journaling the firmware's variant (loudly when weakened). */
    public void factory(Path flash, Path appImage, FlashLayout layout, Path factoryData, FirmwareVariant variant) {
        List<String> cmd = new ArrayList<>(List.of(executable().toString(), "factory", "--flash", flash.toString(),
                "--app", appImage.toString(), "--layout", layout.wireName()));
        if (factoryData != null) {
            cmd.add("--factory-data");
            cmd.add(factoryData.toString());
        }
        String output = runToCompletion(cmd, "write the factory flash " + flash);
        String text = variant.weakened() ? "WEAKENED FIRMWARE " + variant.wireName() + " (lab only, lacks "
                + variant.missingEn() + "). " + output.strip() : output.strip();
        journal.append(EventType.BOARD_FACTORY, deviceName, text,
                Map.of("flash", flash.toString(), "app", appImage.toString(), "layout", layout.wireName(),
                        "provisioned", factoryData != null, "variant", variant.wireName(), "missing", variant.missingEn()));
    }

    /** Runs {@code virtual-esp32 inspect --flash FILE} and returns what it prints. */
    public String inspect(Path flash) {
        return runToCompletion(List.of(executable().toString(), "inspect", "--flash", flash.toString()),
                "inspect the flash " + flash);
    }

    private String runToCompletion(List<String> cmd, String what) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            if (!p.waitFor(FACTORY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new VirtualBoardException("virtual-esp32 did not " + what + " within "
                        + FACTORY_TIMEOUT.toSeconds() + " s; it was stopped.");
            }
            String text = out.get(5, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                throw new VirtualBoardException("virtual-esp32 could not " + what + " (exit " + p.exitValue() + "): "
                        + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new VirtualBoardException("Cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtualBoardException("Interrupted while waiting for virtual-esp32 to " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new VirtualBoardException("Cannot read the output of virtual-esp32: " + e.getMessage(), e);
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Powers the board on from {@code flash} ({@code virtual-esp32 run}) and returns once its pty
     * exists; {@code ptyLink} then points at it (a symlink, replaced if stale).
     */
    public Path start(Path flash, Path ptyLink) {
        return start(flash, ptyLink, List.of());
    }

    /**
     * Like {@link #start(Path, Path)}, with a power cut armed before the first boot: flash operations
     * 1..{@code failAfter} complete and the next one is cut, so even the bootloader's first otadata
     * write can be interrupted.
     */
    public Path start(Path flash, Path ptyLink, long failAfter, CutPoint cut) {
        if (failAfter < 0) {
            throw new IllegalArgumentException("fail-after needs a count of 0 or more, not " + failAfter);
        }
        return start(flash, ptyLink, List.of("--fail-after", Long.toString(failAfter), "--cut", cut.wireName()));
    }

    private Path start(Path flash, Path ptyLink, List<String> extraArgs) {
        if (!Files.isRegularFile(flash)) {
            throw new VirtualBoardException("No flash file " + flash + ". Write one first: factory(...) or"
                    + " 'virtual-esp32 factory --flash FILE --app IMAGE'.");
        }
        CompletableFuture<BoardEvent> ready = new CompletableFuture<>();
        Process started;
        // The lock covers the check and the bookkeeping; the process start and the wait for its pty
        // happen outside it, so a status query or a stop from another thread is never held up.
        synchronized (lock) {
            if (process != null || starting) {
                throw new IllegalStateException("this virtual board is already started; stop() it first");
            }
            starting = true;
        }
        try {
            Files.createDirectories(ptyLink.toAbsolutePath().getParent());
            List<String> cmd = new ArrayList<>(List.of(executable().toString(), "run", "--flash", flash.toString(),
                    "--pty-link", ptyLink.toString(),
                    // The board holds our end of its stdin: if this JVM dies, even by SIGKILL, the
                    // pipe closes and the board stops instead of running on as an orphan.
                    "--on-stdin-eof", "quit"));
            cmd.addAll(extraArgs);
            ProcessBuilder builder = new ProcessBuilder(cmd);
            // The supervisor's environment reaches the boot stage and the app (fork, then fexecve with environ).
            builder.environment().remove(ENV_SNTP_SERVER);
            builder.environment().remove(ENV_TLS_KEYLOG);
            if (tlsKeyLog != null) {
                Files.createDirectories(tlsKeyLog.toAbsolutePath().getParent());
                builder.environment().put(ENV_TLS_KEYLOG, tlsKeyLog.toAbsolutePath().toString());
            }
            if (sntpServer != null) {
                builder.environment().put(ENV_SNTP_SERVER, sntpServer);
            }
            builder.environment().remove(ENV_LOCAL_ADDRESS);
            if (localAddress != null) {
                builder.environment().put(ENV_LOCAL_ADDRESS, localAddress);
            }
            started = builder.start();
        } catch (IOException | RuntimeException e) {
            synchronized (lock) {
                starting = false;
            }
            if (e instanceof VirtualBoardException v) {
                throw v;
            }
            throw new VirtualBoardException("Cannot start " + executable(projectRoot) + ": " + e.getMessage(), e);
        }
        Thread hook = new Thread(() -> destroy(started), "virtual-esp32 shutdown");
        synchronized (lock) {
            this.ptyLink = ptyLink;
            commands = new OutputStreamWriter(started.getOutputStream(), StandardCharsets.UTF_8);
            shutdownHook = hook;
            process = started;
            starting = false;
        }
        synchronized (resets) {
            resetsSent = 0;
            resetsDone = 0;
            exited = false;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        journal.tryAppend(EventType.BOARD_STARTED, deviceName, "virtual board process " + started.pid() + " started on "
                + flash, Map.of("pid", started.pid(), "flash", flash.toString()));
        Thread out = new Thread(() -> readBoardLines(started.getInputStream(), ready), "virtual-esp32 stdout");
        Thread err = new Thread(() -> readStderr(started.getErrorStream()), "virtual-esp32 stderr");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
        started.onExit().thenAccept(p -> {
            try {
                err.join(1_000); // its last words explain an early exit: let them be read first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ready.completeExceptionally(new VirtualBoardException("virtual-esp32 exited (code " + p.exitValue()
                    + ") before its pty was ready: " + stderrTail()));
            BoardEvent exited = new BoardEvent(EventType.BOARD_EXITED, "virtual board process exited with code "
                    + p.exitValue(), Map.of("exit_code", p.exitValue()));
            record(exited);
            synchronized (resets) {
                if (process == null || process == started) { // not a later start's board
                    this.exited = true;
                    resets.notifyAll();
                }
            }
        });
        try {
            BoardEvent r = ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            ptyPath = (String) r.fields().get("pty");
            return ptyLink;
        } catch (ExecutionException e) {
            stop();
            throw e.getCause() instanceof VirtualBoardException v ? v
                    : new VirtualBoardException("virtual-esp32 failed to start: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            stop();
            throw new VirtualBoardException("virtual-esp32 did not report 'board: ready' within "
                    + READY_TIMEOUT.toSeconds() + " s; it was stopped. " + stderrTail());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new VirtualBoardException("Interrupted while starting virtual-esp32", e);
        }
    }

    /** The board's environment variable naming its TLS key log file, read by the firmware's host port. */
    public static final String ENV_TLS_KEYLOG = "VESP32_TLS_KEYLOG";

    /**
     * Where the board's firmware appends each TLS session's secrets (NSS key log, created 0600), so a
     * capture of the session decrypts; null: no key export (the default). Applies from the next {@link #start}.
     */
    public VirtualEsp32 tlsKeyLog(Path file) {
        this.tlsKeyLog = file;
        return this;
    }

    /** The board's environment variable naming its time source ({@code host:port}), read by the firmware's host port. */
    public static final String ENV_SNTP_SERVER = "VESP32_SNTP_SERVER";

    /**
     * The SNTP server the board's firmware asks for the time before it trusts a certificate or a
     * manifest expiry ({@code 127.0.0.1:12345}, e.g. {@code network.LabTimeServer#hostPort()}); null:
     * the firmware trusts the host clock (development only). Applies from the next {@link #start}.
     */
    public VirtualEsp32 sntpServer(String hostPort) {
        if (hostPort != null && !hostPort.matches("[^:\\s]+:[0-9]{1,5}")) {
            throw new IllegalArgumentException("an SNTP server is host:port, e.g. 127.0.0.1:12345, not '" + hostPort + "'");
        }
        this.sntpServer = hostPort;
        return this;
    }

    /** The board's environment variable naming the IPv4 address its sockets bind to, read by the firmware's host port. */
    public static final String ENV_LOCAL_ADDRESS = "VESP32_LOCAL_ADDRESS";

    /**
     * The loopback address the board's sockets connect from (e.g. 127.0.1.3), so the lab tells boards
     * apart by address as a Wi-Fi network does; null: the system's choice (127.0.0.1). From the next {@link #start}.
     */
    public VirtualEsp32 localAddress(String ipv4) {
        if (ipv4 != null && !ipv4.matches("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}")) {
            throw new IllegalArgumentException("a board's local address is a loopback IPv4 address such as 127.0.1.1,"
                    + " not '" + ipv4 + "'");
        }
        this.localAddress = ipv4;
        return this;
    }

    /** The pty link given to {@link #start}; open it with {@link DeviceLink#open}. */
    public Path ptyLink() {
        return ptyLink;
    }

    /** The pseudo-terminal the link points at ({@code /dev/pts/3}). */
    public String ptyPath() {
        return ptyPath;
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The supervisor's process id while it runs, else empty. */
    public java.util.Optional<Long> pid() {
        Process p = process;
        return p == null ? java.util.Optional.empty() : java.util.Optional.of(p.pid());
    }

    /**
     * Told every supervisor status line (and {@code board.exited}) after it was journaled, on the
     * stdout reader thread: return at once.
     */
    public void addBoardListener(Consumer<BoardEvent> listener) {
        boardListeners.add(listener);
    }

    public void removeBoardListener(Consumer<BoardEvent> listener) {
        boardListeners.remove(listener);
    }

    /** Applies power (reset reason {@code poweron}); the board says {@code already on} if it was. */
    public void powerOn() {
        command("power-on");
    }

    /** Cuts the power now: the running program is killed wherever it is; flash keeps what was written. */
    public void powerCut() {
        command("power-off");
    }

    /**
     * The EN button: cut, then power on with reset reason {@code ext}. Returns once the board says it
     * powered on again (the old app is dead by then), not when the command is written: the supervisor
     * may act on it later (a loaded machine), and a command sent to the device meanwhile would go to the
     * app the reset is about to kill and be lost with it. Blocks up to 15 s; never call it on the FX thread.
     */
    public void reset() {
        long ticket;
        synchronized (writeLock) {
            command("reset");
            synchronized (resets) {
                ticket = ++resetsSent;
            }
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        synchronized (resets) {
            while (resetsDone < ticket) {
                long left = deadline - System.nanoTime();
                if (exited) {
                    throw new VirtualBoardException("virtual-esp32 exited before it powered on again after 'reset': "
                            + stderrTail());
                }
                if (left <= 0) {
                    // Counted as answered, so that a reset the board never answered (it could not start
                    // its boot stage) does not hold up every later one.
                    resetsDone = Math.max(resetsDone, ticket);
                    throw new VirtualBoardException("virtual-esp32 did not power on again within "
                            + READY_TIMEOUT.toSeconds() + " s of 'reset' (is the machine overloaded?). " + stderrTail());
                }
                try {
                    resets.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new VirtualBoardException("Interrupted while waiting for the board to power on after 'reset'", e);
                }
            }
        }
    }

    /**
     * Arms a power cut: flash operations 1..{@code n} complete, operation n+1 is cut at {@code point}
     * and the board stays off until {@link #powerOn()}. Resets the operation count.
     */
    public void failAfter(long n, CutPoint point) {
        if (n < 0) {
            throw new IllegalArgumentException("fail-after needs a count of 0 or more, not " + n);
        }
        command("fail-after " + n + " " + point.wireName());
    }

    public void disarm() {
        command("disarm");
    }

    /** Sets the flash operation count to 0, to count the operations of one update. */
    public void countReset() {
        command("count-reset");
    }

    /** Asks the supervisor for its status and waits for the answer. */
    public BoardStatus status() {
        statusReplies.clear();
        command("status");
        try {
            BoardEvent e = statusReplies.poll(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (e == null) {
                throw new VirtualBoardException("virtual-esp32 did not answer 'status' within "
                        + READY_TIMEOUT.toSeconds() + " s");
            }
            return BoardStatus.of(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirtualBoardException("Interrupted while waiting for the board's status", e);
        }
    }

    private void command(String line) {
        Process p;
        Writer w;
        synchronized (lock) {
            p = process;
            w = commands;
        }
        if (p == null || !p.isAlive()) {
            throw new VirtualBoardException("Cannot send '" + line + "': the virtual board is not running"
                    + (p == null ? " (call start first)." : " (it exited with code " + p.exitValue() + ")."));
        }
        synchronized (writeLock) {
            try {
                w.write(line + "\n");
                w.flush();
            } catch (IOException e) {
                throw new VirtualBoardException("Cannot send '" + line + "' to the virtual board: " + e.getMessage(), e);
            }
            journal.tryAppend(EventType.BOARD_COMMAND, deviceName, line, Map.of("command", line));
        }
    }

    /** Quits the board (power off, pty removed), then destroys it if it does not exit in time. */
    public void stop() {
        Process p;
        Writer w;
        Thread hook;
        synchronized (lock) {
            p = process;
            w = commands;
            hook = shutdownHook;
            if (p == null) {
                return;
            }
            process = null;
            commands = null;
            shutdownHook = null;
        }
        if (p.isAlive()) {
            synchronized (writeLock) {
                try {
                    w.write("quit\n");
                    w.flush();
                } catch (IOException alreadyGone) {
                    // The process is exiting anyway; destroy() below makes sure.
                }
            }
            try {
                p.waitFor(QUIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        destroy(p);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself, or the JVM is exiting: the hook runs or has run.
        }
    }

    /** Kills the board and anything it started, without asking. Safe to call twice. */
    private static void destroy(Process p) {
        if (p == null) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroy();
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void readBoardLines(InputStream stdout, CompletableFuture<BoardEvent> ready) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.startsWith(BoardEvent.PREFIX)) {
                    continue; // the protocol is "board: ..."; anything else is not for us
                }
                BoardEvent e = BoardEvent.parse(line);
                if (e.eventType() == EventType.BOARD_READY) {
                    ptyPath = (String) e.fields().get("pty");
                }
                record(e);
                if (e.eventType() == EventType.BOARD_POWER_ON && "ext".equals(e.fields().get("reason"))) {
                    synchronized (resets) {
                        resetsDone++;
                        resets.notifyAll();
                    }
                }
                if (e.eventType() == EventType.BOARD_READY) {
                    ready.complete(e);
                } else if (e.eventType() == EventType.BOARD_STATUS) {
                    statusReplies.offer(e);
                }
            }
        } catch (IOException streamClosed) {
            // The board exited; onExit journals it.
        }
    }

    private void readStderr(InputStream stderr) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (lastStderr) {
                    lastStderr.addLast(line);
                    if (lastStderr.size() > STDERR_KEPT) {
                        lastStderr.removeFirst();
                    }
                }
                // The board reports its own failures here (flash violations, bad files): worth a record.
                journal.tryAppend(EventType.BOARD_STDERR, deviceName, line, Map.of());
            }
        } catch (IOException streamClosed) {
            // The board exited.
        }
    }

    /**
     * Journals from the board's own threads. The board's last words (its exit, a final line) can
     * come after the session's journal was closed; they are dropped then, not thrown on a thread
     * nobody watches.
     */
    private void record(BoardEvent e) {
        journal.tryAppend(e.eventType(), deviceName, e.message(), e.fields());
        for (Consumer<BoardEvent> l : boardListeners) {
            try {
                l.accept(e);
            } catch (RuntimeException failed) {
                journal.tryAppend(EventType.DEVICE_LINK_ERROR, deviceName, "a board listener failed on '" + e.message()
                        + "': " + failed, Map.of("line", e.message(), "error", String.valueOf(failed)));
            }
        }
    }

    private String stderrTail() {
        synchronized (lastStderr) {
            return lastStderr.isEmpty() ? "(nothing on stderr)" : String.join(" | ", lastStderr);
        }
    }
}
