package org.secureota.workbench.ui;

import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.secureota.workbench.ui.timeline.TimelineModel;

/**
 * What the timeline panel shows around its lanes: the events it holds (live or a replay), the devices its
 * filter offers, the filters, and the event count in the current language. No screen needed; FX thread.
 */
public final class TimelinePanelViewModel {

    private final I18n i18n;
    private final TimelineModel model;
    private final ObservableList<String> deviceIds = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper eventCount = new ReadOnlyStringWrapper(this, "eventCount", "");

    public TimelinePanelViewModel(I18n i18n, TimelineModel model) {
        this.i18n = i18n;
        this.model = model;
        i18n.localeProperty().addListener((o, a, b) -> showCount());
        showCount();
    }

    /** A pulse's batch of live events; the devices they name join the device filter. */
    public void addLive(List<JournalEvent> batch) {
        model.addAll(batch);
        for (JournalEvent e : batch) {
            knowDevice(e.deviceId());
        }
        showCount();
    }

    /** The device filter offers {@code deviceId} (null: nothing). */
    public void knowDevice(String deviceId) {
        if (deviceId != null && !deviceIds.contains(deviceId)) {
            deviceIds.add(deviceId);
        }
    }

    /**
     * A past session's events, in journal order, replace what the timeline held: their columns only, each
     * event's details read back through {@code details} (its journal file) when it is shown.
     */
    public void showReplay(List<JournalEvent> columns, LongFunction<JournalEvent> details) {
        model.clear();
        model.readDetailsWith(details);
        model.addColumns(columns);
        showCount();
    }

    /** Forgets the events (a replay ends, or a new session starts); the device filter keeps its devices. */
    public void clear() {
        model.clear();
        showCount();
    }

    /** A new session: its devices are not the previous one's. */
    public void forgetDevices() {
        deviceIds.clear();
        inSession.clear();
    }

    /** The devices the session's snapshots have named since it began. */
    private final java.util.Set<String> inSession = new java.util.HashSet<>();

    /**
     * The session's devices, from its latest snapshot: the lanes and the device filter follow them. A device
     * that was in the session and left it loses its lane; a device whose first events came before the snapshot
     * that names it keeps its lane (it is joining, not leaving). Returns whether lanes were dropped (redraw).
     */
    public boolean followDevices(java.util.Collection<String> sessionDevices) {
        inSession.addAll(sessionDevices);
        java.util.Set<String> gone = new java.util.HashSet<>(inSession);
        gone.removeAll(sessionDevices);
        deviceIds.removeIf(gone::contains);
        for (String id : sessionDevices) {
            knowDevice(id);
        }
        boolean dropped = model.dropDevices(gone);
        if (dropped) {
            showCount();
        }
        return dropped;
    }

    /** The devices that have a lane on the timeline, in lane order. */
    public List<String> deviceLanes() {
        return model.lanes().stream().filter(l -> l.source() == Source.DEVICE).map(TimelineModel.Lane::deviceId)
                .sorted().toList();
    }

    /** Shows the lanes of {@code sources}, the types matching {@code types} (empty: all) and one device (null: all). */
    public void filter(Set<Source> sources, String types, String device) {
        for (Source s : Source.values()) {
            model.showSource(s, sources.contains(s));
        }
        model.filterTypes(types == null ? "" : types);
        model.filterDevice(device);
    }

    private void showCount() {
        eventCount.set(i18n.get("app.events", model.size()));
    }

    public TimelineModel model() {
        return model;
    }

    public ObservableList<String> deviceIds() {
        return deviceIds;
    }

    public ReadOnlyStringProperty eventCountProperty() {
        return eventCount.getReadOnlyProperty();
    }
}
