package org.secureota.workbench.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongFunction;
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
import org.secureota.workbench.journal.JournalFileIndex;
import org.secureota.workbench.journal.SessionLog;

/**
 * A past session shown in the window: which one, where its events lie in the file, what each device
 * showed and printed at the replay cursor, and whether the live controls may act (a live lab, and no
 * replay on screen). Reading the journal runs on {@code background}, the result lands on {@code fx};
 * tests pass a current-thread executor.
 */
public final class ReplayViewModel {

    private final Executor background;
    private final Executor fx;
    private final DeviceReplay devices = new DeviceReplay();
    private final ReadOnlyBooleanWrapper replaying = new ReadOnlyBooleanWrapper(this, "replaying");
    private final ReadOnlyObjectWrapper<Path> file = new ReadOnlyObjectWrapper<>(this, "file");
    private final BooleanProperty labPresent = new SimpleBooleanProperty(this, "labPresent");
    private final BooleanBinding liveControls = labPresent.and(replaying.not());
    private JournalFileIndex index;
    private List<JournalEvent> serialLines = List.of();

    /**
     * What a replay hands the window, once: each event's columns (no message, no fields: the timeline reads
     * details back through {@code details}), and the last {@link RequestsViewModel#ROWS} requests in full.
     * Nothing here is kept by this view model, so the window drops it once it has taken its columns.
     */
    public record Replay(List<JournalEvent> columns, List<JournalEvent> requests, LongFunction<JournalEvent> details) {
        public int size() {
            return columns.size();
        }
    }

    public ReplayViewModel(Executor background, Executor fx) {
        this.background = background;
        this.fx = fx;
    }

    /**
     * Reads a past session: an exported zip, a {@code journal.jsonl}, or a session folder holding one. The
     * returned future completes on {@code fx} once the replay is shown; it fails (showing nothing new) when the
     * file cannot be read.
     *
     * <p>Memory is bounded by design: the journal is read line by line and only the device lines
     * ({@code serial.rx}, which rebuild the panels at the cursor) are kept with their text; every other
     * event is kept as where its line lies in the file.
     */
    public CompletableFuture<Replay> open(Path journalZipOrFolder) {
        Path source = journalFile(journalZipOrFolder);
        return CompletableFuture.supplyAsync(() -> {
            List<JournalEvent> columns = new ArrayList<>();
            List<JournalEvent> serial = new ArrayList<>();
            ArrayDeque<JournalEvent> requests = new ArrayDeque<>();
            Map<String, String> names = new HashMap<>();
            Consumer<JournalEvent> each = e -> {
                // Type and device names repeat on every line: one string each.
                String type = names.computeIfAbsent(e.type(), t -> t);
                String device = e.deviceId() == null ? null : names.computeIfAbsent(e.deviceId(), d -> d);
                columns.add(new JournalEvent(e.seq(), e.wallClock(), e.monotonicNanos(), e.source(), device, type, "", Map.of()));
                if (device != null && EventType.SERIAL_RX.wireName().equals(type)) {
                    serial.add(new JournalEvent(e.seq(), e.wallClock(), e.monotonicNanos(), e.source(), device, type,
                            e.message(), Map.of()));
                }
                if (RequestsViewModel.REQUEST.equals(type)) {
                    requests.addLast(e);
                    if (requests.size() > RequestsViewModel.ROWS) {
                        requests.removeFirst();
                    }
                }
            };
            try {
                JournalFileIndex read = source.getFileName().toString().endsWith(".zip")
                        ? JournalFileIndex.readExport(source, each) : JournalFileIndex.read(source, each);
                return new Loaded(read, columns, List.copyOf(serial), List.copyOf(requests));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, background).thenApplyAsync(read -> {
            closeIndex();
            index = read.index();
            serialLines = read.serial();
            file.set(source);
            replaying.set(true);
            JournalFileIndex details = read.index();
            return new Replay(read.columns(), read.requests(), details::event);
        }, fx);
    }

    private record Loaded(JournalFileIndex index, List<JournalEvent> columns, List<JournalEvent> serial,
                          List<JournalEvent> requests) {
    }

    /** The file a path names: a session folder's journal, else the path itself. */
    public static Path journalFile(Path journalZipOrFolder) {
        return Files.isDirectory(journalZipOrFolder) ? journalZipOrFolder.resolve(SessionLog.JOURNAL_FILE) : journalZipOrFolder;
    }

    /** Back to live (or a new session): the replay is forgotten. */
    public void leave() {
        closeIndex();
        serialLines = List.of();
        file.set(null);
        replaying.set(false);
    }

    private void closeIndex() {
        if (index != null) {
            index.close();
            index = null;
        }
    }

    /** How many events the replay on screen has; 0 while live. */
    public int size() {
        return index == null ? 0 : index.size();
    }

    /** The replayed event {@code seq}, read back from its journal; null while live or if there is none. */
    public JournalEvent event(long seq) {
        return index == null ? null : index.event(seq);
    }

    /** What each replayed device showed after every event up to {@code cursor} (inclusive), by device id. */
    public Map<String, DeviceSnapshot> devicesAt(long cursor) {
        return devices.at(serialLines, cursor);
    }

    /** The serial lines {@code deviceId} printed up to {@code cursor} (inclusive). */
    public List<String> consoleAt(String deviceId, long cursor) {
        List<String> lines = new ArrayList<>();
        for (JournalEvent e : serialLines) {
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
