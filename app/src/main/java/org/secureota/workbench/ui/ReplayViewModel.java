package org.secureota.workbench.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.SessionLog;
import org.secureota.workbench.journal.SessionReader;

/**
 * A past session shown in the window: which one, its events, what each device showed and printed at the
 * replay cursor, and whether the live controls may act (a live lab, and no replay on screen). Reading the
 * journal runs on {@code background}, the result lands on {@code fx}; tests pass a current-thread executor.
 */
public final class ReplayViewModel {

    private final Executor background;
    private final Executor fx;
    private final DeviceReplay devices = new DeviceReplay();
    private final ReadOnlyBooleanWrapper replaying = new ReadOnlyBooleanWrapper(this, "replaying");
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>(this, "file");
    private final BooleanProperty labPresent = new SimpleBooleanProperty(this, "labPresent");
    private final BooleanBinding liveControls = labPresent.and(replaying.not());
    private List<JournalEvent> events = List.of();

    public ReplayViewModel(Executor background, Executor fx) {
        this.background = background;
        this.fx = fx;
    }

    /**
     * Reads a past session: an exported zip, a {@code journal.jsonl}, or a session folder holding one. The
     * returned future completes on {@code fx} once the replay is shown; it fails (showing nothing new) when the
     * file cannot be read.
     */
    public CompletableFuture<List<JournalEvent>> open(Path journalZipOrFolder) {
        Path source = journalFile(journalZipOrFolder);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return source.getFileName().toString().endsWith(".zip")
                        ? SessionReader.readExport(source).events() : SessionReader.read(source).events();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, background).thenApplyAsync(read -> {
            events = List.copyOf(read);
            file.set(source);
            replaying.set(true);
            return events;
        }, fx);
    }

    /** The file a path names: a session folder's journal, else the path itself. */
    public static Path journalFile(Path journalZipOrFolder) {
        return Files.isDirectory(journalZipOrFolder) ? journalZipOrFolder.resolve(SessionLog.JOURNAL_FILE) : journalZipOrFolder;
    }

    /** Back to live (or a new session): the replay is forgotten. */
    public void leave() {
        events = List.of();
        file.set(null);
        replaying.set(false);
    }

    /** The replayed events in journal order; empty while live. */
    public List<JournalEvent> events() {
        return events;
    }

    /** What each replayed device showed after every event up to {@code cursor} (inclusive), by device id. */
    public Map<String, DeviceSnapshot> devicesAt(long cursor) {
        return devices.at(events, cursor);
    }

    /** The serial lines {@code deviceId} printed up to {@code cursor} (inclusive). */
    public List<String> consoleAt(String deviceId, long cursor) {
        List<String> lines = new ArrayList<>();
        for (JournalEvent e : events) {
            if (e.monotonicNanos() > cursor) {
                break;
            }
            if (deviceId.equals(e.deviceId()) && EventType.SERIAL_RX.wireName().equals(e.type())) {
                lines.add(e.message());
            }
        }
        return lines;
    }

    public boolean replaying() {
        return replaying.get();
    }

    public ReadOnlyBooleanProperty replayingProperty() {
        return replaying.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> fileProperty() {
        return file.getReadOnlyProperty();
    }

    /** Set by the window: a live lab is there (null lab: none yet, or a failed one). */
    public BooleanProperty labPresentProperty() {
        return labPresent;
    }

    /** True while the live lab's controls may act: a lab is there and no replay is shown. */
    public BooleanBinding liveControlsBinding() {
        return liveControls;
    }
}
