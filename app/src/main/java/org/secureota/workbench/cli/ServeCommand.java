package org.secureota.workbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.secureota.workbench.journal.JournalSubscription;
import org.secureota.workbench.journal.Printable;
import org.secureota.workbench.journal.SessionLog;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PkiFile;
import org.secureota.workbench.server.ApiKeyRegistry;
import org.secureota.workbench.server.OtaServer;
import org.secureota.workbench.server.ServerLimits;
import org.secureota.workbench.server.ServerState;
import org.secureota.workbench.server.TlsPolicy;
import org.secureota.workbench.session.LanServer;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.SessionSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./workbench serve}: the HTTPS OTA server, headless, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the HTTPS OTA server (and the lab time source) headless until Ctrl-C.",
            "Journals every request into a new session, sessions/<start>/journal.jsonl. Creates the lab PKI if the"
                    + " lab has none."})
final class ServeCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8443",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    private int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 lets a real board on the LAN connect).")
    private String bind;

    @Option(names = "--deploy", paramLabel = "PRODUCT=VERSION",
            description = "Deploy a published release to a product before serving (repeatable; saved in devices/deployments.json).")
    private List<String> deploy = new ArrayList<>();

    @Option(names = "--deploy-device", paramLabel = "ID=VERSION",
            description = "Deploy a published release to one device before serving (repeatable; saved too).")
    private List<String> deployDevice = new ArrayList<>();

    @Option(names = "--public-downloads",
            description = "Serve firmware images without an API key (default: only to a provisioned device of the image's"
                    + " product, with its key).")
    private boolean publicDownloads;

    @Option(names = "--max-connections-per-address", paramLabel = "N", defaultValue = "16",
            description = "Open connections allowed from one source address (default: ${DEFAULT-VALUE}); more are closed"
                    + " at once.")
    private int maxConnectionsPerAddress;

    @Override
    public void run() {
        LabFolder lab = WorkbenchCli.labOf(spec);
        PrintWriter out = spec.commandLine().getOut();
        if (maxConnectionsPerAddress < 1) {
            throw new UsageException("--max-connections-per-address " + maxConnectionsPerAddress
                    + ": give at least 1 (the default is 16).");
        }
        List<String[]> products = new ArrayList<>();
        for (String d : deploy) {
            products.add(split(d, "--deploy", "PRODUCT=VERSION"));
        }
        List<String[]> devices = new ArrayList<>();
        for (String d : deployDevice) {
            devices.add(split(d, "--deploy-device", "ID=VERSION"));
        }
        boolean hadPki = new LabPki(lab.certs()).initialized();
        // A board on the LAN connects to this machine's LAN address: the certificate must name it.
        String lanUrl = LanServer.reachableFromLan(bind) ? lanUrlOrNull(bind) : null;
        if (lanUrl != null && hadPki) {
            if (LanServer.coverHost(lab, lanUrl)) {
                out.println(LanServer.reissuedNote(lanUrl));
            }
        }
        LabSession session = LabCommand.SessionRunner.open(SessionSetup.defaults(lab).withBind(bind)
                .withServerPort(port).withPublishBuiltReleases(false).withPublicDownloads(publicDownloads)
                .withServerLimits(limits(maxConnectionsPerAddress)));
        LabCommand.SessionRunner runner = new LabCommand.SessionRunner(session, out);
        runner.run(null, () -> {
            if (!hadPki) {
                out.println("Created the lab PKI in " + relative(lab, lab.certs()) + " (first use of this lab).");
            }
            for (String[] pv : products) {
                LabSession.join(session.deploy(pv[0], pv[1]));
            }
            for (String[] iv : devices) {
                LabSession.join(session.deployToDevice(iv[0], iv[1]));
            }
            JournalSubscription console = session.journal().subscribe("console", false, e -> {
                synchronized (out) {
                    out.println(e.wallClock() + "  " + e.source().wireName() + "  " + e.type() + "  " + Printable.of(e.message()));
                    out.flush();
                }
            });
            runner.onClose(console::close);
            printBanner(out, lab, session.server(), session.serverState(),
                    session.folder().resolve(SessionLog.JOURNAL_FILE), lanUrl == null ? null
                            : lanUrl.replaceFirst(":[0-9]+$", ":" + session.server().port()));
        });
        out.println("OTA server stopped; the session journal is "
                + relative(lab, session.folder().resolve(SessionLog.JOURNAL_FILE)));
    }

    private static ServerLimits limits(int perAddress) {
        ServerLimits defaults = ServerLimits.defaults();
        return defaults.withConnections(Math.max(defaults.maxConnections(), perAddress), perAddress);
    }

    private static String lanUrlOrNull(String bind) {
        if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
            return "https://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":8443";
        }
        return LanServer.url(LanServer.DEFAULT_PORT).orElse(null);
    }

    private static void printBanner(PrintWriter out, LabFolder lab, OtaServer server, ServerState state, Path journal,
                                    String lanUrl) {
        String base = server.baseUri().toString();
        out.println("OTA server listening on " + base + (lanUrl == null ? "" : " (on every address)"));
        if (lanUrl != null) {
            out.println("  Boards       on the LAN use " + lanUrl + "/ (this machine's LAN address; the certificate's"
                    + " SANs cover it). './workbench board add ID --port PORT' provisions one for it.");
        }
        out.println("  TLS          " + String.join(" and ", TlsPolicy.PROTOCOLS) + ", ECDHE with AES-GCM or"
                + " ChaCha20-Poly1305 only; certificate " + relative(lab, new LabPki(lab.certs()).path(PkiFile.SERVER_CERT))
                + ", issued by the lab CA " + relative(lab, new LabPki(lab.certs()).path(PkiFile.CA_CERT)));
        List<ApiKeyRegistry.Device> devices = state.apiKeys().devices();
        out.println("  API keys     " + devices.size() + " device(s); only salted SHA-256 hashes are kept, in "
                + relative(lab, state.apiKeys().file()) + ". A key is shown once, by 'server add-device ID --product NAME'.");
        out.println("  Deployments  " + describe(state) + " (" + relative(lab, state.deployments().file()) + ")");
        out.println("  Releases     " + state.releases().list().size() + " published in " + relative(lab, lab.releases()));
        out.println("  Downloads    " + (server.publicDownloads() ? "public: anyone who can connect may fetch an image"
                : "need a device's API key (Authorization: Bearer KEY), for its own product's images") + "; at most "
                + server.limits().maxConnectionsPerAddress() + " connections per address");
        out.println("  Journal      " + relative(lab, journal));
        out.println("Try:  curl --cacert " + LabHints.path(new LabPki(lab.certs()).path(PkiFile.CA_CERT)) + " "
                + base + "api/v1/health");
        if (!server.publicDownloads()) {
            out.println("      curl --cacert " + LabHints.path(new LabPki(lab.certs()).path(PkiFile.CA_CERT))
                    + " -H 'Authorization: Bearer KEY' -O " + base + "firmware/PRODUCT-VERSION.bin");
        }
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private static String describe(ServerState state) {
        var snapshot = state.deployments().snapshot();
        List<String> parts = new ArrayList<>();
        snapshot.products().forEach((p, v) -> parts.add(p + " -> " + v));
        snapshot.devices().forEach((d, v) -> parts.add("device " + d + " -> " + v));
        return parts.isEmpty() ? "none yet ('server deploy PRODUCT VERSION')" : String.join(", ", parts);
    }

    static String relative(LabFolder lab, Path path) {
        Path p = path.toAbsolutePath().normalize();
        return p.startsWith(lab.root()) ? lab.root().relativize(p).toString() : p.toString();
    }

    private static String[] split(String value, String option, String form) {
        int eq = value.indexOf('=');
        if (eq <= 0 || eq == value.length() - 1) {
            throw new UsageException(option + " " + value + ": expected " + form + ", for example "
                    + (option.equals("--deploy") ? "shop-display=2.0.0" : "shop-display-01=2.0.0") + ".");
        }
        return new String[] {value.substring(0, eq), value.substring(eq + 1)};
    }
}
