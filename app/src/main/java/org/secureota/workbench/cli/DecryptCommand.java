package org.secureota.workbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.secureota.workbench.firmware.DecryptionException;
import org.secureota.workbench.firmware.DecryptionKeys;
import org.secureota.workbench.firmware.EncryptedImageHeader;
import org.secureota.workbench.firmware.EncryptionScheme;
import org.secureota.workbench.firmware.FirmwareFormatException;
import org.secureota.workbench.firmware.ImageCipher;
import org.secureota.workbench.firmware.Manifest;
import org.secureota.workbench.firmware.SignedManifest;
import org.secureota.workbench.foundation.AtomicFiles;
import org.secureota.workbench.pki.PemFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code firmware decrypt FILE --key PRIV.pem -o OUT}: opens an esp_encrypted_img file, or refuses with the
 * rule it breaks (bad tag, wrong key, truncated, ...). Nothing is written unless the tag verified.
 */
@Command(name = "decrypt", mixinStandardHelpOptions = true,
        description = {"Decrypt and authenticate an esp_encrypted_img file (what esp_enc_img_gen.py decrypt does).",
            "Refuses, writing nothing, a file that is not encrypted, truncated, has extra bytes, a damaged header,"
            + " a bad GCM tag, or was made for another key; the refusal code is printed.",
            "With ECIES, another key and a tampered file both fail the tag: --manifest tells them apart."})
final class DecryptCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The encrypted file.")
    private Path file;

    @Option(names = "--key", required = true, paramLabel = "PRIV.pem",
            description = "The private key, PEM (P-256 for ECIES, RSA-3072 for RSA).")
    private Path key;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Where to write the plaintext.")
    private Path output;

    @Option(names = "--manifest", paramLabel = "JWS",
            description = "The release's format-2 manifest: its encryption_key_id says whether this is the right key.")
    private Path manifest;

    @Override
    public void run() {
        byte[] bytes = readEncrypted(file, "an encrypted image");
        PrivateKey privateKey;
        try {
            privateKey = PemFiles.readPrivateKey(key);
            EncryptionScheme.of(privateKey);
        } catch (IOException e) {
            throw new UsageException("cannot read " + key + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UsageException(key + ": " + e.getMessage());
        }
        String expectedKeyId = manifest == null ? null : keyIdOf(manifest);
        PrintWriter out = spec.commandLine().getOut();
        byte[] plain;
        try {
            plain = ImageCipher.decrypt(bytes, privateKey, expectedKeyId);
        } catch (DecryptionException e) {
            out.println("REFUSED " + e.getMessage());
            out.flush();
            throw new CheckFailedException(file + " was not decrypted: " + e.refusal());
        }
        try {
            AtomicFiles.write(output, plain, AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new UsageException("cannot write " + output + ": " + e.getMessage(), e);
        }
        out.println("OK    tag verified; " + plain.length + " bytes of plaintext -> " + output + " (mode 0600)");
        out.println("      key " + DecryptionKeys.keyId(DecryptionKeys.publicKeyOf(privateKey)) + ", sha256 "
                + EncryptedFileInspection.sha256(plain));
    }

    /** Up to 16 MiB of image plus the 512-byte header: the largest encrypted ESP32 image. */
    static byte[] readEncrypted(Path file, String what) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new UsageException(file + " does not exist or is not a file; give the path of " + what + ".");
            }
            long size = Files.size(file);
            if (size > org.secureota.workbench.firmware.AppImage.MAX_SIZE + EncryptedImageHeader.SIZE) {
                throw new UsageException(file + " is " + size + " bytes, larger than any encrypted ESP32 image"
                        + " (16 MiB + 512).");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The key id a manifest names. Its signature is not checked here: it only chooses the refusal's name. */
    private static String keyIdOf(Path manifestFile) {
        String text = new String(FirmwareCommand.readInput(manifestFile, "a signed manifest (.jws)"), StandardCharsets.US_ASCII);
        Manifest m;
        try {
            m = SignedManifest.parseUnverified(text.strip()).manifest();
        } catch (FirmwareFormatException e) {
            throw new UsageException(manifestFile + " is not a manifest: " + e.getMessage());
        }
        if (!m.encrypted()) {
            throw new UsageException(manifestFile + " is a format-1 manifest: its release is served unencrypted.");
        }
        return m.encryption().keyId();
    }
}
