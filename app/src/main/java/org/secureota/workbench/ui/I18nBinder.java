package org.secureota.workbench.ui;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;

/**
 * Binds the texts of an FXML view to the bundle, so a language switch relabels the open window.
 * A view names its keys in each node's properties: {@code <properties i18n="server.title"/>} for the
 * text, {@code i18nPrompt} for a prompt text, {@code i18nTip} for a tooltip.
 */
final class I18nBinder {

    static final String TEXT = "i18n";
    static final String PROMPT = "i18nPrompt";
    static final String TIP = "i18nTip";

    private I18nBinder() {
    }

    static void bind(Node node, I18n i18n) {
        Object key = node.getProperties().get(TEXT);
        if (key != null) {
            if (node instanceof TitledPane t) {
                t.textProperty().bind(i18n.text(key.toString()));
            } else if (node instanceof Labeled l) {
                l.textProperty().bind(i18n.text(key.toString()));
            }
        }
        Object prompt = node.getProperties().get(PROMPT);
        if (prompt != null && node instanceof TextInputControl t) {
            t.promptTextProperty().bind(i18n.text(prompt.toString()));
        }
        Object tip = node.getProperties().get(TIP);
        if (tip != null) {
            Tooltip tooltip = new Tooltip();
            tooltip.textProperty().bind(i18n.text(tip.toString()));
            Tooltip.install(node, tooltip);
        }
        if (node instanceof MenuBar bar) {
            bar.getMenus().forEach(m -> bindItem(m, i18n));
        }
        if (node instanceof TabPane tabs) {
            for (Tab tab : tabs.getTabs()) {
                Object k = tab.getProperties().get(TEXT);
                if (k != null) {
                    tab.textProperty().bind(i18n.text(k.toString()));
                }
                if (tab.getContent() != null) {
                    bind(tab.getContent(), i18n);
                }
            }
        }
        if (node instanceof TableView<?> table) {
            for (TableColumn<?, ?> column : table.getColumns()) {
                Object k = column.getProperties().get(TEXT);
                if (k != null) {
                    column.textProperty().bind(i18n.text(k.toString()));
                }
            }
        }
        if (node instanceof TitledPane t && t.getContent() != null) {
            bind(t.getContent(), i18n);
        }
        if (node instanceof ScrollPane s && s.getContent() != null) {
            bind(s.getContent(), i18n);
        }
        if (node instanceof SplitPane s) {
            s.getItems().forEach(n -> bind(n, i18n));
        }
        if (node instanceof ToolBar t) {
            t.getItems().forEach(n -> bind(n, i18n));
        }
        if (node instanceof Parent p && !(node instanceof SplitPane) && !(node instanceof ToolBar)) {
            p.getChildrenUnmodifiable().forEach(n -> bind(n, i18n));
        }
    }

    private static void bindItem(MenuItem item, I18n i18n) {
        Object key = item.getProperties().get(TEXT);
        if (key != null) {
            item.textProperty().bind(i18n.text(key.toString()));
        }
        if (item instanceof Menu m) {
            m.getItems().forEach(i -> bindItem(i, i18n));
        }
    }
}
