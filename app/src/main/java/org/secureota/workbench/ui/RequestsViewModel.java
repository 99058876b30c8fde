package org.secureota.workbench.ui;

import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.secureota.workbench.journal.JournalEvent;

/** The server panel's request table: the HTTP requests of the journal, newest first, at most {@link #ROWS}; no screen needed. */
public final class RequestsViewModel {

    /** Requests the table keeps: the rows a presenter reads, not the whole session (the timeline has it). */
    public static final int ROWS = 200;

    static final String REQUEST = "http.request";

    private final ObservableList<JournalEvent> rows = FXCollections.observableArrayList();

    /** FX thread: the requests among {@code events} (in journal order) go on top. */
    public void addFrom(List<JournalEvent> events) {
        boolean any = false;
        for (JournalEvent e : events) {
            if (REQUEST.equals(e.type())) {
                rows.add(0, e);
                any = true;
            }
        }
        if (any && rows.size() > ROWS) {
            rows.remove(ROWS, rows.size());
        }
    }

    /** FX thread: a new session or a replay starts. */
    public void clear() {
        rows.clear();
    }

    public ObservableList<JournalEvent> rows() {
        return rows;
    }

    static String method(JournalEvent e) {
        return e.field("method").orElse("");
    }

    static String path(JournalEvent e) {
        return e.field("path").orElse("");
    }

    static String status(JournalEvent e) {
        return e.field("status").orElse("");
    }

    static String bytes(JournalEvent e) {
        return e.field("bytes_written").orElse("");
    }

    static String device(JournalEvent e) {
        return e.device().orElse("");
    }
}
