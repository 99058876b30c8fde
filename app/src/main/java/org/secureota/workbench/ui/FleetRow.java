package org.secureota.workbench.ui;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One device in the fleet table: what its panel shows, in one line (id, version, state, outcome and
 * verdict, power, progress). Copied from the device's {@link DeviceViewModel} by {@link FleetViewModel},
 * never set by the table.
 */
public final class FleetRow {

    private final String deviceId;
    private final StringProperty version = new SimpleStringProperty(this, "version", "");
    private final StringProperty state = new SimpleStringProperty(this, "state", "");
    private final StringProperty outcome = new SimpleStringProperty(this, "outcome", "");
    private final ObjectProperty<OutcomeViewModel.Kind> kind = new SimpleObjectProperty<>(this, "kind",
            OutcomeViewModel.Kind.NO_ATTEMPT);
    private final StringProperty verdict = new SimpleStringProperty(this, "verdict", "");
    private final StringProperty power = new SimpleStringProperty(this, "power", "");
    private final StringProperty progress = new SimpleStringProperty(this, "progress", "");

    FleetRow(String deviceId) {
        this.deviceId = deviceId;
    }

    /** Copies what {@code model} shows now. */
    void copy(DeviceViewModel model) {
        version.set(model.versionProperty().get());
        state.set(shortState(model.runningProperty().get()));
        outcome.set(model.outcome().headlineProperty().get());
        kind.set(model.outcome().kindProperty().get());
        String code = model.verdictCodeProperty().get();
        verdict.set(code == null || code.isEmpty() ? "—" : code);
        power.set(model.powerProperty().get());
        progress.set(model.progressProperty().get());
    }

    /** The panel's "app1 (ota_1) VALID" without the slot's name: "app1 VALID" (a table row is narrow). */
    static String shortState(String running) {
        return running == null ? "" : running.replaceFirst(" \\([^)]*\\)", "");
    }

    public String deviceId() {
        return deviceId;
    }

    public ReadOnlyStringProperty versionProperty() {
        return version;
    }

    /** The running slot and its otadata state, as the panel's "Running" row says it, without the slot's name. */
    public ReadOnlyStringProperty stateProperty() {
        return state;
    }

    /** The outcome banner's one word (the attacker's judgement when one speaks about this device). */
    public ReadOnlyStringProperty outcomeProperty() {
        return outcome;
    }

    /** The outcome's tone: the table colours the outcome cell as the banner is coloured. */
    public ReadOnlyObjectProperty<OutcomeViewModel.Kind> kindProperty() {
        return kind;
    }

    /** The device's last verdict code, or "—". */
    public ReadOnlyStringProperty verdictProperty() {
        return verdict;
    }

    public ReadOnlyStringProperty powerProperty() {
        return power;
    }

    public ReadOnlyStringProperty progressProperty() {
        return progress;
    }

    @Override
    public String toString() {
        return deviceId + " " + version.get() + " " + state.get() + " " + outcome.get() + " " + verdict.get() + " "
                + power.get() + " " + progress.get();
    }
}
