package org.secureota.workbench.ui;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableBooleanValue;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import org.controlsfx.control.ToggleSwitch;
import org.secureota.workbench.journal.JournalEvent;

/**
 * Thin controller of server-panel.fxml: binds the panel to a {@link ServerViewModel} and a {@link RequestsViewModel};
 * its buttons call back into the window (deploy next, deploy a chosen version, the throttle).
 */
public final class ServerPanelController {

    @FXML ScrollPane serverScroll;
    @FXML VBox serverPanel;
    @FXML Label serverStatus;
    @FXML Label serverUrl;
    @FXML Label serverTls;
    @FXML Label serverProvider;
    @FXML Label serverCertificate;
    @FXML Button deployButton;
    @FXML ComboBox<String> deployChoice;
    @FXML Button deployChosenButton;
    @FXML ToggleSwitch throttleSwitch;
    @FXML ListView<String> releases;
    @FXML ListView<String> deployments;
    @FXML TableView<JournalEvent> requests;
    @FXML TableColumn<JournalEvent, String> requestMethod;
    @FXML TableColumn<JournalEvent, String> requestPath;
    @FXML TableColumn<JournalEvent, String> requestStatus;
    @FXML TableColumn<JournalEvent, String> requestBytes;
    @FXML TableColumn<JournalEvent, String> requestDevice;

    private final RequestsViewModel requestLog = new RequestsViewModel();
    private I18n i18n;
    private Notifier notifier;
    private ObservableBooleanValue liveControls;
    private Runnable onDeployNext = () -> { };
    private Consumer<String> onDeploy = v -> { };
    private ChangeListener<Boolean> throttleListener;

    /**
     * @param liveControls true while a live lab is shown (not a replay): the buttons follow it
     * @param deployNext   what "deploy next" does
     * @param deploy       what "deploy this version" does with the chosen version
     */
    void init(I18n i18n, Notifier notifier, ObservableBooleanValue liveControls, Runnable deployNext, Consumer<String> deploy) {
        this.i18n = i18n;
        this.notifier = notifier;
        this.liveControls = liveControls;
        this.onDeployNext = deployNext;
        this.onDeploy = deploy;
        Label noRequest = new Label();
        noRequest.textProperty().bind(i18n.text("server.requests.none"));
        requests.setPlaceholder(noRequest);
        requests.setItems(requestLog.rows());
        requestMethod.setCellValueFactory(c -> new SimpleStringProperty(RequestsViewModel.method(c.getValue())));
        requestPath.setCellValueFactory(c -> new SimpleStringProperty(RequestsViewModel.path(c.getValue())));
        requestStatus.setCellValueFactory(c -> new SimpleStringProperty(RequestsViewModel.status(c.getValue())));
        requestBytes.setCellValueFactory(c -> new SimpleStringProperty(RequestsViewModel.bytes(c.getValue())));
        requestDevice.setCellValueFactory(c -> new SimpleStringProperty(RequestsViewModel.device(c.getValue())));
        deployChoice.promptTextProperty().bind(i18n.text("server.deployChoice"));
        Label noDeployment = new Label();
        noDeployment.setWrapText(true);
        noDeployment.textProperty().bind(i18n.text("server.deployments.none"));
        deployments.setPlaceholder(noDeployment);
        releases.setCellFactory(list -> new FittedCell());
        deployments.setCellFactory(list -> new FittedCell());
    }

    /**
     * A row as wide as the list, never wider: a long release row is cut with an ellipsis (whole in its
     * tooltip) instead of giving the narrow server column a horizontal scroll bar (1024x700).
     */
    static final class FittedCell extends ListCell<String> {

        FittedCell() {
            // The list lays its rows out at their preferred width: 0 lets the row take the list's width only.
            setPrefWidth(0);
            setTextOverrun(javafx.scene.control.OverrunStyle.ELLIPSIS);
        }

        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty ? null : item);
            setTooltip(empty || item == null || item.isEmpty() ? null : new Tooltip(item));
        }
    }

    /** Binds the panel to the live lab's server. */
    void bind(ServerViewModel server) {
        server.runningProperty().addListener((o, a, b) -> {
            serverStatus.getStyleClass().removeAll("ok", "alarm");
            serverStatus.getStyleClass().add(b ? "ok" : "alarm");
        });
        serverUrl.textProperty().bind(server.urlProperty());
        serverTls.textProperty().bind(server.tlsProperty());
        serverProvider.textProperty().bind(server.providerProperty());
        serverCertificate.textProperty().bind(server.certificateProperty());
        // Long values (the URL, the cipher suite, the certificate) are cut in a narrow column: whole in a tooltip.
        for (Label value : List.of(serverUrl, serverTls, serverProvider, serverCertificate)) {
            Tooltip tip = new Tooltip();
            tip.textProperty().bind(value.textProperty());
            tip.setWrapText(true);
            tip.setMaxWidth(600);
            value.setTooltip(tip);
        }
        releases.setItems(server.releases());
        deployments.setItems(server.deployments());
        deployButton.textProperty().bind(server.deployLabelProperty());
        deployButton.disableProperty().bind(server.canDeployProperty().not().or(Bindings.not(liveControls)));
        deployChoice.setItems(server.versions());
        deployChosenButton.disableProperty().bind(deployChoice.valueProperty().isNull()
                .or(server.runningProperty().not()).or(Bindings.not(liveControls)));
        serverStatus.textProperty().bind(Bindings.when(liveControls).then(server.statusProperty())
                .otherwise(i18n.text("server.state.replay")));
    }

    /** The throttle switch drives {@code throttle} (ESP32-like speed on, or off). */
    void bindThrottle(Function<Boolean, CompletableFuture<String>> throttle) {
        if (throttleListener != null) {
            throttleSwitch.selectedProperty().removeListener(throttleListener);
        }
        throttleSwitch.setSelected(false);
        throttleSwitch.setDisable(false);
        throttleListener = (o, a, on) -> throttle.apply(on).whenComplete((v, e) -> {
            if (e != null) {
                notifier.error(i18n.get("server.throttle"), e);
            }
        });
        throttleSwitch.selectedProperty().addListener(throttleListener);
    }

    /** Shows a throttle set elsewhere (a played script) without setting it a second time. */
    void showThrottle(boolean on) {
        if (throttleListener != null) {
            throttleSwitch.selectedProperty().removeListener(throttleListener);
        }
        throttleSwitch.setSelected(on);
        if (throttleListener != null) {
            throttleSwitch.selectedProperty().addListener(throttleListener);
        }
    }

    RequestsViewModel requestLog() {
        return requestLog;
    }

    ScrollPane view() {
        return serverScroll;
    }

    @FXML
    void deployNext() {
        onDeployNext.run();
    }

    /** Deploys the version picked in the chooser beside "deploy next": any published one, older ones too. */
    @FXML
    void deployChosen() {
        String version = deployChoice.getValue();
        if (version != null) {
            onDeploy.accept(version);
        }
    }
}
