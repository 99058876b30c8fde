package org.secureota.workbench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.secureota.workbench.device.Device;
import org.secureota.workbench.device.DeviceLink;
import org.secureota.workbench.device.FactoryData;
import org.secureota.workbench.device.FlashLayout;
import org.secureota.workbench.device.SerialPortInfo;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.JournalSubscription;
import org.secureota.workbench.journal.SessionLog;
import org.secureota.workbench.foundation.DeviceId;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PkiFile;
import org.secureota.workbench.server.ApiKeyRegistry;
import org.secureota.workbench.server.ServerState;
import org.secureota.workbench.session.FactoryDataFile;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionException;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.session.LinkOwners;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./workbench device ...}: provision, run and watch devices, real or virtual. */
@Command(name = "device", mixinStandardHelpOptions = true,
        description = "Provision devices, run the virtual ESP32, and watch any board's telemetry.",
        subcommands = {DeviceCommand.FactoryImage.class, DeviceCommand.Virtual.class, DeviceCommand.Monitor.class,
            DeviceCommand.ListPorts.class})
final class DeviceCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw WorkbenchCli.missingSubcommand(spec);
    }

    @Command(name = "factory-image", mixinStandardHelpOptions = true,
            description = {"Build a device's factory data partition (docs/factory-data.md): its id, product, server URL"
                    + " and API key, the lab CA and the manifest-signing public key.",
                "The file holds the API key: it is written with mode 0600 and the key is never printed."})
    static final class FactoryImage implements Runnable {
        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The device id, e.g. esp32-lab-01 (letters, digits, . _ -).")
        private String deviceId;

        @Option(names = "--product", required = true, paramLabel = "NAME",
                description = "The product the device runs; manifests must name the same (shop-display).")
        private String product;

        @Option(names = "--server-url", required = true, paramLabel = "URL",
                description = "Base URL of the OTA server as the device reaches it, e.g. https://192.168.1.20:8443.")
        private String serverUrl;

        @Option(names = "--api-key-file", required = true, paramLabel = "FILE",
                description = "File holding the device's API key (from 'server add-device'); '-' reads it from stdin."
                        + " A file or stdin keeps the key out of the shell history.")
        private String apiKeyFile;

        @Option(names = "--out", paramLabel = "FILE",
                description = "Where to write the partition image (default: the lab's devices/ID/factory.bin).")
        private Path out;

        @Option(names = "--lcd-lang", paramLabel = "LANG",
                description = "Language of the device's LCD texts: fr or en (default: none written, so French).")
        private String lcdLanguage;

        @Override
        public void run() {
            String problem = DeviceId.problem(deviceId);
            if (problem != null) {
                throw new UsageException(problem);
            }
            org.secureota.workbench.device.LcdLanguage lcd;
            try {
                lcd = lcdLanguage == null ? null : org.secureota.workbench.device.LcdLanguage.of(lcdLanguage);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--lcd-lang " + lcdLanguage + ": the LCD speaks fr or en");
            }
            LabFolder lab = WorkbenchCli.labOf(spec);
            String apiKey = readApiKey();
            requireRegistered(lab, deviceId, product, apiKey);
            Path target = (out != null ? out : lab.devices().resolve(deviceId).resolve("factory.bin"))
                    .toAbsolutePath().normalize();
            PrintWriter w = spec.commandLine().getOut();
            write(lab, deviceId, product, serverUrl, apiKey, target, lcd, w);
            w.println();
            printFlashCommands(w, target, null);
            w.println("For the virtual ESP32: " + LabHints.workbench(lab) + " device virtual --factory-data "
                    + LabHints.path(target));
        }

        /**
         * Builds and writes a device's factory data partition (mode 0600) and says what it holds; the
         * key is never printed. For {@code factory-image} and {@code board add}.
         */
        static FactoryData write(LabFolder lab, String deviceId, String product, String serverUrl, String apiKey, Path target,
                                 PrintWriter w) {
            return write(lab, deviceId, product, serverUrl, apiKey, target, null, w);
        }

        /** The same, with the LCD's language ({@code lcd_lang}; null: none written, French). */
        static FactoryData write(LabFolder lab, String deviceId, String product, String serverUrl, String apiKey, Path target,
                                 org.secureota.workbench.device.LcdLanguage lcdLanguage, PrintWriter w) {
            FactoryDataFile written;
            try {
                written = FactoryDataFile.write(lab, deviceId, product, serverUrl, apiKey, target, lcdLanguage);
            } catch (LabSessionException e) {
                throw new UsageException(e.getMessage(), e);
            }
            describe(written, lab, w);
            return written.data();
        }

        /** Says what a written factory data file holds; the key is never printed. */
        static void describe(FactoryDataFile written, LabFolder lab, PrintWriter w) {
            FactoryData data = written.data();
            LabPki pki = new LabPki(lab.certs());
            w.println("Wrote the factory data partition of " + data.deviceId() + " to " + written.file());
            w.println("  (" + FactoryData.PARTITION_SIZE + " bytes, mode 0600: it holds the device's API key)");
            w.println("  device_id    " + data.deviceId());
            w.println("  product      " + data.product());
            w.println("  server_url   " + data.serverUrl());
            w.println("  lcd_lang     " + (data.lcdLanguage() == null ? "(none: French)" : data.lcdLanguage().code()));
            w.println("  api_key      (hidden)");
            w.println("  trusts       " + pki.path(PkiFile.CA_CERT) + " and " + pki.path(PkiFile.SIGNING_PUB));
            w.println("  decrypts     " + (written.decryptionKey() != null ? "releases encrypted for "
                    + written.decryptionKey() + " (its private key is in this file)" : "nothing: " + data.product()
                    + " has no decryption key, so this device installs plaintext releases only"));
        }

        /** The esptool.py and PlatformIO commands that flash the partition ({@code port} null: esptool finds it). */
        static void printFlashCommands(PrintWriter w, Path target, String port) {
            List<String> commands = FactoryDataFile.flashCommands(target, port);
            w.println("Flash it once per board at offset " + FactoryDataFile.offset()
                    + " (the factory_data partition of both layouts):");
            w.println("  " + commands.get(0));
            w.println("  or with PlatformIO: " + commands.get(1));
            w.println("The board must run a firmware built with esp32-firmware/partitions_default_factory.csv or"
                    + " partitions_two_ota_factory.csv.");
        }

        /**
         * A factory image for a device the server does not know, or with a key it would refuse, makes a
         * board that fails every check with UNAUTHORIZED: refuse it here, where the cause is plain.
         */
        private static void requireRegistered(LabFolder lab, String deviceId, String product, String apiKey) {
            ApiKeyRegistry keys = ServerState.of(lab).apiKeys();
            ApiKeyRegistry.Check check = keys.check(deviceId, apiKey);
            switch (check.outcome()) {
                case ACCEPTED -> {
                    String registered = check.device().orElseThrow().product();
                    if (!registered.equals(product)) {
                        throw new UsageException("Device '" + deviceId + "' is registered for product '" + registered
                                + "', not '" + product + "': give --product " + registered + ", or register it again.");
                    }
                }
                case UNKNOWN_DEVICE -> throw new UsageException("Device '" + deviceId + "' is not registered on this"
                        + " lab's server (" + keys.file() + "), so the server would refuse it. Run '"
                        + LabHints.workbench(lab) + " server add-device " + deviceId + " --product " + product
                        + "' first and save the key it prints.");
                default -> throw new UsageException("The API key given is not the key of device '" + deviceId
                        + "' on this lab's server, which would refuse it. Give the key that 'server add-device' printed,"
                        + " or issue a new one with '" + LabHints.workbench(lab) + " server add-device " + deviceId
                        + " --product " + product + " --rotate-key'.");
            }
        }

        private String readApiKey() {
            String key;
            try {
                if (apiKeyFile.equals("-")) {
                    key = readFirstLine(System.in);
                } else {
                    Path file = Path.of(apiKeyFile);
                    if (!Files.isRegularFile(file)) {
                        throw new UsageException("No API key file '" + apiKeyFile + "'. Save the key that"
                                + " 'server add-device' printed into a file, or pass '--api-key-file -' and paste it.");
                    }
                    key = readFirstLine(Files.newInputStream(file));
                }
            } catch (IOException e) {
                throw new UsageException("Cannot read the API key from " + apiKeyFile + ": " + e.getMessage(), e);
            }
            if (key.isEmpty()) {
                throw new UsageException("The API key from " + (apiKeyFile.equals("-") ? "stdin" : apiKeyFile)
                        + " is empty; it must hold the key that 'server add-device' printed.");
            }
            return key;
        }

        /** The key is the first line; a trailing newline or spaces from an editor are not part of it. */
        private static String readFirstLine(InputStream in) throws IOException {
            try (in) {
                byte[] bytes = in.readNBytes(4096);
                String text = new String(bytes, StandardCharsets.UTF_8);
                int nl = text.indexOf('\n');
                return (nl >= 0 ? text.substring(0, nl) : text).strip();
            }
        }

    }

    @Command(name = "virtual", mixinStandardHelpOptions = true,
            description = {"Run the virtual ESP32 (the real firmware built for this PC) and show its telemetry until Ctrl-C.",
                "Writes a factory-fresh flash first if the flash file does not exist. Records a session in the lab's"
                        + " sessions/."})
    static final class Virtual implements Runnable {
        @Spec
        private CommandSpec spec;

        @Option(names = "--flash", paramLabel = "FILE",
                description = "The board's 4 MB flash file (default: the lab's devices/virtual/flash.bin).")
        private Path flash;

        @Option(names = "--app", paramLabel = "IMAGE",
                description = "App image for a factory-fresh flash (default: esp32-firmware/build/images/v1_base.bin).")
        private Path app;

        @Option(names = "--pty-link", paramLabel = "PATH",
                description = "Symlink to the board's serial port (default: the lab's devices/virtual/tty).")
        private Path ptyLink;

        @Option(names = "--factory-data", paramLabel = "FILE",
                description = "Factory data for a factory-fresh flash ('device factory-image'); without it the board"
                        + " is unprovisioned and refuses updates.")
        private Path factoryData;

        @Option(names = "--layout", paramLabel = "LAYOUT", defaultValue = "default",
                description = "Flash layout of a factory-fresh flash: default (Arduino, app0/app1) or two_ota"
                        + " (also spelled two-ota; ESP-IDF, factory/ota_0/ota_1). Default: ${DEFAULT-VALUE}.")
        private String layoutName;

        @Option(names = "--fresh",
                description = "Replace an existing flash file with a factory-fresh one (needed for --app or"
                        + " --factory-data when the flash file exists; everything on it is lost).")
        private boolean refresh;

        @Option(names = "--duration", paramLabel = "SECONDS",
                description = "Stop after this many seconds (default: run until Ctrl-C).")
        private Long seconds;

        @Override
        public void run() {
            LabFolder lab = WorkbenchCli.labOf(spec);
            Path dir = lab.devices().resolve("virtual");
            Path flashFile = flash != null ? flash : dir.resolve("flash.bin");
            Path link = ptyLink != null ? ptyLink : dir.resolve("tty");
            FlashLayout layout = FlashLayout.parse(layoutName)
                    .orElseThrow(() -> new UsageException("Unknown --layout '" + layoutName
                            + "': use default or two_ota (or two-ota)."));
            if (factoryData != null && !Files.isRegularFile(factoryData)) {
                throw new UsageException("No factory data file " + factoryData
                        + ". Make one with './workbench device factory-image ID ...'.");
            }
            PrintWriter w = spec.commandLine().getOut();
            if (Files.exists(flashFile) && (app != null || factoryData != null)) {
                if (!refresh) {
                    // Running the old flash would silently ignore what was asked for: a board with another identity.
                    throw new UsageException(flashFile + " exists (device '" + provisionedIdInFlash(flashFile)
                            + "'), and --app and --factory-data apply only to a factory-fresh flash. Add --fresh to"
                            + " replace it with a factory-fresh one, or give another --flash FILE.");
                }
                try {
                    Files.delete(flashFile);
                } catch (IOException e) {
                    throw new UsageException("Cannot replace " + flashFile + ": " + e.getMessage(), e);
                }
            }
            boolean fresh = !Files.exists(flashFile);
            // The factory step journals under the id it provisions, like everything after it.
            String id = fresh ? provisionedId(factoryData) : provisionedIdInFlash(flashFile);
            watch(spec, lab, seconds, session -> {
                LabDevice d = LabSession.join(session.runVirtualBoard(id, "", flashFile, link, layout,
                        fresh ? app : null, fresh ? factoryData : null));
                if (fresh) {
                    w.println("Factory-fresh flash " + flashFile + " (" + (app != null ? app.getFileName() : "v1_base.bin")
                            + ", layout " + layout.wireName() + ", " + (factoryData != null ? "provisioned" : "unprovisioned")
                            + ")");
                }
                // Not an invitation to open it elsewhere too: two readers of one port split its bytes.
                w.println("Serial port: " + link + " -> " + d.board().ptyPath());
            });
        }

        /** The device id in a factory data file, or {@code virtual} for an unprovisioned board. */
        private static String provisionedId(Path factoryData) {
            if (factoryData == null) {
                return "virtual";
            }
            try {
                return FactoryData.parse(Files.readAllBytes(factoryData)).deviceId();
            } catch (IOException | IllegalArgumentException e) {
                throw new UsageException(factoryData + " is not a factory data image: " + e.getMessage()
                        + ". Make one with './workbench device factory-image ID ...'.", e);
            }
        }

        /** The device id the flash was provisioned with (its factory_data partition), else {@code virtual}. */
        private static String provisionedIdInFlash(Path flash) {
            try (FileChannel file = FileChannel.open(flash)) {
                ByteBuffer partition = ByteBuffer.allocate(FactoryData.PARTITION_SIZE);
                file.read(partition, FactoryData.PARTITION_OFFSET);
                return FactoryData.parse(partition.array()).deviceId();
            } catch (IOException | IllegalArgumentException unprovisioned) {
                return "virtual"; // the board itself reports NOT_PROVISIONED, with the reason
            }
        }
    }

    @Command(name = "monitor", mixinStandardHelpOptions = true,
            description = "Show a board's telemetry (LCD, LED, boots, OTA verdicts) until Ctrl-C, and record a session.")
    static final class Monitor implements Runnable {
        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "PORT", description = "Serial port: /dev/ttyUSB0, COM3, or a virtual board's pty link."
                + " A port that a running session of this lab reads (lab, device virtual, the window) is followed"
                + " through that session's journal, without opening the port a second time.")
        private String port;

        @Option(names = "--duration", paramLabel = "SECONDS",
                description = "Stop after this many seconds (default: run until Ctrl-C).")
        private Long seconds;

        @Override
        public void run() {
            LabFolder lab = WorkbenchCli.labOf(spec);
            if (seconds != null && seconds <= 0) {
                throw new UsageException("--duration must be a positive number of seconds, not " + seconds + ".");
            }
            // A board this lab runs already has its one reader: follow it through its session, never open the port.
            var owner = LinkOwners.find(lab.sessions(), port);
            if (owner.isPresent()) {
                SessionFollower.follow(spec.commandLine().getOut(), owner.get(), port, seconds);
                return;
            }
            // A port path that is not there (board unplugged, virtual board stopped) is said before a session
            // folder is made: an empty session would become what 'export' takes for the latest one.
            if (port.contains("/") && !Files.exists(Path.of(port))) {
                throw new UsageException("Cannot open serial port '" + port + "': it does not exist (is the board"
                        + " plugged in, or the virtual board running?). './workbench device list' shows the ports.");
            }
            try {
                watch(spec, lab, seconds, session -> LabSession.join(session.attachBoard(port)));
            } catch (UsageException e) {
                if (e.getMessage() != null && e.getMessage().contains("another program has it open")) {
                    throw new UsageException(e.getMessage() + " No running session of the lab " + lab.root()
                            + " owns it; if a workbench of another lab runs this board, give that lab with --lab.", e);
                }
                throw e;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List this machine's serial ports.")
    static final class ListPorts implements Runnable {
        @Spec
        private CommandSpec spec;

        @Override
        public void run() {
            PrintWriter w = spec.commandLine().getOut();
            List<SerialPortInfo> ports = DeviceLink.availablePorts();
            if (ports.isEmpty()) {
                w.println("No serial ports found. Plug in the board over USB (a CP2102 or CH340 adapter shows up as"
                        + " /dev/ttyUSB0), or start a virtual one with './workbench device virtual'.");
                return;
            }
            for (SerialPortInfo p : ports) {
                w.printf("%-16s %s%s%n", p.path(), p.name(),
                        p.location() == null || p.location().isBlank() ? "" : "  (at " + p.location() + ")");
            }
            w.println("A virtual board's port is its pty link (e.g. the lab's devices/virtual/tty), not listed here.");
        }
    }

    /** What a watch opens in its session. */
    @FunctionalInterface
    interface Setup {
        void open(LabSession session);
    }

    /**
     * Records a new lab session, prints the devices' events as readable lines, runs {@code setup},
     * then waits for Ctrl-C (or {@code seconds}) and closes the session, the board included.
     */
    static void watch(CommandSpec spec, LabFolder lab, Long seconds, Setup setup) {
        if (seconds != null && seconds <= 0) {
            throw new UsageException("--duration must be a positive number of seconds, not " + seconds + ".");
        }
        PrintWriter w = spec.commandLine().getOut();
        LabSession session = LabCommand.SessionRunner.open(SessionSetup.defaults(lab)
                .withPublishBuiltReleases(false));
        LabCommand.SessionRunner runner = new LabCommand.SessionRunner(session, w);
        runner.run(seconds, () -> {
            JournalSubscription printer = session.journal().subscribe("device printer", true, e -> print(w, e));
            runner.onClose(printer::close);
            w.println("Recording this session in " + session.folder().resolve(SessionLog.JOURNAL_FILE));
            setup.open(session);
            w.println(seconds == null ? "Watching; press Ctrl-C to stop." : "Watching for " + seconds + " s.");
            w.flush();
        });
    }

    /** A path as a POSIX shell word, so the printed command can be pasted as is. */
    static String shellQuote(Path path) {
        return FactoryDataFile.shellQuote(path.toString());
    }

    /** One readable line per device event (see {@link JournalPrinter}). */
    static void print(PrintWriter w, JournalEvent e) {
        JournalPrinter.print(w, e, false);
    }
}
