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
import javafx.scene.control.Tooltip;
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
    @FXML Label variantBadge;
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
    @FXML Label outcomeHeadline;
    @FXML Label outcomeSentence;
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
        variantBadge.textProperty().bind(model.variantBadgeProperty());
        variantBadge.visibleProperty().bind(model.variantBadgeProperty().isNotEmpty());
        variantBadge.managedProperty().bind(variantBadge.visibleProperty());
        running.textProperty().bind(model.runningProperty());
        power.textProperty().bind(model.powerProperty());
        progress.textProperty().bind(model.progressProperty());
        image.textProperty().bind(model.imageProperty());
        lcd.screenProperty().bind(model.lcdProperty());
        led.patternProperty().bind(model.ledProperty());
        flashMap.mapProperty().bind(model.flashMapProperty());
        flashMap.runningTextProperty().bind(i18n.text("flash.running"));
        flashMap.brickedTextProperty().bind(i18n.text("flash.bricked"));
        flashMap.nextBootTextProperty().bind(i18n.text("flash.nextBoot"));
        flashMap.flashTextProperty().bind(i18n.text("flash.flash"));
        flashMap.wordsProperty().bind(javafx.beans.binding.Bindings.createObjectBinding(
                () -> (java.util.function.UnaryOperator<String>) w -> {
                    String key = "flash.word." + w.toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
                    return i18n.has(key) ? i18n.get(key) : w;
                }, i18n.bundleProperty()));
        verdictCode.textProperty().bind(model.verdictCodeProperty());
        // The code's full explanation (and the device's own detail) for those who want it.
        Tooltip explanation = new Tooltip();
        explanation.setWrapText(true);
        explanation.setMaxWidth(520);
        explanation.textProperty().bind(model.verdictExplanationProperty());
        verdictCode.setTooltip(explanation);
        OutcomeViewModel outcome = model.outcome();
        outcomeHeadline.textProperty().bind(outcome.headlineProperty());
        outcomeSentence.textProperty().bind(outcome.sentenceProperty());
        outcome.kindProperty().addListener((o, a, b) -> setTone(b));
        setTone(outcome.kindProperty().get());
        for (Label l : List.of(running, power, progress, image)) {
            Tooltip tip = new Tooltip();
            tip.textProperty().bind(l.textProperty());
            l.setTooltip(tip);
        }
        // The LCD and the flash map grow with the panel (a 1920x1080 screen gets a large LCD), in proportion
        // to its width only: nothing in them changes size when an update starts.
        lcd.prefHeightProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> Math.max(70, Math.min(280, panel.getWidth() / 4.9)), panel.widthProperty()));
        flashMap.prefHeightProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> Math.max(100, Math.min(240, panel.getWidth() / 5.2)), panel.widthProperty()));
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

    /** One colour scheme: green held or updated, amber rolled back or refused, red only for an attack that got through. */
    private void setTone(OutcomeViewModel.Kind kind) {
        for (OutcomeViewModel.Kind k : OutcomeViewModel.Kind.values()) {
            verdictBox.getStyleClass().remove(k.styleClass());
        }
        verdictBox.getStyleClass().add(kind.styleClass());
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
