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
        List<JournalEvent> events = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        // InputStreamReader replaces malformed UTF-8 instead of failing the whole file, so one damaged
        // line costs that line only.
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(Files.newInputStream(journalFile), StandardCharsets.UTF_8))) {
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
