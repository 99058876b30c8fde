package org.secureota.workbench.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.session.SessionTestSupport.WAIT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.device.FactoryData;
import org.secureota.workbench.device.LcdLanguage;

/**
 * The LCD language reaches the real firmware on the virtual board through its factory data: two boards of
 * one session, one made with {@code lcd_lang} en and one without, each check the server with nothing newer
 * deployed; the firmware's own "up to date" screen is in English on one and in French on the other.
 */
@Timeout(300)
@Tag("e2e")
class LcdLanguageBoardTest {

    @TempDir
    Path root;

    @Test
    void aBoardMadeWithLcdLangEnShowsEnglishTextsAndOneWithoutShowsFrench() throws Exception {
        SessionTestSupport.requireBoard();
        try (LabSession session = LabSession.openAndWait(SessionTestSupport.options(root))) {
            LabDevice en = session.createVirtualDevice("lab-en", LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1().withLcdLanguage(LcdLanguage.EN)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            LabDevice fr = session.createVirtualDevice("lab-fr", LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            en.model().await(SessionTestSupport::v1Running, WAIT, "V1 running (en)");
            fr.model().await(SessionTestSupport::v1Running, WAIT, "V1 running (fr)");
            assertThat(FactoryData.parse(Files.readAllBytes(root.resolve("devices/lab-en/factory.bin"))).lcdLanguage())
                    .isEqualTo(LcdLanguage.EN);
            assertThat(FactoryData.parse(Files.readAllBytes(root.resolve("devices/lab-fr/factory.bin"))).lcdLanguage())
                    .isNull();
            en.check();
            fr.check();
            en.model().await(s -> s.lcd().row(0).startsWith("UP TO DATE"), WAIT, "English 'UP TO DATE' on the LCD");
            fr.model().await(s -> s.lcd().row(0).startsWith("A JOUR"), WAIT, "French 'A JOUR' on the LCD");
        }
    }
}
