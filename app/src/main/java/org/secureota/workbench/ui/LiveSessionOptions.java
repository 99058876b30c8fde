package org.secureota.workbench.ui;

import org.secureota.workbench.device.LcdLanguage;
import org.secureota.workbench.session.SessionSetup;

/**
 * The live lab the window opens.
 *
 * @param session     the lab session's options (lab folder, bind address, port, releases)
 * @param deviceId    the virtual ESP32 created factory-fresh with V1 and powered on; null for none
 * @param lcdLanguage the LCD language of the virtual devices the window makes (its own and its scripts');
 *                    null: the window's language when the device is made
 */
public record LiveSessionOptions(SessionSetup session, String deviceId, LcdLanguage lcdLanguage) {

    public LiveSessionOptions(SessionSetup session, String deviceId) {
        this(session, deviceId, null);
    }

    /** The LCD language for a device made now, while the window speaks {@code windowLocale}. */
    public LcdLanguage lcdLanguageFor(java.util.Locale windowLocale) {
        return lcdLanguage != null ? lcdLanguage : LcdLanguage.forLocale(windowLocale);
    }
}
