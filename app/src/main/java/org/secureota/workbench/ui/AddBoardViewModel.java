package org.secureota.workbench.ui;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.secureota.workbench.device.DeviceLinkException;
import org.secureota.workbench.device.SerialPortInfo;
import org.secureota.workbench.session.BoardIntake;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.LabSessionException;
import org.secureota.workbench.session.LanServer;

/**
 * Lab > Add a real board: the serial ports to choose from, the board's id, product and server URL,
 * and what came of adding it. Adding attaches the port to the live session first, so a busy,
 * forbidden or missing port is refused before anything is registered; then {@link BoardIntake}
 * registers the board and writes its factory data, as {@code board add} does. Work runs on
 * {@code work}, never the FX thread; results reach the properties through {@code fx}.
 */
final class AddBoardViewModel {

    private final I18n i18n;
    private final LabSession session;
    private final Supplier<List<SerialPortInfo>> portLister;
    private final Executor work;
    private final Executor fx;

    private final ObservableList<String> ports = FXCollections.observableArrayList();
    private final StringProperty port = new SimpleStringProperty("");
    private final StringProperty deviceId = new SimpleStringProperty("");
    private final StringProperty product = new SimpleStringProperty(LabSessionDefaults.PRODUCT);
    private final StringProperty url = new SimpleStringProperty("");
    private final BooleanProperty rotateKey = new SimpleBooleanProperty();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper outcome = new ReadOnlyStringWrapper("");

    AddBoardViewModel(I18n i18n, LabSession session, Supplier<List<SerialPortInfo>> portLister, Executor work,
                      Executor fx) {
        this.i18n = i18n;
        this.session = session;
        this.portLister = portLister;
        this.work = work;
        this.fx = fx;
        url.set(LanServer.url(LanServer.DEFAULT_PORT).orElse(""));
    }

    /** Lists the machine's serial ports again (a board plugged in since); completes once they are shown. */
    CompletableFuture<List<String>> refreshPorts() {
        return CompletableFuture.supplyAsync(() -> portLister.get().stream().map(SerialPortInfo::path).toList(), work)
                .thenApplyAsync(found -> {
                    ports.setAll(found);
                    if (port.get().isBlank() && !found.isEmpty()) {
                        port.set(found.get(0));
                    }
                    return found;
                }, fx);
    }

    /**
     * Attaches the chosen port, then brings the board in; completes with what {@link BoardIntake} did,
     * or exceptionally after {@link #errorProperty()} says why in the reader's language.
     */
    CompletableFuture<BoardIntake.Result> add() {
        String chosenPort = port.get() == null ? "" : port.get().strip();
        if (chosenPort.isEmpty()) {
            return failed(i18n.get("addBoard.error.noPort"));
        }
        String id = deviceId.get() == null ? "" : deviceId.get().strip();
        if (id.isEmpty()) {
            return failed(i18n.get("addBoard.error.noId"));
        }
        BoardIntake.Request request = new BoardIntake.Request(id, chosenPort, url.get(), product.get().strip(),
                rotateKey.get());
        error.set("");
        outcome.set("");
        busy.set(true);
        return CompletableFuture.supplyAsync(() -> bringIn(request), work).whenCompleteAsync((r, e) -> {
            busy.set(false);
            if (e == null) {
                outcome.set(describe(r));
            } else {
                error.set(explain(unwrap(e), chosenPort));
            }
        }, fx);
    }

    private BoardIntake.Result bringIn(BoardIntake.Request request) {
        // A board the lab attached already (recorded earlier, now given a new key) keeps its link.
        boolean attachedBefore = session.device(request.port()).isPresent();
        LabDevice attached = attachedBefore ? null : LabSession.join(session.attachBoard(request.port()));
        try {
            return BoardIntake.add(session.options().lab(), request);
        } catch (RuntimeException e) {
            if (attached != null) {
                // Nothing was registered: let the port go again, so the next try finds it free.
                session.removeDevice(attached.id());
            }
            throw e;
        }
    }

    private String describe(BoardIntake.Result r) {
        StringBuilder text = new StringBuilder(i18n.get("addBoard.done", r.request().id(), r.request().port(), r.url()));
        if (r.reissued()) {
            text.append('\n').append(i18n.get("addBoard.reissued", java.net.URI.create(r.url()).getHost()));
        }
        text.append("\n\n").append(i18n.get("addBoard.step.firmware")).append("\n  ").append(r.firmwareCommand());
        text.append("\n").append(i18n.get("addBoard.step.factoryData", r.factoryData().file())).append("\n  ")
                .append(r.factoryDataCommands().get(0)).append("\n  ").append(r.factoryDataCommands().get(1));
        int listening = session.server().port();
        boolean onLan = LanServer.reachableFromLan(session.options().bind());
        text.append("\n\n").append(onLan && listening == r.serverPort()
                ? i18n.get("addBoard.serverReady", r.url())
                : i18n.get("addBoard.serverRestart", session.server().baseUri(), r.url()));
        return text.toString();
    }

    /** The reader's sentence for a failure: the port's problems by name, the rest as the lab worded them. */
    String explain(Throwable e, String chosenPort) {
        DeviceLinkException link = null;
        for (Throwable t = e; t != null && link == null; t = t.getCause()) {
            link = t instanceof DeviceLinkException l ? l : null;
        }
        if (link != null) {
            return switch (link.problem()) {
                case MISSING -> i18n.get("addBoard.error.missing", chosenPort);
                case PERMISSION_DENIED -> i18n.get("addBoard.error.permission", chosenPort);
                case BUSY -> i18n.get("addBoard.error.busy", chosenPort);
                case OTHER -> i18n.get("addBoard.error.other", chosenPort, link.getMessage());
            };
        }
        return e.getMessage();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private CompletableFuture<BoardIntake.Result> failed(String why) {
        error.set(why);
        return CompletableFuture.failedFuture(new LabSessionException(why));
    }

    ObservableList<String> ports() {
        return ports;
    }

    StringProperty portProperty() {
        return port;
    }

    StringProperty deviceIdProperty() {
        return deviceId;
    }

    StringProperty productProperty() {
        return product;
    }

    StringProperty urlProperty() {
        return url;
    }

    BooleanProperty rotateKeyProperty() {
        return rotateKey;
    }

    ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    ReadOnlyStringProperty outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }
}
