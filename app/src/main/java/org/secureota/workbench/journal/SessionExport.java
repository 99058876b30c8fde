package org.secureota.workbench.journal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
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
    /** The report's name in a session folder and in its zip. */
    public static final String REPORT_FILE = "report.html";

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

    /**
     * Rebuilds {@code report.html} in {@code sessionDir} from its journal alone (atomically), and
     * returns what was read, damaged lines included.
     */
    public static SessionReader.Result writeReport(Path sessionDir) throws IOException {
        SessionReader.Result read = SessionReader.read(sessionDir.resolve(SessionLog.JOURNAL_FILE));
        Path report = sessionDir.resolve(REPORT_FILE);
        Path temp = Files.createTempFile(sessionDir, ".report", ".html");
        try {
            Files.writeString(temp, htmlReport(sessionDir.getFileName().toString(), read), StandardCharsets.UTF_8);
            Files.move(temp, report, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return read;
    }

    /**
     * Rebuilds the report, then zips the whole session folder (journal, each device's serial
     * transcript, report) into {@code zip}. A folder without transcripts (an older session) gets a
     * {@code serial.log} made from the journal's serial lines. Returns what was read.
     */
    public static SessionReader.Result export(Path sessionDir, Path zip) throws IOException {
        SessionReader.Result read = writeReport(sessionDir);
        String name = sessionDir.getFileName().toString();
        Path parent = zip.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, ".export", ".zip");
        try {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(sessionDir)) {
                files = walk.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().startsWith("."))
                        .filter(f -> !f.toAbsolutePath().equals(zip.toAbsolutePath()))
                        .sorted().toList();
            }
            boolean hasTranscripts = files.stream().anyMatch(f -> f.getFileName().toString().endsWith(".log"));
            try (OutputStream file = Files.newOutputStream(temp); ZipOutputStream out = new ZipOutputStream(file)) {
                for (Path f : files) {
                    String entry = sessionDir.relativize(f).toString().replace('\\', '/');
                    out.putNextEntry(new ZipEntry(name + "/" + entry));
                    Files.copy(f, out);
                    out.closeEntry();
                }
                if (!hasTranscripts) {
                    out.putNextEntry(new ZipEntry(name + "/serial.log"));
                    out.write(serialTranscript(read.events()).getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
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
        return SessionReport.render(sessionName, read);
    }

    /** Text from devices and the network is untrusted: escape everything that could become markup. */
    static String escape(String text) {
        return HtmlText.escape(text);
    }
}
