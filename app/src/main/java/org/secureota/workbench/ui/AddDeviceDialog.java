package org.secureota.workbench.ui;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.StringConverter;
import org.secureota.workbench.device.FirmwareVariant;

/** The view of Lab > Add a virtual device (add-device.fxml): binds its fields to an {@link AddDeviceViewModel}. */
public final class AddDeviceDialog {

    @FXML private VBox root;
    @FXML private TextField deviceId;
    @FXML private ComboBox<FirmwareVariant> variant;
    @FXML private Label variantNote;
    @FXML private Label error;
    @FXML private Label outcome;
    @FXML private Button add;

    private AddDeviceViewModel model;

    /** Lab > Add a virtual device, for the live {@code session}: the dialog over {@code owner}. FX thread. */
    static Stage open(Window owner, I18n i18n, LiveSession live) {
        AddDeviceViewModel model = new AddDeviceViewModel(i18n, live::deviceIds, live::addVirtualDevice,
                javafx.application.Platform::runLater);
        return load(model, i18n).show(owner, i18n);
    }

    /** Loads the view for {@code model}; {@link #show} puts it in a window. FX thread. */
    static AddDeviceDialog load(AddDeviceViewModel model, I18n i18n) {
        AddDeviceDialog view = ModalDialogs.load("add-device.fxml");
        view.bind(model, i18n);
        return view;
    }

    private void bind(AddDeviceViewModel m, I18n i18n) {
        this.model = m;
        I18nBinder.bind(root, i18n);
        deviceId.textProperty().bindBidirectional(m.deviceIdProperty());
        variant.setItems(m.variants());
        variant.setConverter(new StringConverter<>() {
            @Override
            public String toString(FirmwareVariant v) {
                return m.describe(v);
            }

            @Override
            public FirmwareVariant fromString(String s) {
                return variant.getValue();
            }
        });
        variant.valueProperty().bindBidirectional(m.variantProperty());
        // The names follow the reader's language: the combo box asks the converter again.
        i18n.localeProperty().addListener((o, a, b) -> {
            FirmwareVariant chosen = variant.getValue();
            variant.setItems(null);
            variant.setItems(m.variants());
            variant.setValue(chosen);
        });
        variantNote.textProperty().bind(m.variantNoteProperty());
        error.textProperty().bind(m.errorProperty());
        error.visibleProperty().bind(m.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        outcome.textProperty().bind(m.outcomeProperty());
        add.disableProperty().bind(m.busyProperty());
    }

    /** Shows the dialog over {@code owner}, titled in the reader's language; returns at once. */
    Stage show(Window owner, I18n i18n) {
        return ModalDialogs.show(root, owner, i18n, "addDevice.title", 560, 300);
    }

    VBox root() {
        return root;
    }

    @FXML
    void add() {
        model.add();
    }

    @FXML
    void close() {
        ((Stage) root.getScene().getWindow()).close();
    }
}
