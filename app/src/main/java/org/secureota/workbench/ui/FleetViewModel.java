package org.secureota.workbench.ui;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The fleet at a glance: one {@link FleetRow} per device, and which device's full panel shows. With more
 * than {@value #COMPACT_ABOVE} devices the window is compact: the table lists them all and only the
 * selected device's panel is shown (30 full panels would not fit, and a presenter looks for one board).
 *
 * <p>A row follows its device's {@link DeviceViewModel}. A device's properties change several at a time
 * (one snapshot sets its version, state, verdict, progress...), so a change only schedules one copy of
 * the row on {@code fx}; tests pass a current-thread executor and read the rows without a screen.
 */
public final class FleetViewModel {

    /** Up to this many devices, every panel is shown and the table is not. */
    public static final int COMPACT_ABOVE = 3;

    private final Executor fx;
    private final ObservableList<FleetRow> rows = FXCollections.observableArrayList();
    private final Map<String, Tracked> tracked = new HashMap<>();
    private final Set<String> pending = new HashSet<>();
    private final StringProperty selected = new SimpleStringProperty(this, "selected");
    private final BooleanBinding compact = Bindings.size(rows).greaterThan(COMPACT_ABOVE);
    private final javafx.beans.binding.StringBinding title;

    private record Tracked(FleetRow row, DeviceViewModel model, List<Observable> watched,
                           javafx.beans.InvalidationListener listener) {
    }

    public FleetViewModel(I18n i18n, Executor fx) {
        this.fx = fx;
        // Read through the size binding: a binding only tells of its next change once it was read again.
        javafx.beans.binding.IntegerBinding size = Bindings.size(rows);
        title = i18n.bind(() -> i18n.get("fleet.title", size.get()), size);
        compact.addListener((o, a, on) -> {
            if (on && selected.get() == null && !rows.isEmpty()) {
                selected.set(rows.get(0).deviceId());
            }
        });
    }

    /** Lists {@code deviceId}, following {@code model} from now on (a device already listed follows the new model). */
    public void track(String deviceId, DeviceViewModel model) {
        untrack(deviceId);
        FleetRow row = new FleetRow(deviceId);
        javafx.beans.InvalidationListener listener = o -> schedule(deviceId);
        List<Observable> watched = List.of(model.versionProperty(), model.runningProperty(),
                model.outcome().headlineProperty(), model.outcome().kindProperty(), model.verdictCodeProperty(),
                model.powerProperty(), model.progressProperty());
        for (Observable w : watched) {
            w.addListener(listener);
        }
        tracked.put(deviceId, new Tracked(row, model, watched, listener));
        row.copy(model);
        // By id, whichever device booted first: a presenter finds seat 17 where seat 17 should be.
        int at = 0;
        while (at < rows.size() && rows.get(at).deviceId().compareTo(deviceId) < 0) {
            at++;
        }
        rows.add(at, row);
        if (compact.get() && selected.get() == null) {
            selected.set(deviceId);
        }
    }

    /** Forgets {@code deviceId}; when it was the selected one, the first device left is selected. */
    public void untrack(String deviceId) {
        Tracked t = tracked.remove(deviceId);
        if (t == null) {
            return;
        }
        for (Observable w : t.watched()) {
            w.removeListener(t.listener());
        }
        rows.remove(t.row());
        if (deviceId.equals(selected.get())) {
            selected.set(rows.isEmpty() ? null : rows.get(0).deviceId());
        }
    }

    private void schedule(String deviceId) {
        if (pending.add(deviceId)) {
            fx.execute(() -> {
                pending.remove(deviceId);
                Tracked t = tracked.get(deviceId);
                if (t != null) {
                    t.row().copy(t.model());
                }
            });
        }
    }

    /** Shows {@code deviceId}'s full panel (compact mode); an id not listed is ignored. */
    public void select(String deviceId) {
        if (deviceId != null && tracked.containsKey(deviceId)) {
            selected.set(deviceId);
        }
    }

    /** Whether {@code deviceId}'s full panel is shown: every panel up to {@value #COMPACT_ABOVE} devices, else the selected one. */
    public boolean panelShown(String deviceId) {
        return !compact.get() || deviceId.equals(selected.get());
    }

    public ObservableList<FleetRow> rows() {
        return rows;
    }

    /** The row of {@code deviceId}, if listed. */
    public java.util.Optional<FleetRow> row(String deviceId) {
        Tracked t = tracked.get(deviceId);
        return t == null ? java.util.Optional.empty() : java.util.Optional.of(t.row());
    }

    public StringProperty selectedProperty() {
        return selected;
    }

    /** True above {@value #COMPACT_ABOVE} devices: the table shows, and one full panel. */
    public ObservableValue<Boolean> compactProperty() {
        return compact;
    }

    /** "Fleet: N devices", in the current language. */
    public javafx.beans.binding.StringBinding titleProperty() {
        return title;
    }
}
