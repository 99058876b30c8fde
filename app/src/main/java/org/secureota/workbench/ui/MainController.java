package org.secureota.workbench.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.beans.property.SimpleStringProperty;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.Source;
import org.secureota.workbench.ui.timeline.TimelineView;

/**
 * Thin controller of main.fxml and the window's composition root: it lays out the panels, routes menu items
 * and shortcuts, switches presentation mode and replay, and hands the journal's batches to the panels. Each
 * panel is its own view with its own controller and view model: {@link ServerPanelController} (server-panel.fxml),
 * {@link TimelinePanelController} (timeline-panel.fxml), {@link DevicePanels} (a device-panel.fxml per device),
 * {@link AttackerPanelController} (attacker-panel.fxml) and {@link AttackMenu} ({@link AttackMenuViewModel}),
 * {@link ScenarioPanelController} and {@link ScriptChooser}, and
 * {@link ReplayViewModel}. What the buttons do goes to {@link LabActions} and {@link DeviceActions}.
 */
public final class MainController {

    @FXML BorderPane root;
    @FXML VBox chromeTop;
    @FXML MenuBar menuBar;
    @FXML MenuItem exportItem;
    @FXML MenuItem liveItem;
    @FXML MenuItem deployItem;
    @FXML MenuItem checkItem;
    @FXML MenuItem resetDemoItem;
    @FXML javafx.scene.control.Menu attackMenu;
    @FXML MenuItem powerOnItem;
    @FXML MenuItem resetItem;
    @FXML MenuItem powerCutItem;
    @FXML MenuItem armNextItem;
    @FXML MenuItem disarmAllItem;
    @FXML CheckMenuItem presentationItem;
    @FXML CheckMenuItem darkItem;
    @FXML RadioMenuItem englishItem;
    @FXML RadioMenuItem frenchItem;
    @FXML SplitPane mainSplit;
    @FXML SplitPane upperSplit;
    /** The server panel (server-panel.fxml) and its controller. */
    @FXML ScrollPane serverScroll;
    @FXML ServerPanelController serverScrollController;
    @FXML HBox stageBar;
    @FXML Button stageDeployButton;
    @FXML Button stageCheckButton;
    @FXML ScrollPane devicesScroll;
    @FXML VBox devices;
    /** The timeline (timeline-panel.fxml) and its controller. */
    @FXML BorderPane timelinePane;
    @FXML TimelinePanelController timelinePaneController;
    @FXML HBox statusBar;
    @FXML Label statusText;

    private I18n i18n;
    private Notifier notifier;
    private SessionFiles files;
    private final PulseQueue<Fed> journalQueue = new PulseQueue<>(20_000, this::onFed);
    /**
     * Which session's events the window shows: bumped when it moves to another session, so that events the
     * previous one queued (a busy script leaves thousands) never draw its devices' lanes into the next one.
     */
    private volatile long feed;

    /** A journal event and the feed it came in on. */
    private record Fed(long feed, JournalEvent event) {
    }
    /** The device column: a panel per device. */
    private DevicePanels devicePanels;
    private LabActions lab;
    private final SimpleStringProperty status = new SimpleStringProperty(this, "status", "");
    private final AtomicLong eventsSeen = new AtomicLong();

    private AttackerViewModel attacker;
    /** The attacker panel (attacker-panel.fxml), right of the devices; null until a lab shows its attacker. */
    private AttackerPanelController attackerPanel;
    private FleetController fleet;

    /** The past session on screen, if any: its events, and what the devices showed at the cursor. */
    private final ReplayViewModel replayModel = new ReplayViewModel(
            java.util.concurrent.ForkJoinPool.commonPool(), Platform::runLater);

    void init(I18n i18n) {
        this.i18n = i18n;
        this.notifier = new Notifier(root, i18n);
        this.files = new SessionFiles(i18n, notifier, () -> lab, () -> root.getScene().getWindow(),
                (key, arg) -> setStatus(key, arg));
        I18nBinder.bind(root, i18n);
        fleet = FleetController.attach(devices, i18n);
        statusText.textProperty().bind(status);
        serverScrollController.init(i18n, notifier, liveControls, this::deployNext, this::deployChosen);
        timelinePaneController.init(i18n, this::followReplay);
        devicePanels = new DevicePanels(devices, i18n, notifier, (id, panel) -> {
            fleet.track(id, panel.model(), panel.view());
            // A panel made while presentation mode is on (a script's new lab) hides its bench parts too.
            showChrome(panel.view(), !presentation());
        }, fleet::untrack);
        // Secure and weakened side by side: the device column takes the room of two panels.
        devicePanels.sideBySideProperty().addListener((o, a, b) -> layoutUpperSplit());
        englishItem.setSelected(i18n.getLocale().equals(Locale.ENGLISH));
        frenchItem.setSelected(i18n.getLocale().equals(Locale.FRENCH));
        englishItem.setOnAction(e -> i18n.setLocale(Locale.ENGLISH));
        frenchItem.setOnAction(e -> i18n.setLocale(Locale.FRENCH));
        i18n.localeProperty().addListener((o, a, b) -> {
            englishItem.setSelected(b.equals(Locale.ENGLISH));
            frenchItem.setSelected(b.equals(Locale.FRENCH));
        });
        presentationItem.selectedProperty().addListener((o, a, b) -> setPresentation(b));
        darkItem.selectedProperty().addListener((o, a, b) -> Themes.apply(root.getScene(), b));
        i18n.localeProperty().addListener((o, a, b) -> {
            if (!statusKey.isEmpty()) {
                setStatus(statusKey, statusArgs);
            }
        });
        setLab(null);
        journalQueue.start();
    }

    // ---- what the lab feeds in ----

    /** Any thread: a journal event for the timeline, the request table and the consoles. */
    public void offer(JournalEvent e) {
        journalQueue.offer(new Fed(feed, e));
    }

    /** The current feed: a lab subscribes its journal with it ({@link #offer(long, JournalEvent)}). */
    long feed() {
        return feed;
    }

    /** Any thread: an event of the session fed on {@code fromFeed}; dropped once the window moved on. */
    void offer(long fromFeed, JournalEvent e) {
        journalQueue.offer(new Fed(fromFeed, e));
    }

    private void onFed(List<Fed> fed) {
        long current = feed;
        List<JournalEvent> batch = new ArrayList<>(fed.size());
        for (Fed f : fed) {
            if (f.feed() == current) {
                batch.add(f.event());
            }
        }
        if (!batch.isEmpty()) {
            onEvents(batch);
        }
    }

    /** The batch of one pulse (FX thread). */
    private void onEvents(List<JournalEvent> batch) {
        if (replayModel.replaying()) {
            return;
        }
        eventsSeen.addAndGet(batch.size());
        timelineModel().addLive(batch);
        Map<String, List<String>> console = new HashMap<>();
        List<JournalEvent> newRequests = new ArrayList<>();
        for (JournalEvent e : batch) {
            if (e.deviceId() != null && (EventType.SERIAL_RX.wireName().equals(e.type()) || EventType.SERIAL_TX.wireName().equals(e.type()))) {
                String prefix = EventType.SERIAL_TX.wireName().equals(e.type()) ? "> " : "";
                console.computeIfAbsent(e.deviceId(), k -> new ArrayList<>()).add(prefix + e.message());
            } else if ("http.request".equals(e.type())) {
                newRequests.add(e);
            } else if (e.source() == Source.ATTACKER && attacker != null) {
                attacker.journaled(e);
            } else if (EventType.SERVER_AUTH_THROTTLED.is(e)) {
                notifier.show(i18n.get("notify.authThrottled", e.fields().get("remote"), e.fields().getOrDefault(
                        "claimed_device", "*")), e.message());
            }
        }
        for (JournalEvent e : batch) {
            devicePanels.showImageTransport(e);
        }
        devicePanels.appendConsoles(console);
        server().requestLog().addFrom(newRequests);
        timeline().refresh();
    }

    /** Shows a device (FX thread), creating its panel on first sight. */
    public DeviceViewModel showDevice(String id, DeviceSnapshot snapshot, DeviceActions actions) {
        return showDevice(id, snapshot, null, actions);
    }

    /** Shows a device and its board's power (null: unknown, as in a replay); FX thread. */
    public DeviceViewModel showDevice(String id, DeviceSnapshot snapshot, org.secureota.workbench.session.BoardPower power,
                                      DeviceActions actions) {
        timelineModel().knowDevice(id);
        return devicePanels.show(id, snapshot, power, actions);
    }

    void removeDevice(String id) {
        devicePanels.remove(id);
    }

    /** The live session's devices, from its latest snapshot (FX thread): the timeline's lanes follow them. */
    void followSessionDevices(java.util.Collection<String> ids) {
        if (!replayModel.replaying() && timelineModel().followDevices(ids)) {
            timeline().refresh();
        }
    }

    /** Whether the device panels stand side by side (a weakened device is in the lab: SideBySide). */
    boolean devicesSideBySide() {
        return devicePanels.sideBySide();
    }

    Map<String, DevicePanelController> devicePanels() {
        return devicePanels.panels();
    }

    FleetController fleet() {
        return fleet;
    }

    /** The live lab's actions; null disables them (no lab yet, or a failed one). */
    void setLab(LabActions lab) {
        this.lab = lab;
        showLiveControls();
        liveItem.setDisable(true);
    }

    /**
     * Enables what acts on the live lab only when there is one and no replay is shown: a replay shows
     * what was recorded, and nothing in the window may look as if it could act on it.
     */
    private void showLiveControls() {
        replayModel.labPresentProperty().set(lab != null);
        boolean off = !replayModel.liveControlsBinding().get();
        for (MenuItem item : List.of(exportItem, deployItem, checkItem, resetDemoItem, powerOnItem, resetItem, powerCutItem)) {
            item.setDisable(off);
        }
        liveControls.set(!off);
    }

    /** True while a live lab is shown (not a replay): the server panel's buttons follow it. */
    private final javafx.beans.property.BooleanProperty liveControls = new javafx.beans.property.SimpleBooleanProperty(this, "liveControls");

    /** Shows the attacker panel, right of the devices, and lists its attacks in the Attack menu. */
    void showAttacker(AttackerViewModel model) {
        this.attacker = model;
        if (attackerPanel != null) {
            upperSplit.getItems().remove(attackerPanel.view());
        }
        // A replay arms nothing: the cards and the menu follow the live controls.
        model.liveProperty().bind(liveControls);
        // On stage the panel shows the armed card alone.
        model.stageProperty().bind(presentationItem.selectedProperty());
        attackerPanel = AttackerPanelController.load(model, i18n, notifier::error);
        upperSplit.getItems().add(attackerPanel.view());
        placeScenario();
        AttackMenu.bind(attackMenu, armNextItem, disarmAllItem, new AttackMenuViewModel(model, i18n), notifier::error);
        showLiveControls();
    }

    AttackerViewModel attacker() {
        return attacker;
    }

    /** Dividers for the panels shown: server | devices | attacker, or devices | attacker in presentation. */
    private boolean sideBySide() {
        return devicePanels != null && devicePanels.sideBySide();
    }

    private void layoutUpperSplit() {
        switch (upperSplit.getItems().size()) {
            case 3 -> upperSplit.setDividerPositions(0.26, sideBySide() ? 0.76 : 0.68);
            case 2 -> upperSplit.setDividerPositions(upperSplit.getItems().contains(serverScroll) ? 0.28
                    : sideBySide() ? 0.68 : 0.5);
            default -> { }
        }
    }

    /** Scrolls the attacker panel so that the card of {@code attackId} shows (an armed card is always in sight). */
    void revealAttack(String attackId) {
        if (attackerPanel != null) {
            attackerPanel.reveal(attackId);
        }
    }

    /** The throttle switch drives {@code throttle} (ESP32-like speed on, or off). */
    void bindThrottle(java.util.function.Function<Boolean, CompletableFuture<String>> throttle) {
        server().bindThrottle(throttle);
    }

    /** Shows a throttle set elsewhere (a played script) without setting it a second time. */
    void showThrottle(boolean on) {
        server().showThrottle(on);
    }

    private ScenarioControl scenario;

    void setScenario(ScenarioControl control) {
        this.scenario = control;
        showScenario(ScenarioPanelController.load(control.model(), i18n, control::next, control::restart, control::stop)
                .view());
    }

    ScenarioControl scenario() {
        return scenario;
    }

    @FXML
    void playScript() {
        chooseAndRun(org.secureota.workbench.scenario.RunMode.PLAY);
    }

    @FXML
    void stepScript() {
        chooseAndRun(org.secureota.workbench.scenario.RunMode.STEP);
    }

    private void chooseAndRun(org.secureota.workbench.scenario.RunMode mode) {
        if (scenario == null) {
            return;
        }
        ScenarioControl control = scenario;
        var language = ScriptChoiceViewModel.language(i18n.getLocale());
        // Reading every script (YAML, with its title and summary) is file work: off the FX thread, then the
        // chooser opens with the rows.
        CompletableFuture.supplyAsync(() -> ScriptChoiceViewModel.rows(control.scripts(), language))
                .whenComplete((rows, e) -> Platform.runLater(() -> {
                    if (e != null) {
                        control.report(e);
                    } else if (!rows.isEmpty()) {
                        ScriptChooser.open(root.getScene().getWindow(), i18n, rows,
                                script -> control.run(script, mode).whenComplete((v, err) -> control.report(err)));
                    }
                }));
    }

    @FXML
    void nextStep() {
        if (scenario != null) {
            scenario.next();
        }
    }

    @FXML
    void restartScript() {
        if (scenario != null) {
            scenario.restart();
        }
    }

    @FXML
    void stopScript() {
        if (scenario != null) {
            scenario.stop();
        }
    }

    /** Binds the server panel, and the stage bar's copy of its deploy button, to the live lab's server. */
    void bindServer(ServerViewModel model) {
        server().bind(model);
        stageDeployButton.textProperty().bind(model.deployLabelProperty());
        stageDeployButton.disableProperty().bind(server().deployButton.disableProperty());
        stageCheckButton.disableProperty().bind(liveControls.not());
    }

    ServerPanelController server() {
        return serverScrollController;
    }

    /** The status line: a bundle key and its arguments, so that it follows the language. */
    void setStatus(String key, Object... args) {
        statusKey = key;
        statusArgs = args;
        status.set(i18n.has(key) ? i18n.get(key, args) : key);
    }

    private String statusKey = "";
    private Object[] statusArgs = new Object[0];

    Notifier notifier() {
        return notifier;
    }

    TimelineView timeline() {
        return timelinePaneController.timeline();
    }

    private TimelinePanelViewModel timelineModel() {
        return timelinePaneController.model();
    }

    // ---- filters and timeline ----

    @FXML
    void fitTimeline() {
        timelinePaneController.fitTimeline();
    }

    @FXML
    void followTimeline() {
        timelinePaneController.followTimeline();
    }

    // ---- presentation, theme ----

    void setPresentation(boolean on) {
        Scene scene = root.getScene();
        if (scene != null) {
            Themes.presentation(scene, on);
        }
        for (Node n : List.of(chromeTop, timelinePane, statusBar, serverScroll)) {
            n.setVisible(!on);
            n.setManaged(!on);
        }
        stageBar.setVisible(on);
        stageBar.setManaged(on);
        showChrome(root, !on);
        if (on) {
            upperSplit.getItems().remove(serverScroll);
            mainSplit.getItems().remove(timelinePane);
        } else {
            if (!upperSplit.getItems().contains(serverScroll)) {
                upperSplit.getItems().add(0, serverScroll);
            }
            if (!mainSplit.getItems().contains(timelinePane)) {
                mainSplit.getItems().add(timelinePane);
                mainSplit.setDividerPositions(0.68);
            }
        }
        if (presentationItem.isSelected() != on) {
            presentationItem.setSelected(on);
        }
        placeScenario();
    }

    /** The script strip: above the panels on the bench, above the attacker on stage (see {@link ScenarioPlacement}). */
    private ScenarioPlacement scenarioPlacement;
    private Node scenarioStrip;

    private void placeScenario() {
        if (scenarioPlacement == null) {
            scenarioPlacement = new ScenarioPlacement(root, mainSplit, upperSplit);
        }
        scenarioPlacement.place(scenarioStrip, attackerPanel == null ? null : attackerPanel.view(), presentationItem.isSelected());
        layoutUpperSplit();
    }

    /** Shows or hides the parts under {@code parent} marked {@code chrome} (bench-only, hidden on stage). */
    private static void showChrome(Node parent, boolean show) {
        for (Node n : parent.lookupAll(".chrome")) {
            if (!n.visibleProperty().isBound() && !n.managedProperty().isBound()) {
                n.setVisible(show);
                n.setManaged(show);
            }
        }
    }

    boolean presentation() {
        return presentationItem.isSelected();
    }

    // ---- lab actions ----

    @FXML
    void deployNext() {
        if (lab == null) {
            return;
        }
        reportFailure(lab.deployNext(), "menu.lab.deployNext");
    }

    /** Deploys {@code version}, picked in the chooser beside "deploy next": any published one, older ones too. */
    void deployChosen(String version) {
        if (lab == null || version == null) {
            return;
        }
        reportFailure(lab.deploy(version), "server.deployChosen");
    }

    /** Lab > Reset demo: the lab as a fresh window shows it, so the README's first click is right again. */
    @FXML
    void resetDemo() {
        if (lab == null) {
            return;
        }
        if (attacker != null) {
            attacker.forgetJudgements();
        }
        setStatus("app.status.resetting");
        lab.resetDemo().whenComplete((v, e) -> {
            if (e != null) {
                notifier.error(i18n.get("menu.lab.resetDemo"), e);
            } else {
                Platform.runLater(() -> setStatus("app.status.reset"));
            }
        });
    }

    /** Lab > Add a real board…: the dialog that brings a USB board into the live session (AddBoardDialog). */
    @FXML
    void addRealBoard() {
        if (lab instanceof LiveSession live && live.session() != null) {
            AddBoardDialog.open(root.getScene().getWindow(), i18n, live.session());
        }
    }

    /** Lab > Add a virtual device…: a secure or weakened device beside the others (AddDeviceDialog). */
    @FXML
    void addVirtualDevice() {
        if (lab instanceof LiveSession live && live.session() != null) {
            AddDeviceDialog.open(root.getScene().getWindow(), i18n, live);
        }
    }

    @FXML
    void checkAll() {
        if (lab != null) {
            reportFailure(lab.checkAll(), "menu.lab.check");
        }
    }

    /** A lab action runs off the FX thread; its failure becomes a notification titled {@code titleKey}. */
    private void reportFailure(CompletableFuture<?> action, String titleKey) {
        action.whenComplete((v, e) -> {
            if (e != null) {
                notifier.error(i18n.get(titleKey), e);
            }
        });
    }

    private DevicePanelController firstDevice() {
        return devicePanels.first();
    }

    @FXML
    void powerOnFirst() {
        DevicePanelController d = firstDevice();
        if (d != null) {
            d.powerOn();
        }
    }

    @FXML
    void resetFirst() {
        DevicePanelController d = firstDevice();
        if (d != null) {
            d.reset();
        }
    }

    @FXML
    void powerCutFirst() {
        DevicePanelController d = firstDevice();
        if (d != null) {
            d.powerCut();
        }
    }

    @FXML
    void exportSession() {
        files.exportSession();
    }

    /** Exports the live session into {@code zip} (the dialog's answer). */
    CompletableFuture<Path> export(Path zip) {
        return files.export(zip);
    }

    @FXML
    void exportCapture() {
        files.exportCapture();
    }

    // ---- replay ----

    @FXML
    void openReplay() {
        Path file = files.choosePastSession();
        if (file != null) {
            replay(file);
        }
    }

    /** Loads a past session's journal off the FX thread, then shows it on the timeline and the panels. */
    CompletableFuture<Void> replay(Path journal) {
        Path file = ReplayViewModel.journalFile(journal);
        return replayModel.open(file).thenAccept(events -> showReplay(file, events))
                .whenComplete((v, e) -> {
                    if (e != null) {
                        notifier.error(i18n.get("replay.failed") + " " + file, e);
                    }
                });
    }

    private void showReplay(Path file, ReplayViewModel.Replay replay) {
        timelineModel().showReplay(replay.columns(), replay.details());
        devicePanels.removeAll();
        server().requestLog().clear();
        server().requestLog().addFrom(replay.requests());
        liveItem.setDisable(false);
        showLiveControls();
        if (scenario != null) {
            scenario.model().clear();
        }
        timeline().fitAll();
        long end = timelineModel().model().lastNanos();
        timeline().cursorNanosProperty().set(end);
        followReplay(end);
        setStatus("app.status.replay", file, replay.size());
    }

    /** The device panels show the replayed devices as they were at the cursor. */
    private void followReplay(long cursor) {
        if (!replayModel.replaying() || cursor < 0) {
            return;
        }
        replayModel.devicesAt(cursor).forEach((id, s) -> showDevice(id, s, DeviceActions.NONE));
        for (Map.Entry<String, DevicePanelController> p : devicePanels.panels().entrySet()) {
            p.getValue().clearConsole();
            p.getValue().appendConsole(replayModel.consoleAt(p.getKey(), cursor));
        }
    }

    /** Forgets what the previous lab showed: a new session (a script's) comes next. */
    void resetForNewSession() {
        feed++;
        replayModel.leave();
        showLiveControls();
        timelineModel().clear();
        timeline().cursorNanosProperty().set(-1);
        devicePanels.removeAll();
        server().requestLog().clear();
        timelineModel().forgetDevices();
        timeline().followLive();
    }

    /** Shows the scenario strip above the panels. */
    void showScenario(Node strip) {
        scenarioStrip = strip;
        placeScenario();
        // A window opened in presentation mode hides the strip's bench-only parts (the pace) from the start.
        showChrome(strip, !presentation());
    }

    /** Leaves a replay: the live lab's events come back on the timeline. */
    @FXML
    void backToLive() {
        replayModel.leave();
        timelineModel().clear();
        devicePanels.removeAll();
        timeline().cursorNanosProperty().set(-1);
        liveItem.setDisable(true);
        showLiveControls();
        if (onBackToLive != null) {
            onBackToLive.run();
        }
        timeline().followLive();
    }

    private Runnable onBackToLive;

    void setOnBackToLive(Runnable r) {
        this.onBackToLive = r;
    }

    boolean replaying() {
        return replayModel.replaying();
    }

    // ---- help, quit ----

    @FXML
    void showShortcuts() {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initModality(Modality.NONE);
        a.initOwner(root.getScene().getWindow());
        a.setTitle(i18n.get("shortcut.title"));
        a.setHeaderText(i18n.get("shortcut.title"));
        StringBuilder s = new StringBuilder();
        collectShortcuts(menuBar.getMenus(), s);
        a.setContentText(s.toString());
        a.show();
    }

    private static void collectShortcuts(List<? extends MenuItem> items, StringBuilder s) {
        for (MenuItem item : items) {
            if (item instanceof javafx.scene.control.Menu m) {
                collectShortcuts(m.getItems(), s);
            } else if (item.getAccelerator() != null) {
                s.append(item.getAccelerator().getDisplayText()).append("   ")
                        .append(item.getText().replace("_", "")).append('\n');
            }
        }
    }

    @FXML
    void quit() {
        root.getScene().getWindow().hide();
    }

    void close() {
        journalQueue.close();
    }
}
