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
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.Source;

/**
 * The launcher of the virtual ESP32 ({@code esp32-firmware/build/virtual-esp32}): writes a
 * factory-fresh flash, powers the board on as a child process, and drives its power supply and EN
 * button through the supervisor's stdin. Its {@code board: ...} status lines go to the journal as
 * {@link BoardEvent}s. Its UART is a pty; talk to it with a {@link DeviceLink} on {@link #ptyLink()}.
 *
 * <p>A board never outlives the workbench: {@link #close()} quits it (then destroys it), and a JVM
 * shutdown hook does the same if the workbench exits without closing. The supervisor's own children
 * (boot stage, app) die with it (PR_SET_PDEATHSIG).
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
    private volatile Process process;
    private Writer commands;
    private Thread shutdownHook;
    private Path ptyLink;
    private volatile String ptyPath;
    private volatile String sntpServer;

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
                    + BUILD_SCRIPT + " (needs cmake, g++, libmbedtls-dev; 'mvn verify' builds it too).");
        }
        return exe;
    }

    /** A packed host app image of the build: {@code v1_base}, {@code v2_promo}, {@code v3_liquid}, {@code v4_broken}. */
    public Path image(String name) {
        Path image = projectRoot.resolve(IMAGES).resolve(name + ".bin");
        if (!Files.isRegularFile(image)) {
            throw new VirtualBoardException("No host app image " + image + ". Build the virtual ESP32 with "
                    + BUILD_SCRIPT + "; it packs v1_base, v2_promo, v3_liquid and v4_broken.");
        }
        return image;
    }

    /**
     * Writes a factory-fresh 4 MB flash: partition table, {@code appImage} in the first app slot,
     * blank otadata, the factory data partition at 0x3EE000 ({@code factoryData} may be null: an
     * unprovisioned board), and a blank eFuse file beside it.
     */
    public void factory(Path flash, Path appImage, FlashLayout layout, Path factoryData) {
        List<String> cmd = new ArrayList<>(List.of(executable().toString(), "factory", "--flash", flash.toString(),
                "--app", appImage.toString(), "--layout", layout.wireName()));
        if (factoryData != null) {
            cmd.add("--factory-data");
            cmd.add(factoryData.toString());
        }
        String output = runToCompletion(cmd, "write the factory flash " + flash);
        journal.append(Source.DEVICE, deviceName, "board.factory", output.strip(),
                Map.of("flash", flash.toString(), "app", appImage.toString(), "layout", layout.wireName(),
                        "provisioned", factoryData != null));
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

    private synchronized Path start(Path flash, Path ptyLink, List<String> extraArgs) {
        if (process != null) {
            throw new IllegalStateException("this virtual board is already started; stop() it first");
        }
        if (!Files.isRegularFile(flash)) {
            throw new VirtualBoardException("No flash file " + flash + ". Write one first: factory(...) or"
                    + " 'virtual-esp32 factory --flash FILE --app IMAGE'.");
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
            if (sntpServer != null) {
                builder.environment().put(ENV_SNTP_SERVER, sntpServer);
            }
            process = builder.start();
        } catch (IOException e) {
            throw new VirtualBoardException("Cannot start " + executable() + ": " + e.getMessage(), e);
        }
        this.ptyLink = ptyLink;
        CompletableFuture<BoardEvent> ready = new CompletableFuture<>();
        commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        shutdownHook = new Thread(this::destroy, "virtual-esp32 shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Thread out = new Thread(() -> readBoardLines(process.getInputStream(), ready), "virtual-esp32 stdout");
        Thread err = new Thread(() -> readStderr(process.getErrorStream()), "virtual-esp32 stderr");
        out.setDaemon(true);
        err.setDaemon(true);
        out.start();
        err.start();
        process.onExit().thenAccept(p -> {
            try {
                err.join(1_000); // its last words explain an early exit: let them be read first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ready.completeExceptionally(new VirtualBoardException("virtual-esp32 exited (code " + p.exitValue()
                    + ") before its pty was ready: " + stderrTail()));
            record("board.exited", "virtual board process exited with code " + p.exitValue(),
                    Map.of("exit_code", p.exitValue()));
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

    /** The pty link given to {@link #start}; open it with {@link DeviceLink#open}. */
    public Path ptyLink() {
        return ptyLink;
    }

    /** The pseudo-terminal the link points at ({@code /dev/pts/3}). */
    public String ptyPath() {
        return ptyPath;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Applies power (reset reason {@code poweron}); the board says {@code already on} if it was. */
    public void powerOn() {
        command("power-on");
    }

    /** Cuts the power now: the running program is killed wherever it is; flash keeps what was written. */
    public void powerCut() {
        command("power-off");
    }

    /** The EN button: cut, then power on with reset reason {@code ext}. */
    public void reset() {
        command("reset");
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

    private synchronized void command(String line) {
        if (process == null || !process.isAlive()) {
            throw new VirtualBoardException("Cannot send '" + line + "': the virtual board is not running"
                    + (process == null ? " (call start first)." : " (it exited with code " + process.exitValue() + ")."));
        }
        try {
            commands.write(line + "\n");
            commands.flush();
        } catch (IOException e) {
            throw new VirtualBoardException("Cannot send '" + line + "' to the virtual board: " + e.getMessage(), e);
        }
        journal.append(Source.DEVICE, deviceName, "board.command", line, Map.of("command", line));
    }

    /** Quits the board (power off, pty removed), then destroys it if it does not exit in time. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            try {
                commands.write("quit\n");
                commands.flush();
            } catch (IOException alreadyGone) {
                // The process is exiting anyway; destroy() below makes sure.
            }
            try {
                process.waitFor(QUIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself, or the JVM is exiting: the hook runs or has run.
        }
        process = null;
    }

    /** Kills the board and anything it started, without asking. Safe to call twice. */
    private void destroy() {
        Process p = process;
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
                record(e.type(), e.message(), e.fields());
                if (e.type().equals("board.ready")) {
                    ready.complete(e);
                } else if (e.type().equals("board.status")) {
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
                record("board.stderr", line, Map.of());
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
    private void record(String type, String message, Map<String, ?> fields) {
        try {
            journal.append(Source.DEVICE, deviceName, type, message, fields);
        } catch (IllegalStateException journalClosed) {
            // The session is over.
        }
    }

    private String stderrTail() {
        synchronized (lastStderr) {
            return lastStderr.isEmpty() ? "(nothing on stderr)" : String.join(" | ", lastStderr);
        }
    }
}
