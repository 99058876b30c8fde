package org.secureota.workbench.session;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which running session owns which serial port. A port has one reader (two readers of a pty split
 * its bytes), so a second program that wants to watch a board the workbench runs must not open the
 * port: it asks here which session owns it and follows that session's journal, which holds every
 * line the owner read, in order, flushed as it was written.
 *
 * <p>The owning session holds an OS lock on {@code .session.lock} in its folder for as long as it
 * runs (released by the OS if the process dies), and lists its ports, resolved to their real paths,
 * in {@code .ports}: one {@code PATH<TAB>DEVICE-ID} line each. Both are dotfiles, which an export leaves out.
 */
public final class LinkOwners implements AutoCloseable {

    static final String LOCK_FILE = ".session.lock";
    static final String PORTS_FILE = ".ports";

    /** A running session that owns a port, and the id its journal records that device under. */
    public record Owner(Path sessionFolder, String deviceId) {
    }

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private LinkOwners(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /** Marks {@code sessionFolder} as running until {@link #close()}. */
    static LinkOwners claim(Path sessionFolder) throws IOException {
        FileChannel ch = FileChannel.open(sessionFolder.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            return new LinkOwners(sessionFolder, ch, ch.lock());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Records that this session reads {@code port} for {@code deviceId}. */
    synchronized void add(String port, String deviceId) {
        if (port == null) {
            return;
        }
        try {
            Files.writeString(folder.resolve(PORTS_FILE), realPath(port) + "\t" + deviceId + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // Only a second program's monitor needs it; the session itself runs the same without.
        }
    }

    @Override
    public synchronized void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // The lock goes with the channel, and with the process.
        }
    }

    /** The running session of {@code sessionsRoot} that owns {@code port}, newest first. */
    public static Optional<Owner> find(Path sessionsRoot, String port) {
        String wanted = realPath(port);
        if (!Files.isDirectory(sessionsRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(sessionsRoot)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve(PORTS_FILE)))
                    .sorted(Comparator.reverseOrder()).toList()) {
                Optional<String> id = deviceOn(dir, wanted);
                if (id.isPresent() && isRunning(dir)) {
                    return Optional.of(new Owner(dir, id.get()));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Whether the session of {@code folder} still runs (its lock is held, in this process or another). */
    public static boolean isRunning(Path folder) {
        Path lockFile = folder.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock probe = ch.tryLock();
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException heldHere) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<String> deviceOn(Path dir, String port) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(PORTS_FILE), StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i >= 0; i--) {
            int tab = lines.get(i).indexOf('\t');
            if (tab > 0 && lines.get(i).substring(0, tab).equals(port)) {
                return Optional.of(lines.get(i).substring(tab + 1));
            }
        }
        return Optional.empty();
    }

    private static String realPath(String port) {
        try {
            return Path.of(port).toRealPath().toString();
        } catch (IOException | RuntimeException notAPath) {
            return port; // COM3, or a port that is gone: compared as written
        }
    }
}
