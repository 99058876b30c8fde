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
import org.secureota.workbench.lab.AtomicFiles;
import org.secureota.workbench.pki.PemFiles;
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
        out.println("Encrypted " + image + " (" + plain.length + " bytes) -> " + output + " (" + file.length + " bytes)");
        out.println("  scheme:  " + scheme.id() + ", for key " + DecryptionKeys.keyId(publicKey));
        out.println("  sha256:  " + EncryptedFileInspection.sha256(file));
    }
}
