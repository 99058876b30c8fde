package org.secureota.workbench.ui;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The lab-wide actions of the menus and the server panel, as the live lab provides them. Every call
 * returns at once; failures arrive through the future and become notifications.
 */
interface LabControl {

    /** Deploys the release after the one deployed now; completes with its version. */
    CompletableFuture<String> deployNext();

    CompletableFuture<Void> checkAll();

    /** Writes the session (journal, transcripts, HTML report) into a zip; completes with its path. */
    CompletableFuture<Path> export();

    /** The folder of the session's journal, where a replay dialog starts. */
    Path sessionFolder();
}
