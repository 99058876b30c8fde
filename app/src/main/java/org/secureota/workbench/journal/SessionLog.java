package org.secureota.workbench.journal;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.secureota.workbench.foundation.LabFolder;

/**
 * Writes a session's journal as JSON Lines under {@code sessions/<start time>/journal.jsonl}. Each
 * event is flushed as it is written, so a killed workbench loses at most the event being written.
 * It remembers where every {@value #MARK_EVERY}th event starts, so that the journal reads old
 * events back ({@link #read}) without scanning the whole file.
 */
public final class SessionLog implements Journal.EventStore, AutoCloseable {

    public static final String JOURNAL_FILE = "journal.jsonl";
    private static final DateTimeFormatter FOLDER_NAME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'").withZone(ZoneOffset.UTC);

    static final int MARK_EVERY = 1024;

    private final Path directory;
    private final OutputStream writer;
    /** Byte offset of events 1, 1+MARK_EVERY, 1+2*MARK_EVERY ... (sequence numbers are gap-free from 1). */
    private final List<Long> marks = new ArrayList<>();
    private long written;

    private SessionLog(Path directory) throws IOException {
        this.directory = directory;
        this.writer = new BufferedOutputStream(Files.newOutputStream(directory.resolve(JOURNAL_FILE),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 64 * 1024);
    }

    /** Starts a new session folder under {@code sessionsRoot}, named after {@code start}. */
    public static SessionLog create(Path sessionsRoot, Instant start) {
        try {
            LabFolder.ensurePrivateDirectory(sessionsRoot);
            String base = FOLDER_NAME.format(start);
            for (int n = 1; ; n++) {
                Path dir = sessionsRoot.resolve(n == 1 ? base : base + "-" + n);
                try {
                    Files.createDirectory(dir);
                    // The journal and reports name devices: owner only, like the device folders.
                    LabFolder.ensurePrivateDirectory(dir);
                    return new SessionLog(dir);
                } catch (FileAlreadyExistsException taken) {
                    // Two sessions started within the same second: take the next suffix.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a session folder under " + sessionsRoot + ": "
                    + e.getMessage() + ". Check that the lab folder is writable.", e);
        }
    }

    public Path directory() {
        return directory;
    }

    public Path journalFile() {
        return directory.resolve(JOURNAL_FILE);
    }

    @Override
    public synchronized void write(JournalEvent event) {
        try {
            byte[] line = (JournalJson.toLine(event) + "\n").getBytes(StandardCharsets.UTF_8);
            if ((event.seq() - 1) % MARK_EVERY == 0) {
                marks.add(written);
            }
            writer.write(line);
            writer.flush();
            written += line.length;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the session journal " + journalFile() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized long bytesWritten() {
        return written;
    }

    /** The events {@code fromSeq..toSeq} as written; a line that cannot be read is skipped. */
    @Override
    public List<JournalEvent> read(long fromSeq, long toSeq) {
        long start;
        synchronized (this) {
            int mark = (int) Math.min(marks.size() - 1L, Math.max(0, (fromSeq - 1) / MARK_EVERY));
            if (mark < 0) {
                return List.of();
            }
            start = marks.get(mark);
        }
        List<JournalEvent> out = new ArrayList<>();
        try (FileChannel file = FileChannel.open(journalFile(), StandardOpenOption.READ)) {
            file.position(start);
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(file),
                    StandardCharsets.UTF_8), 64 * 1024);
            for (String line; (line = in.readLine()) != null; ) {
                JournalEvent e;
                try {
                    e = JournalJson.fromLine(line);
                } catch (IllegalArgumentException damaged) {
                    continue; // the export reports damaged lines; a reader wants the rest
                }
                if (e.seq() > toSeq) {
                    break;
                }
                if (e.seq() >= fromSeq) {
                    out.add(e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read back the session journal " + journalFile() + ": "
                    + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
