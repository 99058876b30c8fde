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
import org.secureota.workbench.pki.ProductKeys;
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
        throw WorkbenchCli.missingSubcommand(spec);
    }

    static LabPki pki(CommandSpec spec) {
        return new LabPki(WorkbenchCli.labOf(spec).certs());
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Create the lab CA, the server certificate, the rogue look-alikes and the manifest-signing key.",
                "With --product NAME: create only that product's firmware-decryption key pair (ECIES P-256, or"
                + " RSA-3072 with --rsa) in certs/products/NAME/."})
    static final class Init implements Runnable {
        @Spec
        private CommandSpec spec;

        @Option(names = "--force", description = "Replace an existing PKI (devices provisioned with the old CA will refuse the server),"
                + " or with --product the product's decryption key (devices holding the old one cannot open new releases).")
        private boolean force;

        @Option(names = "--product", paramLabel = "NAME",
                description = "Make the firmware-decryption key pair of this product (for 'firmware publish --encrypt').")
        private String product;

        @Option(names = "--rsa", description = "With --product: an RSA-3072 key instead of P-256 (esp_encrypted_img's RSA scheme).")
        private boolean rsa;

        @Override
        public void run() {
            LabPki pki = pki(spec);
            if (product != null) {
                initProduct(pki);
                return;
            }
            if (rsa) {
                throw new UsageException("--rsa chooses the type of a product's decryption key: give --product NAME too.");
            }
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

        private void initProduct(LabPki pki) {
            ProductKeys keys = new ProductKeys(pki.directory());
            try {
                keys.create(product, rsa ? ProductKeys.KeyType.RSA_3072 : ProductKeys.KeyType.P256, force);
            } catch (IOException e) {
                throw new UsageException("Cannot write the decryption key of '" + product + "' in " + pki.directory()
                        + ": " + e.getMessage() + ". Check that the folder is writable.", e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("Created the firmware-decryption key pair of " + product + " ("
                    + (rsa ? "RSA-3072, esp_encrypted_img RSA scheme" : "P-256, esp_encrypted_img ECIES scheme") + "):");
            printProductKeys(out, keys, product);
        }
    }

    static void printProductKeys(PrintWriter out, ProductKeys keys, String product) {
        out.println("  " + keys.privateKeyFile(product) + "  private half, mode 0600: goes only into this product's"
                + " devices' factory data");
        out.println("  " + keys.publicKeyFile(product) + "  public half: 'firmware publish --encrypt' encrypts with it");
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
            ProductKeys productKeys = new ProductKeys(pki.directory());
            for (String product : productKeys.products()) {
                any = true;
                out.println("products/" + product + "/  (firmware-decryption key pair of " + product + ")");
                try {
                    java.security.PublicKey key = productKeys.publicKey(product);
                    out.println("  algorithm:   " + (key instanceof java.security.interfaces.RSAKey
                            ? "RSA-3072 (esp_encrypted_img RSA scheme)" : "P-256 (esp_encrypted_img ECIES scheme)"));
                    out.println("  key id:      " + org.secureota.workbench.firmware.DecryptionKeys.keyId(key)
                            + " (what a format-2 manifest names as encryption_key_id)");
                } catch (IOException | RuntimeException e) {
                    out.println("  unreadable:  " + e.getMessage());
                }
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
