package org.secureota.workbench.ui;

import javafx.scene.Node;
import javafx.scene.control.SplitPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Where the demo script's strip goes. On the bench it spans the window above the panels. On stage it sits
 * above the attacker, right of the device: the device column keeps the window's whole height, so the
 * outcome banner stays in sight at 1280x720 while a script's narration and step list show (above the
 * panels they took a third of the height and pushed the banner below the fold).
 */
final class ScenarioPlacement {

    private final BorderPane root;
    private final SplitPane mainSplit;
    private final SplitPane upperSplit;
    /** On stage: the strip above the attacker panel, as the upper split's last item. */
    private final VBox stageColumn = new VBox();

    ScenarioPlacement(BorderPane root, SplitPane mainSplit, SplitPane upperSplit) {
        this.root = root;
        this.mainSplit = mainSplit;
        this.upperSplit = upperSplit;
        stageColumn.getStyleClass().add("stage-column");
    }

    /**
     * Lays out {@code strip} (null: no script strip) and {@code attacker} (null: no attacker panel yet) for the
     * bench or the stage. The caller sets the split's dividers afterwards.
     */
    void place(Node strip, Node attacker, boolean stage) {
        upperSplit.getItems().remove(stageColumn);
        stageColumn.getChildren().clear();
        if (strip != null && strip.getParent() instanceof Pane p) {
            p.getChildren().remove(strip);
        }
        if (stage && strip != null) {
            if (attacker != null) {
                upperSplit.getItems().remove(attacker);
                VBox.setVgrow(attacker, Priority.ALWAYS);
                stageColumn.getChildren().addAll(strip, attacker);
            } else {
                stageColumn.getChildren().add(strip);
            }
            upperSplit.getItems().add(stageColumn);
            root.setCenter(mainSplit);
            return;
        }
        if (attacker != null && !upperSplit.getItems().contains(attacker)) {
            upperSplit.getItems().add(attacker);
        }
        if (strip != null) {
            VBox center = new VBox(strip, mainSplit);
            VBox.setVgrow(mainSplit, Priority.ALWAYS);
            root.setCenter(center);
        }
    }

    /** True when the upper split's last item is the stage column (the script strip over the attacker). */
    boolean onStage() {
        return upperSplit.getItems().contains(stageColumn);
    }
}
