package org.secureota.workbench.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a recorded session back for replay and export, keeping every good line of a damaged file. */
public final class SessionReader {

    /** A line that could not be read, and why. */
    public record LineError(Path file, int line, String reason) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + reason;
        }
    }

    /** The events that were read, in file order, and the lines that were not. */
    public record Result(List<JournalEvent> events, List<LineError> errors) {
        public boolean clean() {
            return errors.isEmpty();
        }
    }

    private SessionReader() {
    }

    public static Result read(Path journalFile) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(journalFile)) {
            return read(journalFile, in);
        }
    }

    /** The one {@code .../journal.jsonl} entry of an exported session zip; refused, saying what to open instead. */
    static java.util.zip.ZipEntry journalEntry(java.util.zip.ZipFile file, Path zip) throws IOException {
        return file.stream()
                .filter(e -> !e.isDirectory() && (e.getName().equals(SessionLog.JOURNAL_FILE)
                        || e.getName().endsWith("/" + SessionLog.JOURNAL_FILE)))
                .findFirst().orElseThrow(() -> new IOException(zip + " holds no " + SessionLog.JOURNAL_FILE
                        + ": open a zip written by File > Export session (or './workbench export'), or a journal.jsonl"));
    }

    /**
     * Reads the journal inside a zip written by {@code SessionExport} (its one {@code .../journal.jsonl}
     * entry), without unpacking anything to disk.
     */
    public static Result readExport(Path zip) throws IOException {
        try (java.util.zip.ZipFile file = new java.util.zip.ZipFile(zip.toFile())) {
            java.util.zip.ZipEntry journal = journalEntry(file, zip);
            try (java.io.InputStream in = file.getInputStream(journal)) {
                return read(zip.resolve(journal.getName()), in);
            }
        }
    }

    private static Result read(Path journalFile, java.io.InputStream stream) throws IOException {
        List<JournalEvent> events = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        // InputStreamReader replaces malformed UTF-8 instead of failing the whole file, so one damaged
        // line costs that line only.
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    events.add(JournalJson.fromLine(line));
                } catch (IllegalArgumentException e) {
                    errors.add(new LineError(journalFile, number, e.getMessage()));
                }
            }
        }
        return new Result(List.copyOf(events), List.copyOf(errors));
    }
}
