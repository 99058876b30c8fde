package org.secureota.workbench.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folder that holds one lab's state: its PKI, published releases, provisioned devices and
 * recorded sessions. Every component takes its paths from here, so tests and CI can point a whole
 * lab at a temporary folder and never touch the developer's own.
 */
public record Lab(Path root) {

    public Lab {
        root = root.toAbsolutePath().normalize();
    }

    /** TLS keys, the lab CA, the rogue PKI and the manifest-signing key. */
    public Path certs() {
        return root.resolve("certs");
    }

    /** Published firmware images and their signed manifests. */
    public Path releases() {
        return root.resolve("releases");
    }

    /** Provisioned devices: API key hashes, factory data, virtual flash files. */
    public Path devices() {
        return root.resolve("devices");
    }

    /** One folder per recorded session, each with its journal. */
    public Path sessions() {
        return root.resolve("sessions");
    }

    /** Creates {@code dir} (and its parents) if needed and returns it. */
    public static Path ensureDirectory(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
