package org.secureota.workbench.firmware;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * What the release store's files looked like at one moment: the modification time, size and file
 * key (inode) of the {@code releases/} folder, of each product folder and of each manifest in them.
 *
 * <p>Publishing moves a new file into a product folder, which changes that folder's time; a new
 * product changes {@code releases/}'s; a manifest edited in place changes its own. So comparing
 * stamps tells whether the store may have changed without reading a single manifest: a few
 * {@code stat} calls, against reading and decoding every manifest.
 *
 * <p>File times advance in clock ticks (a few milliseconds on Linux), so a second change within the
 * tick of the first leaves the same time. As git does for its index, a stamp taken within
 * {@value #RACY_MILLIS} ms of a file's time is "racy" and never trusted: the store is read again
 * until a stamp is taken after every file has settled.
 */
final class StoreStamp {

    private record FileState(Path path, Object key, long modifiedNanos, long size) {
    }

    static final long RACY_MILLIS = 100;

    private final List<FileState> files;
    private final boolean racy;

    private StoreStamp(List<FileState> files, long takenAtNanos) {
        this.files = files;
        long settled = takenAtNanos - RACY_MILLIS * 1_000_000L;
        this.racy = files.stream().anyMatch(f -> f.modifiedNanos() >= settled);
    }

    /** The stamp of the store under {@code releasesDir} now. */
    static StoreStamp of(Path releasesDir) {
        long now = System.currentTimeMillis() * 1_000_000L;
        List<FileState> files = new ArrayList<>();
        FileState root = state(releasesDir);
        files.add(root);
        if (root.key() == null && root.modifiedNanos() < 0) {
            return new StoreStamp(files, now);
        }
        try (DirectoryStream<Path> products = Files.newDirectoryStream(releasesDir)) {
            for (Path product : products) {
                if (!Files.isDirectory(product, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                files.add(state(product));
                try (DirectoryStream<Path> manifests = Files.newDirectoryStream(product, "*.jws")) {
                    for (Path m : manifests) {
                        files.add(state(m));
                    }
                }
            }
        } catch (IOException e) {
            // Unreadable now: a stamp that never matches, so the next lookup reads again.
            files.add(new FileState(releasesDir, new Object(), -1, -1));
        }
        return new StoreStamp(files, now);
    }

    /** Whether every file of this stamp is as it was: same folders and manifests, none changed. */
    boolean unchanged() {
        if (racy) {
            return false;
        }
        // The folders come first: a manifest added or removed changes its folder before anything else.
        for (FileState f : files) {
            if (!f.equals(state(f.path()))) {
                return false;
            }
        }
        return true;
    }

    private static FileState state(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long nanos = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
            return new FileState(p, a.fileKey(), nanos, a.size());
        } catch (IOException e) {
            return new FileState(p, null, -1, -1);
        }
    }
}
