package org.secureota.workbench.ui;

import java.util.List;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The comparison layout of the device column: as soon as a weakened firmware variant is in the lab, the
 * device panels stand side by side in one row (equal widths), so the audience sees the secure and the
 * weakened device meet the same attack at once; otherwise they stay one under the other, as before.
 * Presentation mode keeps the row (it only hides the bench parts). FX thread.
 */
final class SideBySide {

    /** A device panel's view and whether its firmware is a weakened variant. */
    record Panel(Region view, boolean weakened) {
    }

    private final VBox column;
    private final Supplier<List<Panel>> panels;
    private final HBox row = new HBox();
    private final javafx.beans.property.ReadOnlyBooleanWrapper active = new javafx.beans.property.ReadOnlyBooleanWrapper();

    SideBySide(VBox column, Supplier<List<Panel>> panels) {
        this.column = column;
        this.panels = panels;
        row.getStyleClass().add("side-by-side");
        row.setFillHeight(true);
    }

    /** Puts the panels in a row when one of them is weakened, else back into the column. */
    void relayout() {
        List<Panel> all = panels.get();
        boolean compare = all.size() > 1 && all.stream().anyMatch(Panel::weakened);
        if (compare) {
            for (Panel p : all) {
                if (p.view().getParent() != row) {
                    column.getChildren().remove(p.view());
                    row.getChildren().add(p.view());
                }
                HBox.setHgrow(p.view(), Priority.ALWAYS);
                // Equal shares of the row, whatever each panel's text would ask for.
                if (!p.view().prefWidthProperty().isBound()) {
                    p.view().prefWidthProperty().bind(Bindings.createDoubleBinding(
                            () -> Math.max(0, (row.getWidth() - row.getSpacing() * (row.getChildren().size() - 1))
                                    / Math.max(1, row.getChildren().size())),
                            row.widthProperty(), row.getChildren()));
                    p.view().setMinWidth(0);
                }
            }
            if (row.getParent() != column) {
                column.getChildren().add(row);
            }
            active.set(true);
        } else if (row.getParent() == column) {
            for (Panel p : all) {
                if (p.view().getParent() == row) {
                    release(p.view());
                    row.getChildren().remove(p.view());
                    column.getChildren().add(p.view());
                }
            }
            column.getChildren().remove(row);
            active.set(false);
        }
    }

    /** A panel that left the lab leaves the row too. */
    void forget(Region view) {
        if (view.getParent() == row) {
            row.getChildren().remove(view);
        }
        release(view);
    }

    private static void release(Region view) {
        view.prefWidthProperty().unbind();
        view.setPrefWidth(Region.USE_COMPUTED_SIZE);
        view.setMinWidth(Region.USE_COMPUTED_SIZE);
    }

    /** Whether the panels stand side by side now (the window then gives the device column more room). */
    boolean active() {
        return active.get();
    }

    javafx.beans.property.ReadOnlyBooleanProperty activeProperty() {
        return active.getReadOnlyProperty();
    }

    Node row() {
        return row;
    }
}
