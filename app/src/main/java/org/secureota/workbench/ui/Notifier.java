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

    /** The longest notification line: a 3,000-byte console line must not make a 32,000-px toast. */
    static final int MAX_LINE = 140;

    void show(String text, String details) {
        Platform.runLater(() -> {
            // The text at most 30 % of the window wide (icon, padding and shadow add about 200 px): the toast stays
            // under half the window on any window size.
            double width = owner.getScene() == null || owner.getScene().getWindow() == null ? 500
                    : owner.getScene().getWindow().getWidth() * 0.3;
            String line = fit(oneLine(text), width);
            String full = text.equals(line) ? details : text + "\n\n" + (details == null ? "" : details);
            Notifications n = Notifications.create()
                    .title(i18n.get("notify.error"))
                    .text(line)
                    .owner(owner.getScene() == null ? null : owner.getScene().getWindow())
                    .hideAfter(Duration.seconds(12));
            if (full != null && !full.isBlank()) {
                n = n.action(new Action(i18n.get("notify.details"), e -> showDetails(line, full)));
            }
            n.showError();
            neverTakeFocus();
        });
    }

    /** One line, cut with an ellipsis at {@link #MAX_LINE} characters; the whole text is in Details. */
    static String oneLine(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").trim();
        return flat.length() <= MAX_LINE ? flat : flat.substring(0, MAX_LINE - 1) + "…";
    }

    /** {@code line}, cut with an ellipsis where it would grow wider than {@code width} in a toast's font. */
    static String fit(String line, double width) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(line);
        // ControlsFX draws the text at 1.1667em of the default font (notificationpopup.css).
        t.setFont(javafx.scene.text.Font.font(javafx.scene.text.Font.getDefault().getSize() * 1.1667));
        if (t.getLayoutBounds().getWidth() <= width) {
            return line;
        }
        int lo = 0;
        int hi = line.length();
        while (lo < hi) {
            int mid = (lo + hi + 1) / 2;
            t.setText(line.substring(0, mid) + "…");
            if (t.getLayoutBounds().getWidth() <= width) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return line.substring(0, lo) + "…";
    }

    /**
     * A popup receives the key events of its owner window: a focusable "Details" button in a toast would
     * take the Enter meant for the console's command line. The toasts' buttons are clicked, never focused.
     */
    private static void neverTakeFocus() {
        for (javafx.stage.Window w : javafx.stage.Window.getWindows()) {
            if (w instanceof javafx.stage.PopupWindow && w.getScene() != null && w.getScene().getRoot() != null) {
                Node root = w.getScene().getRoot();
                if (root.lookup(".notification-bar") != null || root.getStyleClass().contains("notification-bar")) {
                    root.lookupAll("*").forEach(x -> x.setFocusTraversable(false));
                }
            }
        }
    }

    private void showDetails(String text, String details) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.initModality(Modality.NONE);
        alert.setResizable(true);
        double width = 600;
        if (owner.getScene() != null) {
            alert.initOwner(owner.getScene().getWindow());
            // At most half the window wide: a long line scrolls inside, the Close button stays on screen.
            width = Math.max(360, owner.getScene().getWindow().getWidth() / 2);
        }
        alert.setTitle(i18n.get("notify.details"));
        alert.setHeaderText(text);
        TextArea area = new TextArea(details);
        area.setEditable(false);
        area.setWrapText(false);
        area.getStyleClass().add("event-details");
        area.setPrefWidth(width);
        area.setMaxWidth(width);
        alert.getDialogPane().setContent(area);
        alert.getDialogPane().setPrefWidth(width);
        alert.getDialogPane().setMaxWidth(width);
        alert.show();
    }
}
