package org.secureota.workbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.session.BoardIntake;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.LabSessionException;
import org.secureota.workbench.session.LanServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./workbench board add}: brings a real board into the lab, from registration to the flash commands. */
@Command(name = "board", mixinStandardHelpOptions = true,
        description = "Bring a real ESP32 board into the lab.",
        subcommands = {BoardCommand.Add.class})
final class BoardCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw WorkbenchCli.missingSubcommand(spec);
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Bring a real board into the lab: register it on the server (a new API key, never printed),"
                    + " build its factory data with the server URL it can reach (this machine's LAN address, or --url),"
                    + " make sure the server certificate's SANs cover that address, print the esptool.py and PlatformIO"
                    + " commands that flash it, and record its port so that 'lab' and the window attach it.",
                "The firmware itself is flashed once with PlatformIO (esp32-firmware/platformio.ini: pio run -e v1_base"
                    + " -t upload)."})
    static final class Add implements Runnable {
        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The device id, e.g. shop-display-07 (letters, digits, . _ -).")
        private String id;

        @Option(names = "--port", required = true, paramLabel = "PORT",
                description = "The board's serial port: /dev/ttyUSB0, COM3 ('device list' shows them).")
        private String port;

        @Option(names = "--url", paramLabel = "URL",
                description = "The server URL the board uses (default: https://<this machine's LAN address>:8443).")
        private String url;

        @Option(names = "--product", paramLabel = "NAME", defaultValue = LabSessionDefaults.PRODUCT,
                description = "The board's product (default: ${DEFAULT-VALUE}).")
        private String product;

        @Option(names = "--rotate-key",
                description = "The device is registered already: issue it a new key (its old factory data stops working).")
        private boolean rotate;

        @Override
        public void run() {
            LabFolder lab = WorkbenchCli.labOf(spec);
            PrintWriter out = spec.commandLine().getOut();
            BoardIntake.Result r;
            try {
                r = BoardIntake.add(lab, new BoardIntake.Request(id, port, url, product, rotate));
            } catch (LabSessionException e) {
                throw new UsageException(e.getMessage(), e);
            }
            if (r.pkiCreated()) {
                out.println("Created the lab PKI in " + lab.certs() + " (first use of this lab).");
            }
            if (r.reissued()) {
                out.println(LanServer.reissuedNote(r.url()));
            }
            out.println((rotate ? "Issued a new API key for " : "Registered ") + id + " (product " + product
                    + ") on the lab's server; its key goes into the factory data only.");
            Path target = r.factoryData().file();
            DeviceCommand.FactoryImage.describe(r.factoryData(), lab, out);
            out.println();
            out.println("1. Flash the firmware once (from esp32-firmware/, with the board on " + port + "):");
            out.println("     " + r.firmwareCommand());
            out.println("2. Flash its factory data:");
            DeviceCommand.FactoryImage.printFlashCommands(new PrefixWriter(out, "   "), LabHints.pathOf(target), port);
            out.println("3. Run the lab for it; it attaches " + port + " as " + id + " and serves " + r.url() + ":");
            out.println("     " + LabHints.workbench(lab) + " lab --devices 0 --deploy 2.0.0   (or the window:"
                    + " " + LabHints.workbench(lab) + ")");
            out.println("   then 'check all' and 'wait all'; './workbench device monitor " + port + "' shows it from"
                    + " another terminal, through the lab.");
        }
    }

    /** Indents what another printer writes. */
    private static final class PrefixWriter extends PrintWriter {
        private final String prefix;

        PrefixWriter(PrintWriter out, String prefix) {
            super(out, true);
            this.prefix = prefix;
        }

        @Override
        public void println(String line) {
            super.println(prefix + line);
        }
    }
}
