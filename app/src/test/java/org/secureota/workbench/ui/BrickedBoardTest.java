package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Prerequisites;
import org.secureota.workbench.device.DeviceSnapshot;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.journal.SessionExport;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.session.VirtualDeviceOptions;
import org.secureota.workbench.ui.widget.FlashMap;

/**
 * A brick shown as a brick, through a real session and the real firmware: a {@code no-rollback} board
 * installs the genuinely signed but broken V4; its image was marked valid before its self-test, so the
 * failed self-test cannot roll back and the board boots V4 again and again. The firmware says
 * {@code BRICKED} (error and LCD), the flash map and the session report say so, and Lab > Reset demo
 * re-flashes the board, still no-rollback, back to a working V1. A secure board beside it rolls back.
 */
@Timeout(400)
@Tag("e2e")
class BrickedBoardTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private static boolean bricked(DeviceSnapshot s) {
        return s.lastError() != null && FlashMap.BRICKED.equals(s.lastError().code());
    }

    @Test
    void aNoRollbackBoardWithTheBrokenV4IsBrickedUntilResetDemoReflashesIt() throws Exception {
        Prerequisites.require(VirtualEsp32.isBuilt(ROOT), "the virtual ESP32 (" + VirtualEsp32.executable(ROOT)
                + "): run mvn package or esp32-firmware/host-build.sh");
        Path image = ROOT.resolve(VirtualEsp32.IMAGES).resolve(FirmwareVariant.NO_ROLLBACK.imagePath("v1_base"));
        Prerequisites.require(Files.isRegularFile(image), "the no-rollback factory image " + image
                + ": run mvn package or esp32-firmware/host-build.sh");
        Path sessionFolder;
        try (LabSession session = LabSession.openAndWait(SessionSetup.defaults(new LabFolder(dir.resolve("lab")))
                .withProjectRoot(ROOT))) {
            sessionFolder = session.folder();
            LabDevice secure = LabSession.join(session.createVirtualDevice("lab-secure", LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1()));
            LabDevice weak = LabSession.join(session.createVirtualDevice("lab-norb", LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1().withVariant(FirmwareVariant.NO_ROLLBACK)));
            for (LabDevice d : new LabDevice[] {secure, weak}) {
                d.model().await(s -> "1.0.0".equals(s.version()), WAIT, d.id() + " on V1");
            }
            LabSession.join(session.deploy(LabSessionDefaults.PRODUCT, "4.0.0"));
            LabSession.join(secure.check());
            LabSession.join(weak.check());

            DeviceSnapshot brick = weak.model().await(s -> bricked(s) && "4.0.0".equals(s.version()), WAIT,
                    "the no-rollback board's BRICKED error on V4");
            long bootsAtBrick = brick.boots();
            // It boots the failed V4 again, and again says BRICKED: the board no longer runs a working app.
            DeviceSnapshot again = weak.model().await(s -> s.boots() > bootsAtBrick && "4.0.0".equals(s.version())
                    && bricked(s) && s.lcd().describe().contains("BRICKED"), WAIT, "V4 booting again, still bricked");
            assertThat(String.valueOf(again.runningState())).isEqualToIgnoringCase("valid");
            FlashMap map = FlashMap.of(again);
            assertThat(map.bricked()).isTrue();
            assertThat(map.regions()).filteredOn(FlashMap.Region::running).singleElement()
                    .satisfies(r -> assertThat(r.slot().image().version()).isEqualTo("4.0.0"));
            DeviceViewModel panel = new DeviceViewModel(new I18n(Locale.ENGLISH));
            panel.apply(again);
            assertThat(panel.flashMapProperty().get().bricked()).isTrue();
            assertThat(panel.lcdProperty().get().describe()).contains("BRICKED: NO RB");

            // The secure board beside it: V4's self-test fails too, and it rolls back to V1.
            DeviceSnapshot rolledBack = secure.model().await(s -> "1.0.0".equals(s.version()) && s.boots() > 1, WAIT,
                    "the secure board rolled back to V1");
            assertThat(bricked(rolledBack)).isFalse();
            assertThat(FlashMap.of(rolledBack).bricked()).isFalse();

            // Lab > Reset demo re-flashes it, still no-rollback, working again on V1.
            LabSession.join(session.resetDemo());
            LabDevice reflashed = session.device("lab-norb").orElseThrow();
            assertThat(reflashed.variant()).isEqualTo(FirmwareVariant.NO_ROLLBACK);
            DeviceSnapshot fresh = reflashed.model().await(s -> "1.0.0".equals(s.version())
                    && "valid".equalsIgnoreCase(String.valueOf(s.runningState())), WAIT, "the re-flashed board on V1");
            assertThat(bricked(fresh)).isFalse();
            assertThat(FlashMap.of(fresh).bricked()).isFalse();
        }
        // The report of that session: the board was bricked, then re-flashed, so it ends not bricked.
        SessionExport.writeReport(sessionFolder);
        String html = Files.readString(sessionFolder.resolve(SessionExport.REPORT_FILE));
        assertThat(html).contains("<b>lab-norb</b>: WEAKENED FIRMWARE <b>NO-ROLLBACK</b>");
        assertThat(html).contains("BRICKED");
        assertThat(html).doesNotContain("<span class=\"bricked-badge\">");
    }
}
