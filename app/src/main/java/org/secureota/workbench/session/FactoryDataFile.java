package org.secureota.workbench.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.secureota.workbench.device.FactoryData;
import org.secureota.workbench.firmware.ReleaseNames;
import org.secureota.workbench.foundation.AtomicFiles;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PkiFile;
import org.secureota.workbench.pki.ProductKeys;

/**
 * A device's factory data partition written to a file (mode 0600: it holds the device's API key),
 * built from the lab's PKI, and the commands that flash it onto a board. For {@code device
 * factory-image}, {@code board add} and the window's Lab > Add a real board.
 *
 * @param data          what the partition holds
 * @param file          where it was written
 * @param decryptionKey the product's public key file whose private half the partition carries, or null
 *                      when the product has no decryption key (the device then installs plaintext releases only)
 */
public record FactoryDataFile(FactoryData data, Path file, Path decryptionKey) {

    /** Builds the partition and writes it to {@code target}; errors name the missing or unwritable file. */
    public static FactoryDataFile write(LabFolder lab, String deviceId, String product, String serverUrl, String apiKey,
                                        Path target) {
        return write(lab, deviceId, product, serverUrl, apiKey, target, null);
    }

    /** The same, with the LCD's language ({@code lcd_lang}; null: none written, the device speaks French). */
    public static FactoryDataFile write(LabFolder lab, String deviceId, String product, String serverUrl, String apiKey,
                                        Path target, org.secureota.workbench.device.LcdLanguage lcdLanguage) {
        LabPki pki = new LabPki(lab.certs());
        String caPem = readPem(pki, PkiFile.CA_CERT);
        String signingPem = readPem(pki, PkiFile.SIGNING_PUB);
        // The product's decryption key, when the product has one: its devices can then open releases
        // published with --encrypt. Without it they install plaintext releases only.
        ProductKeys productKeys = new ProductKeys(lab.certs());
        boolean withDecryptionKey = ReleaseNames.isProduct(product) && productKeys.exists(product);
        FactoryData data;
        try {
            data = new FactoryData(deviceId, product, serverUrl, apiKey, caPem, signingPem,
                    withDecryptionKey ? read(productKeys.privateKeyFile(product)) : null, lcdLanguage);
        } catch (IllegalArgumentException e) {
            throw new LabSessionException("Cannot build the factory data: " + e.getMessage() + ".", e);
        }
        try {
            AtomicFiles.write(target, data.partitionImage(FactoryData.PARTITION_SIZE), AtomicFiles.OWNER_ONLY);
        } catch (IOException e) {
            throw new LabSessionException("Cannot write " + target + ": " + e.getMessage()
                    + ". Check that the folder is writable.", e);
        }
        return new FactoryDataFile(data, target, withDecryptionKey ? productKeys.publicKeyFile(product) : null);
    }

    /** The partition's offset on the board, as esptool.py takes it. */
    public static String offset() {
        return String.format("0x%X", FactoryData.PARTITION_OFFSET);
    }

    /**
     * The esptool.py command and its PlatformIO form that flash {@code file} ({@code port} null:
     * esptool finds the board).
     */
    public static List<String> flashCommands(Path file, String port) {
        String portArg = port == null ? "" : " --port " + shellQuote(port);
        String write = " write_flash " + offset() + " " + shellQuote(file.toString());
        return List.of("esptool.py --chip esp32" + portArg + write,
                "pio pkg exec -p tool-esptoolpy -- esptool.py --chip esp32" + portArg + write);
    }

    /** {@code s} as one shell word: as it is when plain, else single-quoted. */
    public static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./:=+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    private static String readPem(LabPki pki, PkiFile file) {
        Path path = pki.path(file);
        if (!Files.isRegularFile(path)) {
            throw new LabSessionException("No " + file.fileName() + " in " + pki.directory()
                    + ": the lab PKI is missing. Run './workbench pki init' first.");
        }
        return read(path);
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new LabSessionException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
