package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.secureota.workbench.device.LcdLanguage;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.session.SessionSetup;

/** The LCD language of the devices the window makes: its own language, unless --lcd-lang chose one. */
@Tag("unit")
class LiveLabOptionsTest {

    private static final SessionSetup SESSION = SessionSetup.defaults(new LabFolder(Path.of("/tmp/not-opened")));

    @Test
    void withoutAChoiceTheLcdFollowsTheWindowsLanguageAtTheTimeTheDeviceIsMade() {
        LiveSessionOptions o = new LiveSessionOptions(SESSION, "esp32-lab-01");
        assertThat(o.lcdLanguageFor(Locale.FRENCH)).isEqualTo(LcdLanguage.FR);
        assertThat(o.lcdLanguageFor(Locale.ENGLISH)).isEqualTo(LcdLanguage.EN);
    }

    @Test
    void aChosenLcdLanguageWinsOverTheWindows() {
        LiveSessionOptions o = new LiveSessionOptions(SESSION, "esp32-lab-01", LcdLanguage.FR);
        assertThat(o.lcdLanguageFor(Locale.ENGLISH)).isEqualTo(LcdLanguage.FR);
    }
}
