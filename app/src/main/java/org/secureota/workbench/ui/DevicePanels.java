package org.secureota.workbench.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javafx.fxml.FXMLLoader;
import javafx.scene.layout.VBox;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.session.BoardPower;

/**
 * The device column: one device-panel.fxml (with its {@link DevicePanelController} and {@link DeviceViewModel})
 * per device, made on first sight, in the order seen; the journal's lines reach each panel's console. FX thread.
 */
final class DevicePanels {

    private final VBox column;
    private final I18n i18n;
    private final Notifier notifier;
    private final BiConsumer<String, DevicePanelController> onNewPanel;
    private final Consumer<String> onRemoved;
    private final Map<String, DevicePanelController> panels = new LinkedHashMap<>();
    private final SideBySide sideBySide;

    /**
     * {@code onNewPanel} hears each new panel once it is in the column (presentation mode, the fleet view),
     * {@code onRemoved} each device whose panel left it.
     */
    DevicePanels(VBox column, I18n i18n, Notifier notifier, BiConsumer<String, DevicePanelController> onNewPanel,
                 Consumer<String> onRemoved) {
        this.column = column;
        this.i18n = i18n;
        this.notifier = notifier;
        this.onNewPanel = onNewPanel;
        this.onRemoved = onRemoved;
        this.sideBySide = new SideBySide(column, () -> panels.values().stream()
                .map(p -> new SideBySide.Panel(p.view(), p.model().weakenedBoard())).toList());
    }

    /** Shows a device and its board's power (null: unknown, as in a replay), creating its panel on first sight. */
    DeviceViewModel show(String id, DeviceSnapshot snapshot, BoardPower power, DeviceActions actions) {
        DevicePanelController panel = panels.get(id);
        if (panel == null) {
            panel = load(actions);
            panels.put(id, panel);
            column.getChildren().add(panel.view());
            panel.model().variantProperty().addListener((o, a, b) -> sideBySide.relayout());
            panel.model().flashedVariantProperty().addListener((o, a, b) -> sideBySide.relayout());
            onNewPanel.accept(id, panel);
        }
        if (actions.live() && !panel.actions().live()) {
            panel.setActions(actions);
        }
        panel.model().apply(snapshot, power);
        return panel.model();
    }

    void remove(String id) {
        DevicePanelController panel = panels.remove(id);
        if (panel != null) {
            // A panel still referenced elsewhere (a listener, an event) must not hold its session through its buttons.
            panel.setActions(DeviceActions.NONE);
            column.getChildren().remove(panel.view());
            sideBySide.forget(panel.view());
            onRemoved.accept(id);
            sideBySide.relayout();
        }
    }

    void removeAll() {
        for (String id : new ArrayList<>(panels.keySet())) {
            remove(id);
        }
    }

    /** Whether the panels stand side by side (a weakened device is in the lab). */
    boolean sideBySide() {
        return sideBySide.active();
    }

    javafx.beans.property.ReadOnlyBooleanProperty sideBySideProperty() {
        return sideBySide.activeProperty();
    }

    /** The first device's panel (the Lab menu's power items act on it); null when none. */
    DevicePanelController first() {
        return panels.values().stream().findFirst().orElse(null);
    }

    Map<String, DevicePanelController> panels() {
        return panels;
    }

    /** Lines for the consoles, by device id; a device with no panel drops them. */
    void appendConsoles(Map<String, List<String>> lines) {
        lines.forEach((id, l) -> {
            DevicePanelController p = panels.get(id);
            if (p != null) {
                p.appendConsole(l);
            }
        });
    }

    /**
     * The device panel says how the last image travelled: the server's offer says encrypted or plaintext, and
     * the device's {@code image.transport} event says how it travelled and whether the device decrypted it.
     */
    void showImageTransport(JournalEvent e) {
        DevicePanelController p = e.deviceId() == null ? null : panels.get(e.deviceId());
        if (p == null) {
            return;
        }
        if (EventType.SERVER_MANIFEST.is(e) && "offered".equals(e.field("outcome").orElse(null))) {
            p.model().imageOffered("true".equals(e.field("encrypted").orElse(null)), e.field("encryption").orElse(null));
        } else if (EventType.IMAGE_TRANSPORT.is(e)) {
            p.model().imageTravelled("true".equals(e.field("encrypted").orElse(null)), e.field("scheme").orElse(null),
                    e.field("key_id").orElse(null), "true".equals(e.field("decrypted").orElse(null)));
        }
    }

    private DevicePanelController load(DeviceActions actions) {
        FXMLLoader loader = new FXMLLoader(DevicePanels.class.getResource("device-panel.fxml"));
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("device-panel.fxml could not be loaded", e);
        }
        DevicePanelController c = loader.getController();
        c.init(new DeviceViewModel(i18n), i18n, actions, notifier::error);
        return c;
    }
}
