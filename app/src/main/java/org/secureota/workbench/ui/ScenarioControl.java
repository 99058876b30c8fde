package org.secureota.workbench.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.scenario.DemoScript;
import org.secureota.workbench.scenario.Language;
import org.secureota.workbench.scenario.RunMode;
import org.secureota.workbench.scenario.RunSnapshot;
import org.secureota.workbench.scenario.ScenarioRun;
import org.secureota.workbench.scenario.ScenarioRunner;
import org.secureota.workbench.scenario.ScriptException;
import org.secureota.workbench.scenario.SessionScenarioLab;
import org.secureota.workbench.scenario.StepAction;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.SessionSetup;

/**
 * Runs a demo script in the window: like {@code ./workbench run}, in a fresh session of a scratch
 * lab (a script declares its own devices and releases), which the window then shows live. The
 * runner's snapshots reach the panel at most once per pulse.
 */
final class ScenarioControl {

    private final MainController controller;
    private final I18n i18n;
    private final SessionSetup base;
    private final Consumer<LiveSession> switchTo;
    private final ScenarioViewModel model;
    private final PulseQueue<RunSnapshot> snapshots;
    private volatile ScenarioRunner runner;
    private Path lastScript;
    private RunMode lastMode = RunMode.PLAY;
    private final org.secureota.workbench.device.LcdLanguage lcdLanguage;

    /**
     * @param base     the live lab's options: project root, bind address, clock
     * @param switchTo closes the window's current lab and shows the given one instead
     */
    ScenarioControl(MainController controller, I18n i18n, SessionSetup base, Consumer<LiveSession> switchTo) {
        this(controller, i18n, base, switchTo, null);
    }

    /** @param lcdLanguage the LCD language of a script's devices; null: the window's language when the script starts */
    ScenarioControl(MainController controller, I18n i18n, SessionSetup base, Consumer<LiveSession> switchTo,
                    org.secureota.workbench.device.LcdLanguage lcdLanguage) {
        this.lcdLanguage = lcdLanguage;
        this.controller = controller;
        this.i18n = i18n;
        this.base = base;
        this.switchTo = switchTo;
        this.model = new ScenarioViewModel(i18n);
        this.snapshots = new PulseQueue<>(Integer.MAX_VALUE, batch -> model.apply(batch.get(batch.size() - 1)));
        snapshots.start();
        // The pace can change while a script plays: the next pause takes the new value.
        model.pauseSecondsProperty().addListener((o, a, seconds) -> {
            ScenarioRunner r = runner;
            if (r != null) {
                r.readingPause(seconds.intValue());
            }
        });
        // The narration follows the window's language mid-run (a script carries English and French texts).
        i18n.localeProperty().addListener((o, a, locale) -> {
            ScenarioRunner r = runner;
            if (r != null) {
                r.language(languageOf(locale));
            }
        });
    }

    static Language languageOf(Locale locale) {
        return locale != null && locale.getLanguage().equals(Locale.FRENCH.getLanguage()) ? Language.FR : Language.EN;
    }

    /**
     * A script played in the window downloads at an ESP32's Wi-Fi rate, so that the audience sees the
     * progress bar move, unless the presenter set the pause to 0 (full speed) or the script sweeps power
     * cuts (dozens of downloads: at that rate the sweep would outlast its step's timeout).
     */
    static boolean esp32Speed(DemoScript script, RunMode mode, int pauseSeconds) {
        return mode == RunMode.PLAY && pauseSeconds > 0
                && script.steps().stream().noneMatch(s -> s.action() instanceof StepAction.PowerCutSweep);
    }

    ScenarioViewModel model() {
        return model;
    }

    /** The demo scripts of the project, by file name. */
    List<Path> scripts() {
        Path dir = base.projectRoot().resolve("demo-scripts");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code script} (refused with its file:line:column problems), then runs it in a fresh lab. */
    CompletableFuture<RunSnapshot> run(Path script, RunMode mode) {
        DemoScript parsed;
        try {
            parsed = ScenarioRun.reader().read(script);
        } catch (ScriptException e) {
            return CompletableFuture.failedFuture(e);
        }
        stop();
        lastScript = script;
        lastMode = mode;
        Path scratch;
        try {
            scratch = Files.createTempDirectory("workbench-run-");
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        SessionSetup options = new SessionSetup(new LabFolder(scratch), base.projectRoot(), base.bind(), 0, false,
                base.journalWindow(), base.clock(), base.serverLimits(), base.publicDownloads());
        LiveSessionOptions live = new LiveSessionOptions(options, null, lcdLanguage);
        org.secureota.workbench.device.LcdLanguage lcd = live.lcdLanguageFor(i18n.getLocale());
        LiveSession lab = new LiveSession(live, controller, i18n);
        lab.discardOnClose(scratch, base.lab().sessions());
        switchTo.accept(lab);
        model.clear();
        lab.open(LabSession.open(options));
        boolean esp32Speed = esp32Speed(parsed, mode, model.pauseSecondsProperty().get());
        return lab.ready().thenCompose(session -> esp32Speed
                ? lab.throttle(true).thenApply(notice -> {
                    javafx.application.Platform.runLater(() -> controller.showThrottle(true));
                    return session;
                })
                : CompletableFuture.completedFuture(session)).thenCompose(session -> {
            ScenarioRunner r = new ScenarioRunner(parsed, new SessionScenarioLab(session, session.attacker(),
                    base.projectRoot(), lcd), mode, languageOf(i18n.getLocale()));
            r.readingPause(model.pauseSecondsProperty().get());
            r.addListener(snapshots::offer);
            snapshots.offer(r.snapshot());
            runner = r;
            return r.start();
        });
    }

    /** Step mode: the next step; play mode: leaves a pause. */
    void next() {
        ScenarioRunner r = runner;
        if (r != null) {
            r.next();
        }
    }

    void restart() {
        if (lastScript != null) {
            run(lastScript, lastMode).whenComplete((v, e) -> report(e));
        }
    }

    void stop() {
        ScenarioRunner r = runner;
        runner = null;
        if (r != null) {
            r.stop();
        }
    }

    void report(Throwable e) {
        if (e != null) {
            controller.notifier().error(i18n.get("menu.scenario"), e);
        }
    }

    ScenarioRunner runner() {
        return runner;
    }

}
