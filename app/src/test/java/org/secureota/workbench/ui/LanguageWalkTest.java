package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.ui.FxSupport.onFx;
import static org.secureota.workbench.ui.FxSupport.waitFor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Control;
import javafx.scene.control.Labeled;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableColumnBase;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.session.SessionSetup;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.junit.jupiter.api.Tag;

/**
 * The whole window in French, walked node by node (every panel, every attack card with its parameters,
 * the timeline's and flash map's canvas words, menus, tooltips, the shortcuts dialog): no English word
 * may be left. Then, at 1280x720, no button or label is cut short, in French and in English.
 *
 * <p>English is recognised by a list of English UI words that French does not share; codes
 * (TLS_CERT_UNTRUSTED, HTTP), numbers, paths and proper names (Conscrypt, shop-display) pass.
 */
@ExtendWith(ApplicationExtension.class)
@Tag("e2e")
class LanguageWalkTest {

    /** English words of this UI that are not also French words. */
    static final Set<String> ENGLISH = Set.copyOf(List.of("the", "and", "of", "with", "by", "for", "from", "is", "not", "no", "yes",
            "running", "next", "boot", "device", "devices", "server", "attack", "attacks", "attacker", "check", "now",
            "power", "cut", "reset", "update", "updates", "valid", "invalid", "pending", "verify", "new", "aborted",
            "undefined", "bytes", "after", "repeat", "once", "every", "fixed", "random", "request", "requests", "status",
            "published", "releases", "release", "deployments", "last", "timeline", "events", "click", "drag", "scrub",
            "follow", "fit", "contains", "all", "serial", "resisted", "secure", "shows", "stopped", "expected", "seen",
            "still", "changed", "served", "speed", "show", "hide", "file", "open", "export", "lab", "quit", "help",
            "view", "theme", "dark", "light", "language", "english", "french", "play", "step", "through", "stop",
            "script", "passed", "failed", "waiting", "opening", "unknown", "nothing", "yet", "attempt", "since",
            "armed", "arm", "disarm", "rogue", "certificate", "host", "expired", "flipped", "truncated", "padded",
            "tampered", "record", "dropped", "connection", "slow", "retrieval", "endless", "replayed", "downgrade",
            "freeze", "wrong", "signing", "key", "mix", "match", "steal", "stolen", "bootloader",
            "offset", "days", "product", "other", "network", "path", "store", "time", "workbench", "what", "when",
            "which", "where", "has", "have", "was", "were", "will", "should", "must", "can", "cannot", "this", "that",
            "it", "its", "or", "but", "up", "down", "off", "at", "per", "shortcuts", "deploy", "until", "tls",
            "provider", "url", "deployed", "running", "verdict's", "wheel", "details", "type", "before",
            "field", "fields", "none", "zoom", "pan", "image's", "travelled", "offered", "decrypted", "plaintext",
            "encrypted", "cap", "like", "limit", "go", "back", "live", "past", "presentation", "mode", "method",
            "bytes_per_second", "expired_days", "alg", "to", "on", "in"));
    /** Words that look English but are the same in French, or proper names and codes shown as they are. */
    static final Set<String> ALLOWED = Set.of("url", "tls", "type", "zoom", "none", "alg", "mode", "presentation",
            "on", "in", "english");
    static final Pattern WORD = Pattern.compile("[\\p{L}][\\p{L}'’_-]*");

    @TempDir
    static Path labDir;
    private WorkbenchApp app;
    private Stage stage;
    private final Path root = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();

    @BeforeAll
    static void display() {
        FxSupport.requireDisplay();
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        app = WorkbenchApp.openOn(stage, new GuiOptions(Locale.FRENCH, false, false, null, new LiveSessionOptions(
                SessionSetup.defaults(new LabFolder(labDir)).withProjectRoot(root), "esp32-lab-01")));
    }

    @AfterEach
    void closeLab() throws Exception {
        LiveSession live = app.live();
        if (live != null) {
            CompletableFuture.runAsync(live::close).get();
        }
    }

    @Test
    void everyVisibleWordIsFrenchAndNothingIsCutAt1280x720InEitherLanguage() throws Exception {
        MainController c = app.controller();
        waitFor("the device running V1", 180_000, () -> c.devicePanels().containsKey("esp32-lab-01")
                && "1.0.0".equals(c.devicePanels().get("esp32-lab-01").version.getText()));
        onFx(() -> {
            stage.setWidth(1280);
            stage.setHeight(720);
            c.showShortcuts();
            return null;
        });
        Thread.sleep(1500); // not a wait: no state says "every window laid out again"; pulses run meanwhile
        List<String> english = onFx(LanguageWalkTest::englishWords);
        assertThat(english).as("English words left in the French window").isEmpty();
        List<String> cutFr = onFx(LanguageWalkTest::cut);
        assertThat(cutFr).as("texts cut short at 1280x720 in French").isEmpty();
        onFx(() -> {
            app.window().i18n().setLocale(Locale.ENGLISH);
            return null;
        });
        Thread.sleep(1500); // not a wait: no state says "every window laid out again"; pulses run meanwhile
        List<String> cutEn = onFx(LanguageWalkTest::cut);
        assertThat(cutEn).as("texts cut short at 1280x720 in English").isEmpty();
    }

    /** Every visible text of every open window, with where it was found. */
    static List<String> texts() {
        List<String> out = new ArrayList<>();
        for (Window w : Window.getWindows()) {
            if (w.isShowing() && w.getScene() != null) {
                walk(w.getScene().getRoot(), out);
            }
        }
        return out;
    }

    private static void walk(Node n, List<String> out) {
        if (!n.isVisible()) {
            return;
        }
        String where = n.getClass().getSimpleName() + (n.getId() == null ? "" : "#" + n.getId());
        if (n instanceof Labeled l) {
            add(out, where, l.getText());
        }
        if (n instanceof Text t) {
            add(out, where, t.getText());
        }
        if (n instanceof TextInputControl t) {
            add(out, where + " prompt", t.getPromptText());
        }
        if (n instanceof Control c && c.getTooltip() != null) {
            add(out, where + " tooltip", c.getTooltip().getText());
        }
        Tooltip installed = n instanceof Labeled l ? l.getTooltip() : null;
        if (installed != null) {
            add(out, where + " tooltip", installed.getText());
        }
        if (n.getAccessibleText() != null) {
            add(out, where + " canvas", n.getAccessibleText());
        }
        if (n instanceof TableView<?> t) {
            for (TableColumnBase<?, ?> col : t.getColumns()) {
                add(out, where + " column", col.getText());
            }
        }
        if (n instanceof MenuBar bar) {
            for (Menu m : bar.getMenus()) {
                menu(m, out);
            }
        }
        if (n instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                walk(child, out);
            }
        }
    }

    private static void menu(MenuItem item, List<String> out) {
        add(out, "MenuItem", item.getText());
        if (item instanceof Menu m) {
            for (MenuItem i : m.getItems()) {
                menu(i, out);
            }
        }
    }

    private static void add(List<String> out, String where, String text) {
        if (text != null && !text.isBlank()) {
            out.add(where + ": " + text.replace("_", ""));
        }
    }

    static List<String> englishWords() {
        Set<String> found = new LinkedHashSet<>();
        for (String t : texts()) {
            StringBuilder words = new StringBuilder();
            for (String chunk : t.substring(t.indexOf(": ") + 2).split("\\s+")) {
                String core = chunk.replaceAll("^[(«\"']+|[.,;:!?)»\"']+$", "");
                // A host name, a path, a file or a key=value is a value, not a word of the UI.
                if (!core.matches(".*[./@=\\\\].*")) {
                    words.append(core).append(' ');
                }
            }
            Matcher m = WORD.matcher(words);
            while (m.find()) {
                String w = m.group();
                if (w.contains("_") && w.equals(w.toUpperCase(Locale.ROOT))) {
                    continue; // a code: TLS_CERT_UNTRUSTED
                }
                String lower = w.toLowerCase(Locale.ROOT);
                if (ENGLISH.contains(lower) && !ALLOWED.contains(lower)) {
                    found.add("'" + w + "' in " + t);
                }
            }
        }
        return new ArrayList<>(found);
    }

    /** Buttons and labels whose text the skin shortened with an ellipsis (data values may be cut on purpose). */
    static List<String> cut() {
        List<String> out = new ArrayList<>();
        for (Window w : Window.getWindows()) {
            Scene s = w.getScene();
            if (w.isShowing() && s != null) {
                cut(s.getRoot(), out);
            }
        }
        return out;
    }

    static void cut(Node n, List<String> out) {
        if (!n.isVisible()) {
            return;
        }
        if (n instanceof Labeled l && l.getText() != null && !l.getText().isBlank() && !l.getStyleClass().contains("value")
                && !isCell(l)) {
            String full = l.getText().replace("_", "");
            for (Node child : l.getChildrenUnmodifiable()) {
                if (child instanceof Text t && t.getText() != null && !t.getText().equals(full)
                        && (t.getText().endsWith("…") || t.getText().endsWith("..."))) {
                    out.add(l.getClass().getSimpleName() + (l.getId() == null ? "" : "#" + l.getId()) + ": '" + full
                            + "' shown as '" + t.getText() + "'");
                }
            }
        }
        if (n instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                cut(child, out);
            }
        }
    }

    private static boolean isCell(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (p instanceof javafx.scene.control.IndexedCell<?>) {
                return true;
            }
        }
        return false;
    }
}
