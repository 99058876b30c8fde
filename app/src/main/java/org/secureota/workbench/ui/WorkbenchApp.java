package org.secureota.workbench.ui;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * The JavaFX application: opens the window, then the live lab (or a replay) behind it, so the first
 * frame does not wait for the PKI, the server or the virtual board.
 */
public final class WorkbenchApp extends Application {

    private static final AtomicReference<GuiOptions> OPTIONS = new AtomicReference<>();
    private static final AtomicReference<WorkbenchApp> RUNNING = new AtomicReference<>();
    private static volatile CountDownLatch shown = new CountDownLatch(1);

    private WorkbenchWindow window;
    private LiveLab live;

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
        OPTIONS.set(options);
        try {
            Application.launch(WorkbenchApp.class);
        } catch (RuntimeException e) {
            // GTK refuses a display it cannot open with an exception whose message says so.
            return "The window could not open (" + e.getMessage() + "): run the lab headless with './workbench lab',"
                    + " or the window under a virtual display with 'xvfb-run -a ./workbench'.";
        }
        return null;
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
        window = new WorkbenchWindow(options.locale(), options.dark());
        window.show(stage);
        MainController c = window.controller();
        if (options.presentation()) {
            c.setPresentation(true);
        }
        RUNNING.set(this);
        shown.countDown();
        if (options.replay() != null) {
            c.replay(options.replay());
        } else if (options.live() != null) {
            live = new LiveLab(options.live(), c, window.i18n());
            live.open();
            c.setOnBackToLive(live::reshow);
        }
        stage.setOnHidden(e -> {
            if (live != null) {
                live.close();
            }
            c.close();
        });
    }

    @Override
    public void stop() {
        if (live != null) {
            live.close();
        }
    }

    MainController controller() {
        return window.controller();
    }

    WorkbenchWindow window() {
        return window;
    }

    LiveLab live() {
        return live;
    }

    static void exitFx() {
        Platform.exit();
    }
}
