package org.secureota.workbench.session;

/** The OTA server's state as the session sees it. */
public enum ServerStatus {
    STOPPED, STARTING, RUNNING, FAILED
}
