package org.secureota.workbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import org.secureota.workbench.firmware.AppImage;
import org.secureota.workbench.firmware.DecryptionKeys;
import org.secureota.workbench.firmware.EncryptionScheme;
import org.secureota.workbench.firmware.ImageCipher;
import org.secureota.workbench.foundation.AtomicFiles;
import org.secureota.workbench.pki.PemFiles;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PkiFile;
import org.secureota.workbench.pki.ProductKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code firmware encrypt IMAGE --key PUB.pem -o OUT}: an esp_encrypted_img file, as esp_enc_img_gen.py makes. */
@Command(name = "encrypt", mixinStandardHelpOptions = true,
        description = {"Encrypt an image into Espressif's esp_encrypted_img format (what esp_enc_img_gen.py encrypt makes).",
            "A P-256 public key gives ECIES-P256, an RSA-3072 public key gives RSA-3072."})
final class EncryptCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", description = "The file to encrypt (normally an app image, .bin).")
    private Path image;

    @Option(names = "--key", required = true, paramLabel = "PUB.pem",
            description = "The recipient's public key, PEM (e.g. certs/products/NAME/decryption-pub.pem).")
    private Path key;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Where to write the encrypted file.")
    private Path output;

    /**
     * A certificate or the lab's own keys are P-256 keys too, so the cipher would take them: refuse
     * them by name, since nothing could ever decrypt the result (or, with the signing key, the
     * firmware would be encrypted to a key meant for something else).
     */
    private void refuseKnownWrongKey(PublicKey publicKey) {
        String text;
        try {
            text = Files.readString(key, java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IOException | java.io.UncheckedIOException e) {
            text = "";
        }
        if (text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new UsageException(key + " is a certificate (a TLS identity), not a product's decryption key. Give"
                    + " certs/products/NAME/decryption-pub.pem ('pki init --product NAME' makes one).");
        }
        LabPki pki = new LabPki(WorkbenchCli.labOf(spec).certs());
        for (PkiFile f : PkiFile.values()) {
            if (!java.nio.file.Files.isRegularFile(pki.path(f))) {
                continue;
            }
            try {
                PublicKey known = f == PkiFile.SIGNING_PUB ? pki.signingPublicKey()
                        : f.secret() ? null : pki.certificate(f).getPublicKey();
                if (known != null && java.util.Arrays.equals(known.getEncoded(), publicKey.getEncoded())) {
                    throw new UsageException(key + " is the lab's " + f.fileName() + " key ("
                            + (f == PkiFile.SIGNING_PUB ? "it verifies manifests" : "a TLS identity")
                            + "), not a product's decryption key. Give certs/products/NAME/decryption-pub.pem ('pki"
                            + " init --product NAME' makes one).");
                }
            } catch (RuntimeException unreadable) {
                if (unreadable instanceof UsageException u) {
                    throw u;
                }
            }
        }
    }

    private boolean isProductKey(PublicKey publicKey) {
        ProductKeys keys = new ProductKeys(WorkbenchCli.labOf(spec).certs());
        try {
            for (String product : keys.products()) {
                if (keys.exists(product) && java.util.Arrays.equals(keys.publicKey(product).getEncoded(),
                        publicKey.getEncoded())) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException none) {
            return false;
        }
        return false;
    }

    @Override
    public void run() {
        byte[] plain = FirmwareCommand.readInput(image, "an image to encrypt");
        if (plain.length == 0) {
            throw new UsageException(image + " is empty; there is nothing to encrypt.");
        }
        PublicKey publicKey;
        try {
            publicKey = PemFiles.readPublicKey(key);
        } catch (IOException e) {
            throw new UsageException("cannot read " + key + ": " + e.getMessage(), e);
        }
        refuseKnownWrongKey(publicKey);
        EncryptionScheme scheme;
        try {
            scheme = EncryptionScheme.of(publicKey);
        } catch (IllegalArgumentException e) {
            throw new UsageException(key + ": " + e.getMessage());
        }
        if (!AppImage.parse(plain).valid()) {
            spec.commandLine().getErr().println("note: " + image + " is not a valid app image; encrypting it anyway");
        }
        byte[] file = ImageCipher.encrypt(plain, publicKey, new SecureRandom());
        try {
            if (output.toAbsolutePath().getParent() != null) {
                Files.createDirectories(output.toAbsolutePath().getParent());
            }
            AtomicFiles.write(output, file, AtomicFiles.PUBLIC_READ);
        } catch (IOException e) {
            throw new UsageException("cannot write " + output + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!isProductKey(publicKey)) {
            spec.commandLine().getErr().println("note: " + key + " is not the decryption key of any product of this lab"
                    + " (certs/products/NAME/decryption-pub.pem); only a device holding its private key can install"
                    + " the result");
        }
        out.println("Encrypted " + image + " (" + plain.length + " bytes) -> " + output + " (" + file.length + " bytes)");
        out.println("  scheme:  " + scheme.id() + ", for key " + DecryptionKeys.keyId(publicKey));
        out.println("  sha256:  " + EncryptedFileInspection.sha256(file));
    }
}
