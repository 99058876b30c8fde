package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Prerequisites;
import org.secureota.workbench.device.FirmwareVariant;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.session.BoardSnapshot;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.SessionSetup;
import org.secureota.workbench.session.VirtualDeviceOptions;

/**
 * Lab > Add a virtual device, through its view model and without a screen, on a real lab session: a
 * missing, malformed or taken id is refused in the reader's language and nothing is made; a naive device
 * is made with the naive factory image, the session reports its variant, and the device panel's view
 * model marks it loudly (EN and FR) where the secure device's shows nothing.
 */
@Timeout(300)
@Tag("e2e")
class AddDeviceViewModelTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void aBadIdIsRefusedAndANaiveDeviceIsMadeAndMarked() throws Exception {
        Prerequisites.require(VirtualEsp32.isBuilt(ROOT), "the virtual ESP32 (" + VirtualEsp32.executable(ROOT)
                + "): run mvn package or esp32-firmware/host-build.sh");
        Path naiveImage = ROOT.resolve(VirtualEsp32.IMAGES).resolve(FirmwareVariant.NAIVE.imagePath("v1_base"));
        Prerequisites.require(Files.isRegularFile(naiveImage), "the naive factory image " + naiveImage
                + ": run mvn package or esp32-firmware/host-build.sh");
        try (LabSession session = LabSession.openAndWait(SessionSetup.defaults(new LabFolder(dir.resolve("lab")))
                .withProjectRoot(ROOT).withPublishBuiltReleases(false))) {
            LabSession.join(session.createVirtualDevice("esp32-lab-01", LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1()));
            java.util.function.Supplier<List<String>> ids = () -> session.devices().stream().map(LabDevice::id).toList();
            AddDeviceViewModel en = new AddDeviceViewModel(new I18n(Locale.ENGLISH), ids,
                    (id, v) -> session.createVirtualDevice(id, LabSessionDefaults.PRODUCT,
                            VirtualDeviceOptions.factoryFreshV1().withVariant(v)), Runnable::run);
            assertThat(en.deviceIdProperty().get()).as("the next free id is proposed").isEqualTo("esp32-lab-02");
            assertThat(en.variantProperty().get()).as("secure unless chosen").isEqualTo(FirmwareVariant.SECURE);
            assertThat(en.describe(FirmwareVariant.NAIVE)).isEqualTo("naive: WEAKENED, lacks every check");

            AddDeviceViewModel fr = new AddDeviceViewModel(new I18n(Locale.FRENCH), ids,
                    (id, v) -> { throw new AssertionError("a refused id must not reach the session"); }, Runnable::run);
            assertThat(fr.describe(FirmwareVariant.NO_SIGNATURE)).isEqualTo("no-signature : AFFAIBLI, sans la signature du manifeste");
            fr.deviceIdProperty().set("esp32-lab-01");
            assertThatThrownBy(() -> fr.add().get(5, TimeUnit.SECONDS));
            assertThat(fr.errorProperty().get()).isEqualTo("esp32-lab-01 est déjà dans le labo : choisissez un autre identifiant.");
            fr.deviceIdProperty().set("bad id/../x");
            assertThatThrownBy(() -> fr.add().get(5, TimeUnit.SECONDS));
            assertThat(fr.errorProperty().get()).startsWith("« bad id/../x » ne peut pas être un identifiant d'appareil");
            fr.deviceIdProperty().set("  ");
            assertThatThrownBy(() -> fr.add().get(5, TimeUnit.SECONDS));
            assertThat(fr.errorProperty().get()).startsWith("Donnez un identifiant");
            assertThat(ids.get()).containsExactly("esp32-lab-01");

            en.variantProperty().set(FirmwareVariant.NAIVE);
            assertThat(en.variantNoteProperty().get()).contains("lab only");
            en.add().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(en.errorProperty().get()).isEmpty();
            assertThat(en.outcomeProperty().get()).startsWith("esp32-lab-02 is in the lab with the WEAKENED firmware naive");
            assertThat(en.deviceIdProperty().get()).as("the next id is proposed").isEqualTo("esp32-lab-03");
            LabDevice naive = session.device("esp32-lab-02").orElseThrow();
            assertThat(naive.variant()).isEqualTo(FirmwareVariant.NAIVE);
            naive.model().await(s -> "1.0.0".equals(s.version()), WAIT, "the naive device's boot report");
            BoardSnapshot board = session.snapshot().boards().get("esp32-lab-02");
            assertThat(board.variant()).isEqualTo("naive");

            // The device panel's view model, fed what the window feeds it: loud for naive, silent for secure.
            I18n i18n = new I18n(Locale.ENGLISH);
            DeviceViewModel naivePanel = new DeviceViewModel(i18n);
            naivePanel.apply(naive.model().snapshot());
            naivePanel.setVariant(board.variant());
            assertThat(naivePanel.variantBadgeProperty().get())
                    .isEqualTo("WEAKENED FIRMWARE NAIVE (lab only): lacks every check");
            i18n.localeProperty().set(Locale.FRENCH);
            assertThat(naivePanel.variantBadgeProperty().get())
                    .isEqualTo("MICROLOGICIEL AFFAIBLI NAIVE (labo seulement) : sans tous les contrôles");
            DeviceViewModel securePanel = new DeviceViewModel(i18n);
            securePanel.setVariant(session.snapshot().boards().get("esp32-lab-01").variant());
            assertThat(securePanel.variantBadgeProperty().get()).isEmpty();
        }
    }
}
