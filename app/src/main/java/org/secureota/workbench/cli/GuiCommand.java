package org.secureota.workbench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.ui.GuiOptions;
import org.secureota.workbench.ui.LiveSessionOptions;
import org.secureota.workbench.ui.StartTiming;
import org.secureota.workbench.ui.WorkbenchApp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./workbench gui} (and {@code ./workbench} alone): the workbench window with a live lab: the
 * PKI (created if missing), the built V2 to V4 published, the OTA server running and one virtual
 * ESP32, factory-fresh with V1, powered on. With {@code --replay}, a past session instead.
 */
@Command(name = "gui", mixinStandardHelpOptions = true,
        description = "Open the workbench window with a live lab (the default when no command is given).")
final class GuiCommand implements Runnable {

    /**
     * Events the window's lab keeps parsed in memory. The timeline keeps its own columns and reads an old
     * event back from the journal file; 100,000 parsed events (the headless default) cost about 100 MB.
     */
    static final int JOURNAL_WINDOW = 10_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--replay", paramLabel = "JOURNAL",
            description = "Replay a past session (its journal.jsonl, its folder or its exported zip) instead of opening a live lab.")
    private Path replay;

    @Option(names = "--device", paramLabel = "ID", defaultValue = "esp32-lab-01",
            description = "Id of the virtual ESP32 created factory-fresh with V1 (default: ${DEFAULT-VALUE}).")
    private String deviceId;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
            description = "HTTPS port of the OTA server (default: any free port).")
    private int port;

    @Option(names = "--lang", paramLabel = "LANG", description = "Language of the window: en or fr (default: the system's).")
    private String language;

    @Option(names = "--lcd-lang", paramLabel = "LANG",
            description = "Language of the virtual devices' LCD texts: fr or en (default: the window's language).")
    private String lcdLanguage;

    @Option(names = "--dark", description = "Start with the dark theme.")
    private boolean dark;

    @Option(names = "--presentation", description = "Start in presentation mode (large fonts, no chrome).")
    private boolean presentation;

    @Option(names = "--timing", description = "Print how long each phase of the start took, up to the first device boot shown.")
    private boolean timing;

    @Override
    public void run() {
        run(spec);
    }

    void run(CommandSpec command) {
        if (timing) {
            StartTiming.enable(System.err);
        }
        if (replay != null && !Files.exists(replay)) {
            throw new UsageException("--replay " + replay + ": no such file or folder; give a session's journal.jsonl,"
                    + " its folder under sessions/ or the zip written by File > Export session");
        }
        if (language != null && !language.equals("en") && !language.equals("fr")) {
            throw new UsageException("--lang " + language + ": the window speaks en or fr");
        }
        Locale locale = language == null ? Locale.getDefault() : Locale.forLanguageTag(language);
        org.secureota.workbench.device.LcdLanguage lcd;
        try {
            lcd = lcdLanguage == null ? null : org.secureota.workbench.device.LcdLanguage.of(lcdLanguage);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--lcd-lang " + lcdLanguage + ": the LCD speaks fr or en");
        }
        LiveSessionOptions live = replay != null ? null : new LiveSessionOptions(servingBoards(
                SessionSetup.defaults(WorkbenchCli.labOf(command)).withServerPort(port)
                        .withJournalWindow(JOURNAL_WINDOW)), deviceId, lcd);
        String problem = WorkbenchApp.run(new GuiOptions(locale, dark, presentation, replay, live));
        if (problem != null) {
            throw new UsageException(problem);
        }
    }

    /** Real boards from 'board add' (or the window's Lab > Add a real board) reach the server on the LAN. */
    private SessionSetup servingBoards(SessionSetup options) {
        try {
            return org.secureota.workbench.session.LabBoards.serving(options, port);
        } catch (org.secureota.workbench.session.LabSessionException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }
}
