package org.secureota.workbench.ui;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.secureota.workbench.network.CaptureExport;

/**
 * The File menu's files: where to export the session or its capture, which past session to open. The dialogs
 * run on the FX thread; the exports run off it and report through the status line or a notification.
 */
final class SessionFiles {

    private final I18n i18n;
    private final Notifier notifier;
    private final Supplier<LabActions> lab;
    private final Supplier<Window> owner;
    private final BiConsumer<String, Object> status;

    /** {@code status} shows a message key with one argument in the status line (FX thread). */
    SessionFiles(I18n i18n, Notifier notifier, Supplier<LabActions> lab, Supplier<Window> owner,
                 BiConsumer<String, Object> status) {
        this.i18n = i18n;
        this.notifier = notifier;
        this.lab = lab;
        this.owner = owner;
        this.status = status;
    }

    /** File > Export session…: asks where (the session folder by default), then writes the zip. */
    void exportSession() {
        Path folder = sessionFolder();
        if (folder == null) {
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle(i18n.get("export.where"));
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("zip", "*.zip"));
        chooser.setInitialDirectory(folder.toFile());
        chooser.setInitialFileName(folder.getFileName() + ".zip");
        File file = chooser.showSaveDialog(owner.get());
        if (file != null) {
            export(file.toPath());
        }
    }

    /** Exports the live session into {@code zip} (the dialog's answer). */
    CompletableFuture<Path> export(Path zip) {
        LabActions l = lab.get();
        if (l == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no live lab"));
        }
        return l.export(zip).whenComplete((path, e) -> {
            if (e != null) {
                notifier.error(i18n.get("export.failed"), e);
            } else {
                Platform.runLater(() -> status.accept("export.done", path));
            }
        });
    }

    /** File > Export capture…: the session's pcapng (secrets inside), opened in Wireshark when it is installed. */
    void exportCapture() {
        Path session = sessionFolder();
        if (session == null) {
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("pcapng", "*.pcapng"));
        chooser.setInitialDirectory(session.toFile());
        chooser.setInitialFileName("capture-" + session.getFileName() + ".pcapng");
        File file = chooser.showSaveDialog(owner.get());
        if (file == null) {
            return;
        }
        CompletableFuture.supplyAsync(() -> {
            try {
                CaptureExport.export(session, file.toPath());
                return CaptureViewer.open(file.toPath());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).whenComplete((opened, e) -> {
            if (e != null) {
                notifier.error(i18n.get("capture.failed"), e);
            } else {
                Platform.runLater(() -> status.accept(opened ? "capture.wireshark" : "capture.done", file.toPath()));
            }
        });
    }

    /** File > Open past session…: an exported zip or a journal.jsonl, from the sessions folder; null if cancelled. */
    Path choosePastSession() {
        FileChooser chooser = new FileChooser();
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(i18n.get("replay.filter"), "*.zip", "*.jsonl"));
        Path folder = sessionFolder();
        if (folder != null && Files.isDirectory(folder.getParent())) {
            chooser.setInitialDirectory(folder.getParent().toFile());
        }
        File file = chooser.showOpenDialog(owner.get());
        return file == null ? null : file.toPath();
    }

    private Path sessionFolder() {
        LabActions l = lab.get();
        return l == null ? null : l.sessionFolder();
    }
}
