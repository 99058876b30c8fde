package org.secureota.workbench.ui;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The lab-wide actions of the menus and the server panel, as the live lab provides them. Every call
 * returns at once; failures arrive through the future and become notifications.
 */
interface LabActions {

    /** Deploys the release after the one deployed now; completes with its version. */
    CompletableFuture<String> deployNext();

    /** Deploys one published release of the lab's product, whichever it is (the version chooser). */
    CompletableFuture<String> deploy(String version);

    /** Lab > Reset demo: attacks disarmed, no deployment, virtual devices factory-fresh with V1. */
    CompletableFuture<Void> resetDemo();

    CompletableFuture<Void> checkAll();

    /** Writes the session (journal, transcripts, HTML report) into the zip {@code target}; completes with it. */
    CompletableFuture<Path> export(Path target);

    /** The folder of the session's journal, where a replay dialog starts. */
    Path sessionFolder();
}
