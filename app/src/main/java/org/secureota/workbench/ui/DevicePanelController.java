package org.secureota.workbench.ui;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.VBox;
import org.secureota.workbench.ui.widget.FlashMapView;
import org.secureota.workbench.ui.widget.LcdView;
import org.secureota.workbench.ui.widget.LedView;

/** Thin controller of device-panel.fxml: binds the view model, forwards the buttons to {@link DeviceActions}. */
public final class DevicePanelController {

    /** Lines the console keeps; the whole transcript is in the session folder. */
    static final int CONSOLE_LINES = 2_000;

    @FXML VBox panel;
    @FXML Label title;
    @FXML LedView led;
    @FXML Label version;
    @FXML Label running;
    @FXML Label power;
    @FXML Label progress;
    @FXML Label image;
    @FXML LcdView lcd;
    @FXML FlashMapView flashMap;
    @FXML Button powerOnButton;
    @FXML Button resetButton;
    @FXML Button powerCutButton;
    @FXML Button cutButton;
    @FXML Button checkButton;
    @FXML Spinner<Integer> cutOp;
    @FXML VBox verdictBox;
    @FXML Label verdictCode;
    @FXML Label verdictExplanation;
    @FXML TitledPane consolePane;
    @FXML ListView<String> console;
    @FXML TextField commandLine;

    private final ObservableList<String> consoleLines = FXCollections.observableArrayList();
    private DeviceViewModel model;
    private DeviceActions actions = DeviceActions.NONE;
    private BiConsumer<String, Throwable> onFailure = (what, e) -> { };

    void init(DeviceViewModel model, I18n i18n, DeviceActions actions, BiConsumer<String, Throwable> onFailure) {
        this.model = model;
        this.actions = actions;
        this.onFailure = onFailure;
        I18nBinder.bind(panel, i18n);
        title.textProperty().bind(model.deviceIdProperty());
        version.textProperty().bind(model.versionProperty());
        running.textProperty().bind(model.runningProperty());
        power.textProperty().bind(model.powerProperty());
        progress.textProperty().bind(model.progressProperty());
        image.textProperty().bind(model.imageProperty());
        lcd.screenProperty().bind(model.lcdProperty());
        led.patternProperty().bind(model.ledProperty());
        flashMap.mapProperty().bind(model.flashMapProperty());
        flashMap.runningTextProperty().bind(i18n.text("flash.running"));
        flashMap.nextBootTextProperty().bind(i18n.text("flash.nextBoot"));
        flashMap.flashTextProperty().bind(i18n.text("flash.flash"));
        flashMap.wordsProperty().bind(javafx.beans.binding.Bindings.createObjectBinding(
                () -> (java.util.function.UnaryOperator<String>) w -> {
                    String key = "flash.word." + w.toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
                    return i18n.has(key) ? i18n.get(key) : w;
                }, i18n.bundleProperty()));
        verdictCode.textProperty().bind(model.verdictCodeProperty());
        verdictExplanation.textProperty().bind(model.verdictExplanationProperty());
        model.verdictAlarmProperty().addListener((o, a, b) -> setAlarm(b));
        setAlarm(model.verdictAlarmProperty().get());
        console.setItems(consoleLines);
        setActions(actions);
    }

    /** What the buttons drive; a device seen before the session handed it over gets its actions later. */
    void setActions(DeviceActions actions) {
        this.actions = actions;
        for (Button b : List.of(powerOnButton, resetButton, powerCutButton, cutButton, checkButton)) {
            b.setDisable(!actions.live());
        }
        commandLine.setDisable(!actions.live());
    }

    DeviceActions actions() {
        return actions;
    }

    private void setAlarm(boolean alarm) {
        verdictBox.getStyleClass().remove("alarm");
        if (alarm) {
            verdictBox.getStyleClass().add("alarm");
        }
    }

    /** Appends serial lines (a batch from one pulse), keeping the last {@link #CONSOLE_LINES}. */
    void appendConsole(List<String> lines) {
        consoleLines.addAll(lines);
        if (consoleLines.size() > CONSOLE_LINES) {
            consoleLines.remove(0, consoleLines.size() - CONSOLE_LINES);
        }
        if (consolePane.isExpanded()) {
            console.scrollTo(consoleLines.size() - 1);
        }
    }

    void clearConsole() {
        consoleLines.clear();
    }

    DeviceViewModel model() {
        return model;
    }

    VBox view() {
        return panel;
    }

    private void run(String what, CompletableFuture<Void> action) {
        action.whenComplete((v, e) -> {
            if (e != null) {
                onFailure.accept(what, e);
            }
        });
    }

    @FXML
    void powerOn() {
        run("power on", actions.powerOn());
    }

    @FXML
    void reset() {
        run("reset", actions.reset());
    }

    @FXML
    void powerCut() {
        run("power cut", actions.powerCut());
    }

    @FXML
    void armCut() {
        run("cut at flash operation " + cutOp.getValue(), actions.armCut(cutOp.getValue()));
    }

    @FXML
    void check() {
        run("check", actions.check());
    }

    @FXML
    void send() {
        String line = commandLine.getText();
        if (line == null || line.isBlank()) {
            return;
        }
        commandLine.clear();
        run("send '" + line + "'", actions.send(line));
    }
}
