package org.secureota.workbench.journal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A journal file read once, line by line, keeping only where each event's line lies: an event is read
 * back by its sequence number when it is needed. A replay of 100,000 events then holds 20 bytes an event
 * instead of 100,000 parsed events with their field maps (about half a kilobyte each).
 *
 * <p>An exported zip's journal is copied to a temporary file first (a zip entry cannot be read at an
 * offset); {@link #close} deletes that copy. Lines that do not parse are skipped, as {@link SessionReader}
 * skips them, and counted.
 */
public final class JournalFileIndex implements AutoCloseable {

    private final Path file;
    private final boolean temporary;
    private long[] seqs = new long[1024];
    private long[] offsets = new long[1024];
    private int[] lengths = new int[1024];
    private int size;
    private int badLines;
    private boolean ordered = true;
    private FileChannel channel;
    private boolean closed;

    private JournalFileIndex(Path file, boolean temporary) {
        this.file = file;
        this.temporary = temporary;
    }

    /** Indexes {@code journalFile}, handing each event to {@code each} in file order (it keeps what it needs). */
    public static JournalFileIndex read(Path journalFile, Consumer<JournalEvent> each) throws IOException {
        JournalFileIndex index = new JournalFileIndex(journalFile, false);
        index.scan(each);
        return index;
    }

    /** Indexes the journal inside a zip written by {@code SessionExport}, through a temporary copy. */
    public static JournalFileIndex readExport(Path zip, Consumer<JournalEvent> each) throws IOException {
        Path copy = Files.createTempFile("workbench-replay-", ".jsonl");
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            java.util.zip.ZipEntry journal = SessionReader.journalEntry(z, zip);
            try (InputStream in = z.getInputStream(journal)) {
                Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
            }
            JournalFileIndex index = new JournalFileIndex(copy, true);
            index.scan(each);
            return index;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
    }

    private void scan(Consumer<JournalEvent> each) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            long offset = 0;
            long lineStart = 0;
            int b;
            while (true) {
                b = in.read();
                if (b == '\n' || b < 0) {
                    if (line.size() > 0) {
                        take(line.toString(StandardCharsets.UTF_8), lineStart, line.size(), each);
                    }
                    if (b < 0) {
                        return;
                    }
                    line.reset();
                    lineStart = offset + 1;
                } else {
                    line.write(b);
                }
                offset++;
            }
        }
    }

    private void take(String text, long offset, int length, Consumer<JournalEvent> each) {
        if (text.isBlank()) {
            return;
        }
        JournalEvent e;
        try {
            e = JournalJson.fromLine(text);
        } catch (IllegalArgumentException bad) {
            badLines++;
            return;
        }
        if (size == seqs.length) {
            seqs = Arrays.copyOf(seqs, size * 2);
            offsets = Arrays.copyOf(offsets, size * 2);
            lengths = Arrays.copyOf(lengths, size * 2);
        }
        ordered &= size == 0 || e.seq() > seqs[size - 1];
        seqs[size] = e.seq();
        offsets[size] = offset;
        lengths[size] = length;
        size++;
        each.accept(e);
    }

    /** Events indexed. */
    public int size() {
        return size;
    }

    /** Lines that were not events (skipped). */
    public int badLines() {
        return badLines;
    }

    /** The event {@code seq} read back from the file; null if there is none or the file cannot be read any more. */
    public synchronized JournalEvent event(long seq) {
        int i = ordered ? Arrays.binarySearch(seqs, 0, size, seq) : linear(seq);
        if (i < 0) {
            return null;
        }
        try {
            if (channel == null) {
                if (closed) {
                    return null;
                }
                // Kept open while the replay is shown: the timeline reads a label per lone event at each frame.
                channel = FileChannel.open(file, StandardOpenOption.READ);
            }
            FileChannel ch = channel;
            ByteBuffer b = ByteBuffer.allocate(lengths[i]);
            while (b.hasRemaining() && ch.read(b, offsets[i] + b.position()) > 0) {
                // reads until the line is complete
            }
            return JournalJson.fromLine(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private int linear(long seq) {
        for (int i = 0; i < size; i++) {
            if (seqs[i] == seq) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Closes the file and deletes the temporary copy of an exported zip's journal (a journal file of its
     * own stays); events are not read back any more.
     */
    @Override
    public synchronized void close() {
        closed = true;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read only: nothing is lost
            }
            channel = null;
        }
        if (temporary) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file; the system's temp cleaning takes it
            }
        }
    }
}
