package org.secureota.workbench.ui;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.stage.Stage;
import org.secureota.workbench.session.LabSession;

/**
 * The JavaFX application: opens the window, then the live lab (or a replay) behind it, so the first
 * frame does not wait for the PKI, the server or the virtual board.
 */
public final class WorkbenchApp extends Application {

    private static final AtomicReference<GuiOptions> OPTIONS = new AtomicReference<>();
    /** The lab, started before the toolkit so that both come up at once. */
    private static final AtomicReference<CompletableFuture<LabSession>> EARLY_LAB = new AtomicReference<>();

    /** The application the toolkit started last (GuiSoakDriver plays its scripts through its window). */
    private static final AtomicReference<WorkbenchApp> STARTED = new AtomicReference<>();

    private WorkbenchWindow window;
    private LiveSession live;

    /**
     * Opens the window and blocks until it closes.
     *
     * @return a one-line reason when no window can open here (no display), else null
     */
    public static String run(GuiOptions options) {
        String problem = DisplayCheck.problem(System.getenv(), System.getProperty("os.name", ""));
        if (problem != null) {
            return problem;
        }
        problem = NativeLibraryCheck.problem(System.getenv(), System.getProperty("os.name", ""));
        if (problem != null) {
            return problem;
        }
        OPTIONS.set(options);
        if (options.live() != null) {
            CompletableFuture<LabSession> lab = LabSession.open(options.live().session());
            lab.thenRun(() -> StartTiming.mark("the lab session is open (PKI, releases, server; beside the toolkit)"));
            EARLY_LAB.set(withEarlyDevice(lab, options));
        }
        try {
            StartTiming.mark("the toolkit is starting");
            Application.launch(WorkbenchApp.class);
        } catch (RuntimeException e) {
            CompletableFuture<LabSession> lab = EARLY_LAB.getAndSet(null);
            if (lab != null) {
                lab.thenAccept(LabSession::close);
            }
            if (String.valueOf(e.getMessage()).contains("GTK")) {
                // The library is there (checked above) but would not load: one of its own dependencies is missing.
                return "The window could not open (" + e.getMessage() + "): GTK 3 is installed but did not load; reinstall"
                        + " it with: sudo apt-get install -y --reinstall libgtk-3-0   (or run the lab headless with './workbench lab')";
            }
            // GTK refuses a display it cannot open with an exception whose message says so.
            return "The window could not open (" + e.getMessage() + "): run the lab headless with './workbench lab',"
                    + " or the window under a virtual display with 'xvfb-run -a ./workbench'.";
        }
        return null;
    }

    /**
     * The window's device made as soon as the lab is open, while the toolkit still builds the window:
     * the first boot then no longer waits for the window. A failure here is left to {@link LiveSession},
     * which finds the device missing, makes it again and reports what went wrong.
     */
    private static CompletableFuture<LabSession> withEarlyDevice(CompletableFuture<LabSession> lab, GuiOptions options) {
        LiveSessionOptions live = options.live();
        if (live.deviceId() == null) {
            return lab;
        }
        return lab.thenCompose(s -> s.device(live.deviceId()).isPresent() ? CompletableFuture.completedFuture(s)
                : LiveSession.makeWindowDevice(s, live, I18n.supported(options.locale())).handle((d, e) -> s));
    }

    /** Builds the window on an already running FX toolkit (tests): call on the FX thread. */
    static WorkbenchApp openOn(Stage stage, GuiOptions options) {
        WorkbenchApp app = new WorkbenchApp();
        OPTIONS.set(options);
        app.start(stage);
        return app;
    }

    @Override
    public void start(Stage stage) {
        GuiOptions options = OPTIONS.get();
        StartTiming.mark("the toolkit is up");
        window = new WorkbenchWindow(options.locale(), options.dark());
        window.show(stage);
        STARTED.set(this);
        StartTiming.mark("the window is built and shown");
        if (StartTiming.enabled()) {
            javafx.application.Platform.runLater(() -> StartTiming.mark("the window's first frame"));
        }
        MainController c = window.controller();
        if (options.presentation()) {
            c.setPresentation(true);
        }
        if (options.replay() != null) {
            c.replay(options.replay());
        } else if (options.live() != null) {
            live = new LiveSession(options.live(), c, window.i18n());
            CompletableFuture<LabSession> early = EARLY_LAB.getAndSet(null);
            live.open(early != null ? early : LabSession.open(options.live().session()));
            c.setOnBackToLive(() -> live.reshow());
            c.setScenario(new ScenarioControl(c, window.i18n(), options.live().session(), this::switchTo,
                    options.live().lcdLanguage()));
        }
        stage.setOnHidden(e -> {
            if (live != null) {
                live.close();
            }
            c.close();
        });
    }

    /** Closes the current lab (off the FX thread) and shows {@code next} instead: a script's fresh session. */
    private void switchTo(LiveSession next) {
        LiveSession old = live;
        live = next;
        window.controller().resetForNewSession();
        if (old != null) {
            old.retire();
            CompletableFuture.runAsync(old::close);
        }
    }

    @Override
    public void stop() {
        if (live != null) {
            live.close();
        }
    }

    /** The application the toolkit started last, or null before its window is shown. */
    static WorkbenchApp started() {
        return STARTED.get();
    }

    MainController controller() {
        return window.controller();
    }

    WorkbenchWindow window() {
        return window;
    }

    LiveSession live() {
        return live;
    }
}
