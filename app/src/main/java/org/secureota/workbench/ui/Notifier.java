package org.secureota.workbench.ui;

import java.io.PrintWriter;
import java.io.StringWriter;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.TextArea;
import javafx.stage.Modality;
import javafx.util.Duration;
import org.controlsfx.control.action.Action;
import org.controlsfx.control.Notifications;

/**
 * Errors as non-modal ControlsFX notifications: one line saying what happened and what to do, and a
 * "Details" action that opens the full cause in a window that does not block the workbench.
 * Callable from any thread.
 */
final class Notifier {

    private final Node owner;
    private final I18n i18n;

    Notifier(Node owner, I18n i18n) {
        this.owner = owner;
        this.i18n = i18n;
    }

    void error(String what, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root != root.getCause()
                && (root instanceof java.util.concurrent.CompletionException || root instanceof java.util.concurrent.ExecutionException)) {
            root = root.getCause();
        }
        String text = what + ": " + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
        StringWriter trace = new StringWriter();
        root.printStackTrace(new PrintWriter(trace));
        show(text, trace.toString());
    }

    void show(String text, String details) {
        Platform.runLater(() -> {
            Notifications n = Notifications.create()
                    .title(i18n.get("notify.error"))
                    .text(text)
                    .owner(owner.getScene() == null ? null : owner.getScene().getWindow())
                    .hideAfter(Duration.seconds(12));
            if (details != null && !details.isBlank()) {
                n = n.action(new Action(i18n.get("notify.details"), e -> showDetails(text, details)));
            }
            n.showError();
        });
    }

    private void showDetails(String text, String details) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.initModality(Modality.NONE);
        if (owner.getScene() != null) {
            alert.initOwner(owner.getScene().getWindow());
        }
        alert.setTitle(i18n.get("notify.details"));
        alert.setHeaderText(text);
        TextArea area = new TextArea(details);
        area.setEditable(false);
        area.getStyleClass().add("event-details");
        alert.getDialogPane().setContent(area);
        alert.show();
    }
}
