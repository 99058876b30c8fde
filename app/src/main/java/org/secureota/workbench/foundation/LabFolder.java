package org.secureota.workbench.foundation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The folder that holds one lab's state: its PKI, published releases, provisioned devices and
 * recorded sessions. Every component takes its paths from here, so tests and CI can point a whole
 * lab at a temporary folder and never touch the developer's own.
 */
public record LabFolder(Path root) {

    public LabFolder {
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

    /**
     * Creates {@code dir} (and missing parents) readable by its owner only (0700), or makes an
     * existing one so, and returns it. For device folders (flash image, eFuse file, NVS models: the
     * factory data's API key and decryption key) and session folders (reports naming devices).
     */
    public static Path ensurePrivateDirectory(Path dir) {
        try {
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (!posix) {
                return Files.createDirectories(dir);
            }
            Path absolute = dir.toAbsolutePath();
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            try {
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException exists) {
                // An older lab made it 0755: tighten it.
            }
            // createDirectory's attribute is filtered by the umask; set the mode explicitly.
            Files.setPosixFilePermissions(absolute, OWNER_ONLY);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Owner only: rwx------. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    /** Creates {@code dir} (and its parents) if needed and returns it. */
    public static Path ensureDirectory(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
