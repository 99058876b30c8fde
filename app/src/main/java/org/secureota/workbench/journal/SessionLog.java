package org.secureota.workbench.journal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes a session's journal as JSON Lines under {@code sessions/<start time>/journal.jsonl}. Each
 * event is flushed as it is written, so a killed workbench loses at most the event being written.
 */
public final class SessionLog implements Journal.EventSink, AutoCloseable {

    public static final String JOURNAL_FILE = "journal.jsonl";
    private static final DateTimeFormatter FOLDER_NAME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final BufferedWriter writer;

    private SessionLog(Path directory) throws IOException {
        this.directory = directory;
        this.writer = Files.newBufferedWriter(directory.resolve(JOURNAL_FILE), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Starts a new session folder under {@code sessionsRoot}, named after {@code start}. */
    public static SessionLog create(Path sessionsRoot, Instant start) {
        try {
            Files.createDirectories(sessionsRoot);
            String base = FOLDER_NAME.format(start);
            for (int n = 1; ; n++) {
                Path dir = sessionsRoot.resolve(n == 1 ? base : base + "-" + n);
                try {
                    Files.createDirectory(dir);
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
    public void write(JournalEvent event) {
        try {
            writer.write(JournalJson.toLine(event));
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the session journal " + journalFile() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
