package org.secureota.workbench.journal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Packs a recorded session into one zip a lab can archive or hand in: the journal as recorded,
 * the device's serial transcript, and a self-contained HTML report that opens in any browser.
 */
public final class SessionExport {

    /** Device events of these types carry raw serial lines; the transcript is made of them. */
    public static final String SERIAL_RX = EventType.SERIAL_RX.wireName();
    public static final String SERIAL_TX = EventType.SERIAL_TX.wireName();

    private SessionExport() {
    }

    /** The most recent session folder under {@code sessionsRoot} that holds a journal. */
    public static Optional<Path> latestSession(Path sessionsRoot) throws IOException {
        if (!Files.isDirectory(sessionsRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(sessionsRoot)) {
            // Folder names are UTC start times, so the lexical order is the chronological order.
            return dirs.filter(d -> Files.isRegularFile(d.resolve(SessionLog.JOURNAL_FILE)))
                    .max(Path::compareTo);
        }
    }

    /** Writes {@code zip} from {@code sessionDir}; returns what was read, damaged lines included. */
    public static SessionReader.Result export(Path sessionDir, Path zip) throws IOException {
        Path journalFile = sessionDir.resolve(SessionLog.JOURNAL_FILE);
        SessionReader.Result read = SessionReader.read(journalFile);
        String name = sessionDir.getFileName().toString();
        Path parent = zip.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".export", ".zip");
        try {
            try (OutputStream file = Files.newOutputStream(temp); ZipOutputStream out = new ZipOutputStream(file)) {
                out.putNextEntry(new ZipEntry(name + "/" + SessionLog.JOURNAL_FILE));
                Files.copy(journalFile, out);
                out.closeEntry();
                out.putNextEntry(new ZipEntry(name + "/serial.log"));
                out.write(serialTranscript(read.events()).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
                out.putNextEntry(new ZipEntry(name + "/report.html"));
                out.write(htmlReport(name, read).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            Files.move(temp, zip, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UncheckedIOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return read;
    }

    /** Serial lines in order, each prefixed with its time and direction, as a terminal would log them. */
    static String serialTranscript(List<JournalEvent> events) {
        StringBuilder text = new StringBuilder();
        for (JournalEvent e : events) {
            if (e.source() != Source.DEVICE) {
                continue;
            }
            String direction = SERIAL_RX.equals(e.type()) ? "<" : SERIAL_TX.equals(e.type()) ? ">" : null;
            if (direction != null) {
                text.append(e.wallClock()).append(' ').append(e.deviceId() == null ? "-" : e.deviceId())
                        .append(' ').append(direction).append(' ').append(e.message()).append('\n');
            }
        }
        return text.toString();
    }

    static String htmlReport(String sessionName, SessionReader.Result read) {
        List<JournalEvent> events = read.events();
        Map<Source, Integer> counts = new EnumMap<>(Source.class);
        events.forEach(e -> counts.merge(e.source(), 1, Integer::sum));
        StringBuilder h = new StringBuilder(8192 + events.size() * 160);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>Session ").append(escape(sessionName)).append("</title><style>")
                .append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}")
                .append("td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;text-align:left;vertical-align:top}")
                .append("th{background:#eee}.attacker{background:#fde2e2}.device{background:#e6f0ff}")
                .append(".server{background:#e8f6e8}.network{background:#fff4d6}.scenario{background:#f0e6ff}")
                .append("code{white-space:pre-wrap}</style></head><body>\n");
        h.append("<h1>Secure OTA Workbench session ").append(escape(sessionName)).append("</h1>\n");
        if (!events.isEmpty()) {
            JournalEvent first = events.get(0);
            JournalEvent last = events.get(events.size() - 1);
            h.append("<p>").append(events.size()).append(" events from ").append(first.wallClock())
                    .append(" to ").append(last.wallClock()).append(" (")
                    .append(Duration.ofNanos(last.monotonicNanos() - first.monotonicNanos()).toMillis())
                    .append(" ms).</p>\n<ul>");
            counts.forEach((source, n) -> h.append("<li>").append(source.wireName()).append(": ").append(n).append("</li>"));
            h.append("</ul>\n");
        } else {
            h.append("<p>This session recorded no events.</p>\n");
        }
        if (!read.errors().isEmpty()) {
            h.append("<h2>Damaged lines</h2><p>These lines of the journal could not be read; every other line is below.</p><ul>");
            read.errors().forEach(err -> h.append("<li>line ").append(err.line()).append(": ")
                    .append(escape(err.reason())).append("</li>"));
            h.append("</ul>\n");
        }
        h.append("<h2>Events</h2>\n<table><tr><th>#</th><th>time (UTC)</th><th>source</th><th>device</th>")
                .append("<th>type</th><th>message</th><th>details</th></tr>\n");
        for (JournalEvent e : events) {
            h.append("<tr class=\"").append(e.source().wireName()).append("\"><td>").append(e.seq())
                    .append("</td><td>").append(e.wallClock()).append("</td><td>").append(e.source().wireName())
                    .append("</td><td>").append(escape(e.deviceId() == null ? "" : e.deviceId()))
                    .append("</td><td>").append(escape(e.type())).append("</td><td>").append(escape(e.message()))
                    .append("</td><td><code>").append(escape(e.fields().isEmpty() ? "" : e.fields().toString()))
                    .append("</code></td></tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    /** Text from devices and the network is untrusted: escape everything that could become markup. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
