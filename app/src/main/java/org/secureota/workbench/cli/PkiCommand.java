package org.secureota.workbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.secureota.workbench.pki.CertificateSummary;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PkiCheck;
import org.secureota.workbench.pki.PkiFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./workbench pki ...}: the lab's certificates and keys. */
@Command(name = "pki", mixinStandardHelpOptions = true,
        description = "Create, show and check the lab PKI in the lab's certs/ folder.",
        subcommands = {PkiCommand.Init.class, PkiCommand.Show.class, PkiCommand.Verify.class})
final class PkiCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static LabPki pki(CommandSpec spec) {
        return new LabPki(WorkbenchCli.labOf(spec).certs());
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create the lab CA, the server certificate, the rogue look-alikes and the manifest-signing key.")
    static final class Init implements Runnable {
        @Spec
        private CommandSpec spec;

        @Option(names = "--force", description = "Replace an existing PKI (devices provisioned with the old CA will refuse the server).")
        private boolean force;

        @Override
        public void run() {
            LabPki pki = pki(spec);
            HostIdentity names = HostIdentity.ofThisMachine();
            try {
                pki.init(force, names, Clock.systemUTC());
            } catch (IOException e) {
                throw new UsageException("Cannot write the lab PKI in " + pki.directory() + ": " + e.getMessage()
                        + ". Check that the folder is writable.", e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("Created the lab PKI in " + pki.directory() + ":");
            for (PkiFile f : PkiFile.values()) {
                out.printf("  %-17s %s%s%n", f.fileName(), f.description(), f.secret() ? " (mode 0600)" : "");
            }
            out.println("Server names: " + String.join(", ", names.dnsNames()) + ", "
                    + String.join(", ", names.ipAddresses()));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print each certificate's subject, issuer, SANs, validity and SHA-256 fingerprint.")
    static final class Show implements Runnable {
        @Spec
        private CommandSpec spec;

        @Override
        public void run() {
            LabPki pki = pki(spec);
            PrintWriter out = spec.commandLine().getOut();
            boolean any = false;
            for (PkiFile f : PkiFile.values()) {
                if (f.secret() || f == PkiFile.SIGNING_PUB || !Files.exists(pki.path(f))) {
                    continue;
                }
                any = true;
                CertificateSummary s = CertificateSummary.of(pki.certificate(f));
                out.println(f.fileName() + "  (" + f.description() + ")");
                out.println("  subject:     " + s.subject());
                out.println("  issuer:      " + s.issuer());
                if (!s.subjectAltNames().isEmpty()) {
                    out.println("  SANs:        " + String.join(", ", s.subjectAltNames()));
                }
                out.println("  valid:       " + s.notBefore() + " .. " + s.notAfter());
                out.println("  SHA-256:     " + s.sha256Fingerprint());
                out.println();
            }
            if (Files.exists(pki.path(PkiFile.SIGNING_PUB))) {
                any = true;
                out.println(PkiFile.SIGNING_PUB.fileName() + "  (" + PkiFile.SIGNING_PUB.description() + ")");
                out.println("  algorithm:   ECDSA P-256 (ES256)");
            }
            if (!any) {
                throw new UsageException("No lab PKI in " + pki.directory() + ". Run './workbench pki init' first.");
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the chain, validity, SANs and keys of the lab PKI; exit 1 if anything is wrong.")
    static final class Verify implements Runnable {
        @Spec
        private CommandSpec spec;

        @Override
        public void run() {
            LabPki pki = pki(spec);
            List<String> problems = PkiCheck.problems(pki, Instant.now());
            PrintWriter out = spec.commandLine().getOut();
            if (!problems.isEmpty()) {
                problems.forEach(p -> out.println("FAIL  " + p));
                throw new CheckFailedException(problems.size() + " problem(s) in the lab PKI at " + pki.directory());
            }
            out.println("OK    server.pem chains to ca.pem (PKIX), is valid now, and carries DNS:localhost and IP:127.0.0.1");
            out.println("OK    rogue.pem does not chain to ca.pem: a device pinning the lab CA refuses the rogue server");
            out.println("OK    every private key matches its certificate");
        }
    }
}
