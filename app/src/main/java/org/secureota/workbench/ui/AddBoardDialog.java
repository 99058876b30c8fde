package org.secureota.workbench.ui;

import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/** The view of Lab > Add a real board (add-board.fxml): binds its fields to an {@link AddBoardViewModel}. */
public final class AddBoardDialog {

    @FXML private VBox root;
    @FXML private ComboBox<String> port;
    @FXML private Button refresh;
    @FXML private TextField deviceId;
    @FXML private TextField product;
    @FXML private TextField url;
    @FXML private CheckBox rotateKey;
    @FXML private Label error;
    @FXML private TextArea outcome;
    @FXML private Button add;

    private AddBoardViewModel model;

    /** Lab > Add a real board, for the live {@code session}: the dialog over {@code owner}. FX thread. */
    static Stage open(Window owner, I18n i18n, org.secureota.workbench.session.LabSession session) {
        AddBoardViewModel model = new AddBoardViewModel(i18n, session,
                org.secureota.workbench.device.DeviceLink::availablePorts,
                java.util.concurrent.ForkJoinPool.commonPool(), javafx.application.Platform::runLater);
        return load(model, i18n).show(owner, i18n);
    }

    /** Loads the view for {@code model}; {@link #show} puts it in a window. FX thread. */
    static AddBoardDialog load(AddBoardViewModel model, I18n i18n) {
        AddBoardDialog view = ModalDialogs.load("add-board.fxml");
        view.bind(model, i18n);
        return view;
    }

    private void bind(AddBoardViewModel m, I18n i18n) {
        this.model = m;
        I18nBinder.bind(root, i18n);
        port.setItems(m.ports());
        port.promptTextProperty().bind(i18n.text("addBoard.portPrompt"));
        port.valueProperty().bindBidirectional(m.portProperty());
        // Typed into the editor (a pty path that no list shows) counts as chosen, without Enter.
        port.getEditor().textProperty().addListener((o, before, typed) -> m.portProperty().set(typed));
        deviceId.textProperty().bindBidirectional(m.deviceIdProperty());
        product.textProperty().bindBidirectional(m.productProperty());
        url.textProperty().bindBidirectional(m.urlProperty());
        rotateKey.selectedProperty().bindBidirectional(m.rotateKeyProperty());
        error.textProperty().bind(m.errorProperty());
        error.visibleProperty().bind(m.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        outcome.textProperty().bind(m.outcomeProperty());
        add.disableProperty().bind(m.busyProperty());
        refresh.disableProperty().bind(m.busyProperty());
        m.refreshPorts();
    }

    /** Shows the dialog over {@code owner}, titled in the reader's language; returns at once. */
    Stage show(Window owner, I18n i18n) {
        return ModalDialogs.show(root, owner, i18n, "addBoard.title", 680, 520);
    }

    VBox root() {
        return root;
    }

    @FXML
    void refresh() {
        model.refreshPorts();
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
