package org.secureota.workbench.scenario;

/**
 * Told of every change of a run. Called on the runner's own thread, in order, never under a lock;
 * a listener that throws is logged and does not stop the run. A GUI hands the snapshot to its own
 * thread (JavaFX: {@code Platform.runLater}); the runner knows nothing of any toolkit.
 */
@FunctionalInterface
public interface RunListener {
    void changed(RunSnapshot snapshot);
}
