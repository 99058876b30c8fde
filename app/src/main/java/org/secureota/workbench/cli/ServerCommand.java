package org.secureota.workbench.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.server.ApiKeyRegistry;
import org.secureota.workbench.server.Deployments;
import org.secureota.workbench.server.DeviceStatuses;
import org.secureota.workbench.server.ServerState;
import org.secureota.workbench.server.ServerStateException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./workbench server ...}: headless administration of the OTA server's state, the same
 * operations the GUI offers. They work whether or not a server is running; a running one sees the
 * change on its next request.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Provision devices, deploy releases and show the OTA server's state.",
        subcommands = {ServerCommand.AddDevice.class, ServerCommand.Deploy.class, ServerCommand.Status.class})
final class ServerCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw WorkbenchCli.missingSubcommand(spec);
    }

    static ServerState state(CommandSpec spec) {
        return ServerState.of(WorkbenchCli.labOf(spec));
    }

    @Command(name = "add-device", mixinStandardHelpOptions = true,
            description = "Register a device and print its new API key, once.")
    static final class AddDevice implements Runnable {
        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "Device id: letters, digits, '.', '_' or '-' (e.g. shop-display-01).")
        private String id;

        @Option(names = "--product", required = true, paramLabel = "NAME", description = "The product (device class) it runs.")
        private String product;

        @Option(names = "--rotate-key", description = "Issue a new key for a device that exists; its old key stops working.")
        private boolean rotate;

        @Override
        public void run() {
            ServerState state = state(spec);
            String key;
            try {
                key = rotate ? state.apiKeys().rotateKey(id, product) : state.provision(id, product);
            } catch (ServerStateException e) {
                throw new UsageException(e.getMessage(), e);
            }
            LabFolder lab = WorkbenchCli.labOf(spec);
            PrintWriter out = spec.commandLine().getOut();
            out.println((rotate ? "Issued a new API key for device " : "Provisioned device ") + id + " (product "
                    + product + "). Its API key, shown only this once:");
            out.println();
            out.println("  " + key);
            out.println();
            out.println("Put it in the device's factory data. The server keeps only a salted hash, in "
                    + ServeCommand.relative(lab, state.apiKeys().file()) + "; if the key is lost, issue a new one with"
                    + " --rotate-key.");
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = "Set the release that a product's devices (or one device) should run.")
    static final class Deploy implements Runnable {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PRODUCT", description = "The product, e.g. shop-display.")
        private String product;

        @Parameters(index = "1", paramLabel = "VERSION", description = "A published version of it, e.g. 2.0.0.")
        private String version;

        @Option(names = "--device", paramLabel = "ID", description = "Deploy to this device only (it must be a PRODUCT device).")
        private String device;

        @Override
        public void run() {
            ServerState state = state(spec);
            PrintWriter out = spec.commandLine().getOut();
            try {
                if (device != null) {
                    ApiKeyRegistry.Device d = state.apiKeys().find(device).orElseThrow(() -> new ServerStateException(
                            "Device '" + device + "' is not provisioned. Run 'server add-device " + device
                            + " --product " + product + "' first, or check the id with 'server status'."));
                    if (!d.product().equals(product)) {
                        throw new ServerStateException("Device '" + device + "' runs product '" + d.product() + "', not '"
                                + product + "'. Deploy a " + d.product() + " release to it.");
                    }
                    state.deployToDevice(device, version);
                    out.println("Deployed " + product + " " + version + " to device " + device + " only.");
                } else {
                    state.deploy(product, version);
                    out.println("Deployed " + product + " " + version + " to every " + product
                            + " device without a device deployment of its own.");
                }
            } catch (ServerStateException e) {
                throw new UsageException(e.getMessage(), e);
            }
            out.println("Saved in " + ServeCommand.relative(WorkbenchCli.labOf(spec), state.deployments().file())
                    + "; a running server offers it on the device's next poll.");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "List published releases, provisioned devices and deployments.")
    static final class Status implements Runnable {
        @Spec
        private CommandSpec spec;

        @Override
        public void run() {
            ServerState state = state(spec);
            PrintWriter out = spec.commandLine().getOut();
            List<Release> releases;
            List<ApiKeyRegistry.Device> devices;
            Deployments.Snapshot deployments;
            Map<String, DeviceStatuses.Status> reports;
            try {
                releases = state.releases().list();
                devices = state.apiKeys().devices();
                deployments = state.deployments().snapshot();
                reports = state.deviceStatuses().snapshot();
            } catch (ServerStateException e) {
                throw new UsageException(e.getMessage(), e);
            }
            out.println("Releases (" + releases.size() + ")");
            if (releases.isEmpty()) {
                out.println("  none; publish one with 'firmware publish IMAGE --product NAME'");
            }
            for (Release r : releases) {
                out.printf("  %-20s %-14s secure_version %-3d counter %-4d %10d bytes  expires %s  %s%s%n", r.product(),
                        r.version(), r.secureVersion(), r.counter(), r.size(), r.expiresAt(), r.url(),
                        r.encrypted() ? "  (encrypted, " + r.encryption().scheme().id() + ")" : "");
            }
            out.println();
            out.println("Devices (" + devices.size() + ")");
            if (devices.isEmpty()) {
                out.println("  none; register one with 'server add-device ID --product NAME'");
            }
            for (ApiKeyRegistry.Device d : devices) {
                Optional<String> v = state.deployments().versionFor(d.id(), d.product());
                String own = deployments.devices().get(d.id());
                out.printf("  %-20s product %-16s should run %-10s (%s)  provisioned %s%n", d.id(), d.product(),
                        v.orElse("-"), own != null ? "device deployment" : v.isPresent() ? "product deployment"
                        : "nothing deployed", d.provisionedAt());
                out.println("    " + lastReport(reports.get(d.id())));
            }
            out.println();
            out.println("Deployments");
            if (deployments.products().isEmpty() && deployments.devices().isEmpty()) {
                out.println("  none; set one with 'server deploy PRODUCT VERSION'");
            }
            deployments.products().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> out.printf("  product %-20s -> %s%s%n", e.getKey(), e.getValue(),
                            published(state, e.getKey(), e.getValue())));
            deployments.devices().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> {
                        String product = state.apiKeys().find(e.getKey()).map(ApiKeyRegistry.Device::product).orElse(null);
                        out.printf("  device  %-20s -> %s%s%n", e.getKey(), e.getValue(), product == null
                                ? "  (WARNING: no such device is provisioned)" : published(state, product, e.getValue()));
                    });
        }

        /** The device's own word, which may contradict what it should run (a rollback, a refusal). */
        private static String lastReport(DeviceStatuses.Status s) {
            if (s == null) {
                return "last report: none yet";
            }
            return "last report: " + s.event() + (s.version() != null ? " " + s.version() : "")
                    + ", verdict " + (s.verdict() != null ? s.verdict() : "-")
                    + ", running " + (s.runningVersion() != null ? s.runningVersion() : "?") + " (at " + s.at() + ")";
        }

        private static String published(ServerState state, String product, String version) {
            return state.releases().find(product, version).isPresent() ? ""
                    : "  (WARNING: " + product + " " + version + " is not published; devices get 503)";
        }
    }
}
