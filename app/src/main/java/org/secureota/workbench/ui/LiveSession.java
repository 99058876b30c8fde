package org.secureota.workbench.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.secureota.workbench.attack.AttackSurface;
import org.secureota.workbench.attack.Attacker;
import org.secureota.workbench.device.CutPoint;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.JournalSubscription;
import org.secureota.workbench.journal.SessionExport;
import org.secureota.workbench.journal.SessionReport;
import org.secureota.workbench.network.CaptureExport;
import org.secureota.workbench.network.DeviceEndpoint;
import org.secureota.workbench.session.BoardSnapshot;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.SessionSnapshot;
import org.secureota.workbench.session.Subscription;
import org.secureota.workbench.session.VirtualDeviceOptions;

/**
 * Connects the window to a live {@link LabSession}: opens it off the FX thread, creates the
 * factory-fresh virtual ESP32, and feeds the window: journal events through the controller's pulse
 * queue, session snapshots through one of its own (only the newest snapshot of a pulse is shown).
 */
final class LiveSession implements LabActions {

    private final LiveSessionOptions options;
    private final MainController controller;
    private final I18n i18n;
    private final ServerViewModel server;
    private final PulseQueue<SessionSnapshot> snapshots;
    private volatile LabSession session;
    private JournalSubscription journalFeed;
    private Subscription listener;
    private final CompletableFuture<LabSession> ready = new CompletableFuture<>();
    private final AttackerViewModel attackerModel;
    private volatile DeviceEndpoint endpoint;
    private volatile Attacker attacker;
    private volatile org.secureota.workbench.session.Subscription judgements;
    private SessionSnapshot lastShown;
    /** A script's scratch lab, deleted once closed, and where its session folder is kept; null for the main lab. */
    private volatile Path scratch;
    private volatile Path keepSessionsIn;
    /** Removed when the lab is retired or closed: the window's I18n outlives every lab it showed. */
    private final javafx.beans.value.ChangeListener<Locale> relabel = (o, a, b) -> {
        if (lastShown != null) {
            show(lastShown);
        }
    };

    LiveSession(LiveSessionOptions options, MainController controller, I18n i18n) {
        this.options = options;
        this.controller = controller;
        this.i18n = i18n;
        this.server = new ServerViewModel(i18n);
        controller.bindServer(server);
        this.snapshots = new PulseQueue<>(Integer.MAX_VALUE, batch -> show(batch.get(batch.size() - 1)));
        this.attackerModel = new AttackerViewModel(i18n, java.util.concurrent.ForkJoinPool.commonPool(), Platform::runLater);
        controller.showAttacker(attackerModel);
        // A judgement published for a device (by this panel, a script or the console) reaches its banner at once.
        attackerModel.latestJudgements().addListener((javafx.collections.MapChangeListener<String, org.secureota.workbench.attack.Judgement>) c -> {
            DevicePanelController p = controller.devicePanels().get(c.getKey());
            if (p != null) {
                p.model().setJudgement(c.getMap().get(c.getKey()));
            }
        });
        i18n.localeProperty().addListener(relabel);
    }

    /**
     * This lab lives in the scratch folder {@code scratch} (a script's fresh lab): once closed, its session
     * folder moves into {@code sessions} and the scratch folder is deleted, so nothing stays in the temp folder.
     */
    void discardOnClose(Path scratch, Path sessions) {
        this.scratch = scratch;
        this.keepSessionsIn = sessions;
    }

    /** The scratch lab this lab lives in, or null (the main lab, or already deleted). */
    Path scratch() {
        return scratch;
    }

    /** Shows the lab as {@code opening} opens it (see {@link LabSession#open}); returns at once. FX thread. */
    void open(CompletableFuture<LabSession> opening) {
        controller.setStatus("app.status.opening");
        // The window's feed for this lab: once the window moves on, what this lab still journals is dropped.
        long feed = controller.feed();
        snapshots.start();
        opening.thenCompose(s -> {
            session = s;
            if (retired) {
                s.close();
                throw new IllegalStateException("the window moved on to another lab while this one opened");
            }
            journalFeed = s.journal().subscribe("workbench window", true, e -> controller.offer(feed, e));
            listener = s.addListener((before, after) -> snapshots.offer(after));
            snapshots.offer(s.snapshot());
            startAttacker(s);
            Platform.runLater(() -> {
                if (retired) {
                    return;
                }
                controller.setLab(this);
                readTimelineDetailsFrom(s);
                controller.bindThrottle(this::throttle);
                controller.setStatus("app.status.open", s.folder());
            });
            attachRecordedBoards(s);
            if (options.deviceId() == null || s.device(options.deviceId()).isPresent()) {
                return CompletableFuture.completedFuture(s);
            }
            // The window starts where the demo starts (no deployment left from an earlier session, nothing
            // armed): the README's first click, Deploy V2.0.0, is then always right.
            // Its LCD speaks the window's language (or --lcd-lang), set in its factory data.
            return makeWindowDevice(s, options, i18n.getLocale()).thenApply(d -> s);
        }).whenComplete((s, e) -> {
            if (e != null && retired) {
                ready.completeExceptionally(e);
            } else if (e != null) {
                controller.notifier().error(i18n.get("app.status.opening"), e);
                Platform.runLater(() -> controller.setStatus(String.valueOf(rootMessage(e))));
                ready.completeExceptionally(e);
            } else {
                ready.complete(s);
            }
        });
    }

    /** The window's own device, factory-fresh with V1, its LCD in the window's language (or --lcd-lang). */
    static CompletableFuture<LabDevice> makeWindowDevice(LabSession s, LiveSessionOptions options, Locale windowLocale) {
        org.secureota.workbench.device.LcdLanguage lcd = options.lcdLanguageFor(windowLocale);
        return s.resetDemo().thenCompose(v -> s.createVirtualDevice(options.deviceId(), LabSessionDefaults.PRODUCT,
                VirtualDeviceOptions.factoryFreshV1().withLcdLanguage(lcd)));
    }

    /** The real boards brought into this lab earlier (board add, Lab > Add a real board), by their ports. */
    private void attachRecordedBoards(LabSession s) {
        var boards = org.secureota.workbench.session.LabBoards.read(s.options().lab());
        if (!boards.isEmpty()) {
            // The server panel shows the loopback URL; a board on the LAN uses the one in its factory data.
            String url = boards.values().iterator().next().url();
            Platform.runLater(() -> controller.setStatus("app.status.openForBoards", s.folder(), url));
        }
        boards.forEach((id, board) ->
                s.attachBoard(board.port()).exceptionally(e -> {
                    controller.notifier().error(i18n.get("addBoard.notAttached", id, board.port()), e);
                    return null;
                }));
    }

    /** The session's attacker, on the network path between the devices and the server, in its store and its clock. */
    private void startAttacker(LabSession s) {
        attacker = s.attacker();
        endpoint = s.endpoint();
        boolean devicesBehindEndpoint = s.deviceUrl().equals(endpoint.url().toString());
        java.util.Set<AttackSurface> reachable = devicesBehindEndpoint
                ? java.util.EnumSet.allOf(AttackSurface.class) : java.util.EnumSet.of(AttackSurface.STORE, AttackSurface.TIME);
        Platform.runLater(() -> attackerModel.setAttacker(attacker, reachable));
        judgements = s.onJudgement(j -> Platform.runLater(() -> attackerModel.judged(j)));
    }

    /** Caps each connection of the device endpoint at an ESP32's Wi-Fi rate, or lifts the cap. */
    CompletableFuture<String> throttle(boolean esp32Like) {
        DeviceEndpoint ep = endpoint;
        if (ep == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the lab is still opening"));
        }
        return CompletableFuture.supplyAsync(() -> ep.throttle(esp32Like ? DeviceEndpoint.ESP32_LIKE_RATE : 0));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException)) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** Completes when the lab is open and its device created. */
    CompletableFuture<LabSession> ready() {
        return ready;
    }

    LabSession session() {
        return session;
    }

    /** Stops feeding the window at once (FX thread); {@link #close} then stops the lab. */
    void retire() {
        retired = true;
        i18n.localeProperty().removeListener(relabel);
        snapshots.close();
        if (listener != null) {
            listener.close();
        }
        if (journalFeed != null) {
            journalFeed.close();
        }
    }

    private volatile boolean retired;

    /** One snapshot a pulse at most (FX thread). */
    private void show(SessionSnapshot s) {
        // A snapshot queued before close() can still drain on the next pulse: a closed lab shows nothing.
        LabSession current = session;
        if (retired || current == null) {
            return;
        }
        lastShown = s;
        if (controller.replaying()) {
            return;
        }
        server.apply(s.server(), devicesRunning(s));
        for (Map.Entry<String, DeviceSnapshot> d : s.devices().entrySet()) {
            LabDevice device = current.device(d.getKey()).orElse(null);
            BoardSnapshot board = s.boards().get(d.getKey());
            attackerModel.deviceShows(d.getKey(), d.getValue());
            DeviceViewModel model = controller.showDevice(d.getKey(), d.getValue(), board == null ? null : board.power(),
                    device == null ? DeviceActions.NONE : actions(device));
            model.setJudgement(attackerModel.latestJudgements().get(d.getKey()));
            model.setVariant(board == null ? null : board.variant());
            if (d.getValue().version() != null) {
                StartTiming.firstDeviceShown();
            }
            model.setPower(board == null ? "—" : i18n.get("power." + board.power().name().toLowerCase(Locale.ROOT))
                    + (board.armedCut() == null ? "" : " · " + i18n.get("power.armedCut", board.armedCut())));
        }
        for (String id : new ArrayList<>(controller.devicePanels().keySet())) {
            if (!s.devices().containsKey(id)) {
                controller.removeDevice(id);
            }
        }
        // A real board is known by its port and journals under the id it reports: both name it.
        java.util.Set<String> ids = new java.util.HashSet<>(s.devices().keySet());
        s.devices().values().forEach(d -> ids.add(d.journalId()));
        controller.followSessionDevices(ids);
    }

    private static List<String> devicesRunning(SessionSnapshot s) {
        return s.devices().values().stream().map(DeviceSnapshot::version).filter(v -> v != null).toList();
    }

    /** The timeline keeps columns, not parsed events: a click on an old one reads it back from the journal. FX thread. */
    private void readTimelineDetailsFrom(LabSession s) {
        controller.timeline().model().readDetailsWith(seq -> s.journal().read(seq, seq).stream().findFirst().orElse(null));
    }

    /** After a replay: the live journal window and devices again. */
    void reshow() {
        LabSession s = session;
        if (s == null) {
            return;
        }
        readTimelineDetailsFrom(s);
        long feed = controller.feed();
        s.journal().window().forEach(e -> controller.offer(feed, e));
        snapshots.offer(s.snapshot());
        controller.setStatus("app.status.open", s.folder());
    }

    private static DeviceActions actions(LabDevice d) {
        return new DeviceActions() {
            @Override
            public CompletableFuture<Void> powerOn() {
                return d.powerOn();
            }

            @Override
            public CompletableFuture<Void> reset() {
                return d.reset();
            }

            @Override
            public CompletableFuture<Void> powerCut() {
                return d.powerCut();
            }

            @Override
            public CompletableFuture<Void> armCut(long flashOp) {
                return d.armCut(flashOp, CutPoint.HALFWAY);
            }

            @Override
            public CompletableFuture<Void> check() {
                return d.check();
            }

            @Override
            public CompletableFuture<Void> send(String rawLine) {
                return d.send(rawLine);
            }
        };
    }

    // ---- LabActions ----

    @Override
    public CompletableFuture<String> deployNext() {
        LabSession s = session;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the lab is still opening"));
        }
        SessionSnapshot snap = s.snapshot();
        String product = LabSessionDefaults.PRODUCT;
        Release next = NextRelease.after(snap.server().releases(), product,
                snap.server().deployments().products().get(product), devicesRunning(snap)).orElse(null);
        if (next == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "no published release of " + product + " is newer than the deployed one; publish one with"
                            + " './workbench server publish'"));
        }
        return s.deploy(product, next.version()).thenApply(Release::version);
    }

    @Override
    public CompletableFuture<String> deploy(String version) {
        LabSession s = session;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the lab is still opening"));
        }
        return s.deploy(LabSessionDefaults.PRODUCT, version).thenApply(Release::version);
    }

    @Override
    public CompletableFuture<Void> resetDemo() {
        LabSession s = session;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the lab is still opening"));
        }
        return s.resetDemo();
    }

    /**
     * Lab > Add a virtual device: a factory-fresh V1 device of {@code variant} (a weakened lab build, or the
     * secure one), its LCD in the window's language; its panel appears with the next snapshot.
     */
    CompletableFuture<org.secureota.workbench.session.LabDevice> addVirtualDevice(String id,
            org.secureota.workbench.device.FirmwareVariant variant) {
        LabSession s = session;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the lab is still opening"));
        }
        org.secureota.workbench.device.LcdLanguage lcd = options.lcdLanguageFor(i18n.getLocale());
        return s.createVirtualDevice(id, LabSessionDefaults.PRODUCT,
                VirtualDeviceOptions.factoryFreshV1().withLcdLanguage(lcd).withVariant(variant));
    }

    /** The ids of the session's devices (empty while it opens). */
    java.util.List<String> deviceIds() {
        LabSession s = session;
        return s == null ? java.util.List.of() : s.devices().stream().map(org.secureota.workbench.session.LabDevice::id).toList();
    }

    @Override
    public CompletableFuture<Void> checkAll() {
        LabSession s = session;
        return s == null ? CompletableFuture.completedFuture(null) : s.checkAll();
    }

    @Override
    public CompletableFuture<Path> export(Path target) {
        LabSession s = session;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the lab is still opening"));
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                if (CaptureExport.hasCapture(s.folder())) {
                    // The report links it; the zip carries it.
                    CaptureExport.export(s.folder(), s.folder().resolve(SessionReport.CAPTURE_FILE));
                }
                SessionExport.export(s.folder(), target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return target;
        });
    }

    @Override
    public Path sessionFolder() {
        LabSession s = session;
        return s == null ? null : s.folder();
    }

    /** Stops the lab; waits a few seconds at most so that closing the window never hangs. */
    void close() {
        i18n.localeProperty().removeListener(relabel);
        snapshots.close();
        if (listener != null) {
            listener.close();
        }
        if (journalFeed != null) {
            journalFeed.close();
        }
        if (judgements != null) {
            judgements.close();
        }
        // The session owns the attacker and the endpoint: closing it disarms every attack and stops both.
        attacker = null;
        endpoint = null;
        LabSession s = session;
        session = null;
        if (s != null) {
            try {
                CompletableFuture.runAsync(s::close).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // The lab's own close journals and kills its boards; a slow one must not keep the window.
                System.err.println("The lab did not close cleanly: " + e.getMessage());
            }
        }
        discardScratch(s);
    }

    private void discardScratch(LabSession s) {
        Path dir = scratch;
        scratch = null;
        if (dir == null) {
            return;
        }
        try {
            if (s != null && java.nio.file.Files.isDirectory(s.folder())) {
                org.secureota.workbench.scenario.ScenarioRun.keep(s.folder(), keepSessionsIn);
            }
        } catch (RuntimeException e) {
            System.err.println("The script's session could not be kept: " + e.getMessage());
        } finally {
            org.secureota.workbench.scenario.ScenarioRun.deleteQuietly(dir);
        }
    }
}
