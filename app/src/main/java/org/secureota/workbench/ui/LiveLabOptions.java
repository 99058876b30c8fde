package org.secureota.workbench.ui;

import org.secureota.workbench.session.LabSessionOptions;

/**
 * The live lab the window opens.
 *
 * @param session  the lab session's options (lab folder, bind address, port, releases)
 * @param deviceId the virtual ESP32 created factory-fresh with V1 and powered on; null for none
 */
public record LiveLabOptions(LabSessionOptions session, String deviceId) {
}
