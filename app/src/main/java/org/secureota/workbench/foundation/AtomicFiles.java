package org.secureota.workbench.foundation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes lab files so that a reader never sees half of one and a secret is never readable by
 * others: the content goes to a temporary file in the same folder, created with its final
 * permissions, flushed to disk (unless the caller says a process's death is all it must survive),
 * then renamed over the target.
 */
public final class AtomicFiles {

    /** What a written file must survive, besides a reader never seeing half of it. */
    public enum Durability {
        /** A power loss: the content reaches the disk before the rename (keys, certificates, registries). */
        POWER_LOSS,
        /**
         * A killed process, like the session journal's events: the content is in the kernel's page cache when
         * the call returns, without waiting for the disk (a record rewritten often, on a request's path, that
         * the next event writes again).
         */
        PROCESS_DEATH
    }

    /** Private keys, API key hashes, factory data holding an API key. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** Certificates, public keys, images and manifests. */
    public static final Set<PosixFilePermission> PUBLIC_READ = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    public static void write(Path file, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        write(file, content, permissions, Durability.POWER_LOSS);
    }

    public static void write(Path file, byte[] content, Set<PosixFilePermission> permissions, Durability durability)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attributes);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (durability == Durability.POWER_LOSS) {
                    channel.force(true);
                }
            }
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
