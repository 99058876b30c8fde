package org.secureota.workbench.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.secureota.workbench.journal.JournalSubscription;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.LabBoards;
import org.secureota.workbench.session.LabSessionException;
import org.secureota.workbench.session.LanServer;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.session.VirtualDeviceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./workbench lab}: a whole lab session headless, driven from stdin, until {@code quit} or Ctrl-C. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Run a whole lab session headless: the OTA server, the lab time source and N virtual boards,"
                + " factory-fresh with V1, until 'quit' or Ctrl-C.",
            "Prints each device's telemetry and the lab's notable events. Type 'help' for the commands"
                    + " (check ID|all, deploy VERSION, power-cut ID [at N], reset ID, status, quit).",
            "Records one session in the lab's sessions/<start>/ (journal.jsonl, and ID/serial.log per device)."})
final class LabCommand implements Runnable {

    static final String DEVICE_ID_FORMAT = "esp32-lab-%02d";

    @Spec
    private CommandSpec spec;

    @Option(names = "--devices", paramLabel = "N", defaultValue = "1",
            description = "Virtual boards to run, esp32-lab-01 to esp32-lab-N (default: ${DEFAULT-VALUE}; at most 40).")
    private int count;

    @Option(names = "--product", paramLabel = "NAME", defaultValue = LabSessionDefaults.PRODUCT,
            description = "The boards' product (default: ${DEFAULT-VALUE}, the product of the build's images).")
    private String product;

    @Option(names = "--deploy", paramLabel = "VERSION",
            description = "Deploy this published version to the product before the boards start (e.g. 2.0.0).")
    private String deploy;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "The OTA server's TCP port (default: any free one).")
    private int port;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop after this many seconds (default: run until 'quit' or Ctrl-C).")
    private Long seconds;

    @Option(names = "--capture", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Record every device connection and the virtual boards' TLS key logs in the session folder,"
                    + " for 'export SESSION --pcapng FILE' (default: on; --no-capture to turn it off).")
    private boolean capture;

    @Option(names = "--variant", paramLabel = "ID=VARIANT",
            description = "Build this board with a weakened firmware variant, for the lab only (repeatable):"
                    + " e.g. esp32-lab-02=naive. Variants: secure (every board's default), no-pinning, no-signature,"
                    + " no-hash, no-size-check, no-anti-replay, no-anti-downgrade, no-time-floor, no-rollback, naive.")
    private java.util.Map<String, String> variants = new java.util.LinkedHashMap<>();

    @Option(names = "--commands", paramLabel = "FILE",
            description = "Read the console's commands from FILE instead of stdin, one per line (a scripted demo);"
                    + " at its end the lab runs on until 'quit', Ctrl-C or --duration.")
    private Path commands;

    /** {@code --variant} values checked: each id one of the boards, each variant known. */
    static java.util.Map<String, FirmwareVariant> variants(java.util.Map<String, String> given, int count) {
        java.util.Map<String, FirmwareVariant> out = new java.util.LinkedHashMap<>();
        given.forEach((id, name) -> {
            boolean known = false;
            for (int i = 1; i <= count; i++) {
                known |= String.format(DEVICE_ID_FORMAT, i).equals(id);
            }
            if (!known) {
                throw new UsageException("--variant " + id + "=" + name + ": there is no board " + id + "; with --devices "
                        + count + " the boards are " + (count == 0 ? "none" : String.format(DEVICE_ID_FORMAT, 1)
                        + (count > 1 ? " to " + String.format(DEVICE_ID_FORMAT, count) : "")) + ".");
            }
            try {
                out.put(id, FirmwareVariant.fromWireName(name));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--variant " + id + "=" + name + ": " + e.getMessage() + ".");
            }
        });
        return out;
    }

    @Override
    public void run() {
        if (count < 0 || count > LabSession.MAX_DEVICES) {
            throw new UsageException("--devices must be 0 to " + LabSession.MAX_DEVICES + ", not " + count + ".");
        }
        if (seconds != null && seconds <= 0) {
            throw new UsageException("--duration must be a positive number of seconds, not " + seconds + ".");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (commands != null && !Files.isRegularFile(commands)) {
            throw new UsageException("No commands file " + commands + ": give a text file with one console command"
                    + " per line, or leave --commands out to type them.");
        }
        java.util.Map<String, FirmwareVariant> variantOf = variants(variants, count);
        boolean defaultProduct = product.equals(LabSessionDefaults.PRODUCT);
        org.secureota.workbench.foundation.LabFolder lab = WorkbenchCli.labOf(spec);
        // Real boards from 'board add' reach the server on the LAN, at the port their factory data names.
        java.util.Map<String, LabBoards.Board> boards = readBoards(lab);
        SessionSetup options = SessionSetup.defaults(lab).withPublishBuiltReleases(defaultProduct)
                .withCapture(capture).withServerPort(port);
        boards.values().forEach(b -> {
            if (LanServer.coverHost(lab, b.url())) {
                out.println(LanServer.reissuedNote(b.url()));
            }
        });
        options = LabBoards.serving(options, port);
        LabSession session = SessionRunner.open(options);
        SessionRunner runner = new SessionRunner(session, out);
        runner.run(seconds, () -> {
            // In the order things happened: a device's lines reach the journal after the server events they caused.
            ConsoleOrder ordered = ConsoleOrder.started((e, at) -> JournalPrinter.print(out, e, true, at), line -> {
                synchronized (out) {
                    out.println(line);
                    out.flush();
                }
            }, ConsoleOrder.WINDOW);
            PrintWriter say = ordered.writer();
            JournalSubscription printer = session.journal().subscribe("lab console", true, ordered::offer);
            runner.onClose(() -> {
                printer.close();
                ordered.close();
            });
            say.println("Lab session in " + session.folder() + "; OTA server " + session.server().baseUri()
                    + "; time source " + session.timeSource().hostPort());
            if (!boards.isEmpty()) {
                say.println("Real boards on the LAN use " + boards.values().iterator().next().url()
                        + " (the server listens on every address; its certificate covers that host).");
            }
            if (!defaultProduct) {
                // The build's images are published under the boards' product, or --deploy finds nothing.
                LabSession.join(session.publishBuiltReleases(product));
            }
            if (deploy != null) {
                LabSession.join(session.deploy(product, deploy));
            }
            List<CompletableFuture<LabDevice>> made = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                String id = String.format(DEVICE_ID_FORMAT, i);
                made.add(session.createVirtualDevice(id, product, VirtualDeviceOptions.factoryFreshV1()
                        .withVariant(variantOf.getOrDefault(id, FirmwareVariant.SECURE))));
            }
            for (CompletableFuture<LabDevice> f : made) {
                LabDevice d = LabSession.join(f);
                say.println("Device " + d.id() + ": serial port " + d.board().ptyPath() + ", transcript " + d.transcript()
                        + (d.variant().weakened() ? "; WEAKENED: " + d.variant().label() : ""));
            }
            boards.forEach((id, b) -> attach(session, say, id, b));
            LabConsole console = new LabConsole(session, say);
            AttackConsoleCommands.registerInto(console);
            ConsoleWait.registerInto(console);
            say.println("Type 'help' for the commands, 'quit' to stop.");
            say.flush();
            Thread reader = new Thread(() -> readCommands(console, runner, commands), "lab console input");
            reader.setDaemon(true);
            reader.start();
        });
    }

    private static java.util.Map<String, LabBoards.Board> readBoards(org.secureota.workbench.foundation.LabFolder lab) {
        try {
            return LabBoards.read(lab);
        } catch (LabSessionException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** Attaches a board from 'board add' by its port; a board not plugged in is named, not fatal. */
    private static void attach(LabSession session, PrintWriter out, String id, LabBoards.Board b) {
        try {
            LabDevice d = LabSession.join(session.attachBoard(b.port()));
            out.println("Board " + id + ": attached on " + b.port() + " (it uses " + b.url() + "), transcript "
                    + d.transcript().getParent());
        } catch (LabSessionException | org.secureota.workbench.device.DeviceLinkException e) {
            out.println("Board " + id + ": not attached (" + e.getMessage() + "). Plug it in and start the lab again.");
        }
    }

    /** Reads commands until {@code quit}; at end of input the lab keeps running until Ctrl-C or the duration. */
    private static void readCommands(LabConsole console, SessionRunner runner, Path file) {
        try (BufferedReader in = file != null ? Files.newBufferedReader(file, StandardCharsets.UTF_8)
                : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                console.dispatch(line);
                if (console.quitRequested()) {
                    runner.stop();
                    return;
                }
            }
        } catch (IOException e) {
            console.println("warning: stdin closed (" + e.getMessage() + "); the lab runs until Ctrl-C");
        }
    }

    /** Opens a session for a command, turning a failure into a clear usage error. */
    static final class SessionRunner {
        private final LabSession session;
        private final PrintWriter out;
        private final CountDownLatch stop = new CountDownLatch(1);
        private final List<Runnable> closers = new ArrayList<>();

        SessionRunner(LabSession session, PrintWriter out) {
            this.session = session;
            this.out = out;
        }

        static LabSession open(SessionSetup options) {
            try {
                return LabSession.openAndWait(options);
            } catch (LabSessionException e) {
                throw new UsageException(e.getMessage(), e);
            }
        }

        void onClose(Runnable r) {
            closers.add(r);
        }

        void stop() {
            stop.countDown();
        }

        /** Runs {@code setup}, then waits for {@link #stop()}, Ctrl-C or {@code seconds}, and closes the session. */
        void run(Long seconds, Runnable setup) {
            CountDownLatch stopped = new CountDownLatch(1);
            // Ctrl-C runs the shutdown hooks; this one closes the session (boards, server, journal) before the JVM goes.
            Thread hook = new Thread(() -> {
                stop.countDown();
                try {
                    stopped.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    // The JVM is going anyway.
                }
            }, "lab session shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                try {
                    setup.run();
                } catch (LabSessionException e) {
                    throw new UsageException(e.getMessage(), e);
                }
                if (seconds == null) {
                    stop.await();
                } else {
                    stop.await(seconds, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                // Closing stops Jetty, which fails on an interrupted thread: close first, then keep the interrupt.
                boolean interrupted = Thread.interrupted();
                session.close();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                closers.forEach(Runnable::run);
                out.println("Session recorded in " + session.folder());
                out.flush();
                stopped.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running and now returns.
                }
            }
        }
    }
}
