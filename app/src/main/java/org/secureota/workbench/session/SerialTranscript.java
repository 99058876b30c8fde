package org.secureota.workbench.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.foundation.LabFolder;

/**
 * One device's serial lines in the session folder ({@code <session>/<id>/serial.log}), as a terminal
 * would have shown them, each with its time; lines sent to the device are marked {@code >}. Written
 * from the session's journal subscriber, never from a serial reader.
 */
final class SerialTranscript {

    private final Path file;
    private Writer out;

    SerialTranscript(Path file) {
        this.file = file;
    }

    synchronized void write(JournalEvent e) {
        try {
            if (out == null) {
                LabFolder.ensurePrivateDirectory(file.getParent()); // a session's folders are owner only
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
            out.write(e.wallClock() + (EventType.SERIAL_TX.is(e) ? " > " : "   ") + e.message() + "\n");
            out.flush();
        } catch (IOException x) {
            throw new UncheckedIOException("Cannot write the serial transcript " + file + ": " + x.getMessage(), x);
        }
    }

    synchronized void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // Every line was flushed as it was written.
        }
    }
}
