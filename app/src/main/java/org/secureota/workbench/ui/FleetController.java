package org.secureota.workbench.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;

/**
 * Thin controller of fleet-view.fxml: binds the table to a {@link FleetViewModel} and shows the device
 * panels it says (all of them up to three devices, else the selected one). The window hands it each
 * device panel as it makes it.
 */
public final class FleetController {

    /** Rows the table shows before it scrolls. */
    static final int VISIBLE_ROWS = 12;
    private static final double ROW_HEIGHT = 24;

    @FXML VBox fleet;
    @FXML Label title;
    @FXML TableView<FleetRow> table;
    @FXML TableColumn<FleetRow, String> deviceColumn;
    @FXML TableColumn<FleetRow, String> versionColumn;
    @FXML TableColumn<FleetRow, String> stateColumn;
    @FXML TableColumn<FleetRow, FleetRow> outcomeColumn;
    @FXML TableColumn<FleetRow, String> verdictColumn;
    @FXML TableColumn<FleetRow, String> powerColumn;
    @FXML TableColumn<FleetRow, String> progressColumn;

    private FleetViewModel model;
    private final Map<String, Node> panels = new LinkedHashMap<>();

    /** Loads the fleet view and puts it first in {@code devices} (the window's column of device panels). */
    static FleetController attach(Pane devices, I18n i18n) {
        FXMLLoader loader = new FXMLLoader(FleetController.class.getResource("fleet-view.fxml"));
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("fleet-view.fxml could not be loaded", e);
        }
        FleetController c = loader.getController();
        c.init(new FleetViewModel(i18n, Platform::runLater), i18n);
        devices.getChildren().add(0, c.fleet);
        return c;
    }

    void init(FleetViewModel model, I18n i18n) {
        this.model = model;
        I18nBinder.bind(fleet, i18n);
        title.textProperty().bind(model.titleProperty());
        fleet.visibleProperty().bind(model.compactProperty());
        fleet.managedProperty().bind(model.compactProperty());
        table.setItems(model.rows());
        table.setFixedCellSize(ROW_HEIGHT);
        // As tall as its rows, up to VISIBLE_ROWS; then it scrolls and the selected panel stays in reach.
        table.prefHeightProperty().bind(Bindings.createDoubleBinding(
                () -> ROW_HEIGHT * (Math.min(VISIBLE_ROWS, Math.max(1, model.rows().size())) + 1.4), model.rows()));
        table.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        text(deviceColumn, r -> new javafx.beans.property.ReadOnlyStringWrapper(r.deviceId()));
        text(versionColumn, FleetRow::versionProperty);
        text(stateColumn, FleetRow::stateProperty);
        text(verdictColumn, FleetRow::verdictProperty);
        text(powerColumn, FleetRow::powerProperty);
        text(progressColumn, FleetRow::progressProperty);
        deviceColumn.setCellFactory(col -> styled("fleet-device"));
        for (TableColumn<FleetRow, String> c : java.util.List.of(versionColumn, stateColumn, verdictColumn, powerColumn,
                progressColumn)) {
            c.setCellFactory(col -> styled("fleet-cell"));
        }
        outcomeColumn.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue()));
        outcomeColumn.setCellFactory(col -> new OutcomeCell());
        table.getSelectionModel().selectedItemProperty().addListener((o, a, row) -> {
            if (row != null) {
                model.select(row.deviceId());
            }
        });
        model.selectedProperty().addListener((o, a, id) -> {
            showPanels();
            model.row(id).ifPresent(r -> {
                if (table.getSelectionModel().getSelectedItem() != r) {
                    table.getSelectionModel().select(r);
                }
            });
        });
        model.compactProperty().addListener((o, a, b) -> showPanels());
    }

    private static void text(TableColumn<FleetRow, String> column, Function<FleetRow, ObservableValue<String>> value) {
        column.setCellValueFactory(c -> value.apply(c.getValue()));
    }

    private static TableCell<FleetRow, String> styled(String styleClass) {
        TableCell<FleetRow, String> cell = new TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                // A narrow column cuts a long value (a verdict code, an armed cut): whole in the tooltip.
                setTooltip(empty || item == null || item.isEmpty() ? null : new javafx.scene.control.Tooltip(item));
            }
        };
        cell.getStyleClass().add(styleClass);
        return cell;
    }

    /** The outcome's word in the banner's colour; it follows the row as the device's outcome changes. */
    private static final class OutcomeCell extends TableCell<FleetRow, FleetRow> {
        private FleetRow shown;
        private final javafx.beans.InvalidationListener restyle = o -> show();

        @Override
        protected void updateItem(FleetRow row, boolean empty) {
            super.updateItem(row, empty);
            if (shown != null) {
                shown.kindProperty().removeListener(restyle);
                shown.outcomeProperty().removeListener(restyle);
            }
            shown = empty ? null : row;
            if (shown != null) {
                shown.kindProperty().addListener(restyle);
                shown.outcomeProperty().addListener(restyle);
            }
            show();
        }

        private void show() {
            for (OutcomeViewModel.Kind k : OutcomeViewModel.Kind.values()) {
                getStyleClass().remove("fleet-" + k.styleClass());
            }
            if (shown == null) {
                setText(null);
                return;
            }
            setText(shown.outcomeProperty().get());
            getStyleClass().add("fleet-" + shown.kindProperty().get().styleClass());
        }
    }

    /** Lists a device and its full panel (FX thread); the panel shows or hides as the fleet view says. */
    void track(String deviceId, DeviceViewModel device, Node panel) {
        panels.put(deviceId, panel);
        model.track(deviceId, device);
        showPanels();
    }

    /** Forgets a device whose panel the window removed (FX thread). */
    void untrack(String deviceId) {
        panels.remove(deviceId);
        model.untrack(deviceId);
        showPanels();
    }

    private void showPanels() {
        panels.forEach((id, panel) -> {
            boolean shown = model.panelShown(id);
            panel.setVisible(shown);
            panel.setManaged(shown);
        });
    }

    FleetViewModel model() {
        return model;
    }

    VBox view() {
        return fleet;
    }
}
