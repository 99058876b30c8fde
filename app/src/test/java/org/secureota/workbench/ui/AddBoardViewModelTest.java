package org.secureota.workbench.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.Prerequisites;
import org.secureota.workbench.device.Device;
import org.secureota.workbench.device.DeviceLink;
import org.secureota.workbench.device.DeviceLinkException;
import org.secureota.workbench.device.FactoryData;
import org.secureota.workbench.device.FlashLayout;
import org.secureota.workbench.device.SerialPortInfo;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.pki.LanAddress;
import org.secureota.workbench.server.ServerState;
import org.secureota.workbench.session.BoardIntake;
import org.secureota.workbench.session.LabBoards;
import org.secureota.workbench.session.LabDevice;
import org.secureota.workbench.session.LabSession;
import org.secureota.workbench.session.LabSessionDefaults;
import org.secureota.workbench.session.SessionSetup;

/**
 * Lab > Add a real board, through its view model, with a virtual board's pty standing in for the USB
 * board (a real serial port to jSerialComm): a missing port and a busy one are refused in the reader's
 * language before anything is registered; a good one is attached, registered and given its factory
 * data and flash commands; and the lab started again serves it on the LAN and updates it.
 */
@Timeout(400)
@Tag("e2e")
class AddBoardViewModelTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private final ExecutorService work = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        work.shutdownNow();
    }

    private AddBoardViewModel model(Locale locale, LabSession session, List<SerialPortInfo> ports) {
        return new AddBoardViewModel(new I18n(locale), session, () -> ports, work, Runnable::run);
    }

    /** This machine's LAN address (what the dialog proposes) at a free port, so the lab can serve it. */
    private static String url() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            return "https://" + LanAddress.choose().orElseThrow() + ":" + free.getLocalPort();
        }
    }

    @Test
    void aPortThatIsMissingOrBusyIsRefusedByNameAndAGoodOneIsBroughtIn() throws Exception {
        Prerequisites.require(VirtualEsp32.isBuilt(ROOT), "the virtual ESP32 (" + VirtualEsp32.executable(ROOT)
                + "): run mvn package or esp32-firmware/host-build.sh");
        Prerequisites.require(LanAddress.choose().isPresent(), "a LAN (non-loopback IPv4) address");
        LabFolder lab = new LabFolder(dir.resolve("lab"));
        try (Journal benchJournal = new Journal();
             VirtualEsp32 board = new VirtualEsp32(ROOT, benchJournal, "usb-stand-in")) {
            Path flash = dir.resolve("usb/flash.bin");
            Files.createDirectories(flash.getParent());
            board.factory(flash, board.image("v1_base"), FlashLayout.DEFAULT, null);
            Path tty = board.start(flash, dir.resolve("usb/ttyUSB0"));
            String url = url();

            try (LabSession session = LabSession.openAndWait(SessionSetup.defaults(lab).withProjectRoot(ROOT)
                    .withPublishBuiltReleases(false))) {
                AddBoardViewModel en = model(Locale.ENGLISH, session,
                        List.of(new SerialPortInfo(tty.toString(), "ttyUSB0", "stand-in", "")));
                assertThat(en.refreshPorts().get(10, TimeUnit.SECONDS)).containsExactly(tty.toString());
                assertThat(en.portProperty().get()).as("the only port is chosen").isEqualTo(tty.toString());

                // Unplugged (or misspelt): named, in French too, and nothing registered.
                AddBoardViewModel fr = model(Locale.FRENCH, session, List.of());
                fr.portProperty().set(dir.resolve("usb/ttyUSB9").toString());
                fr.deviceIdProperty().set("esp32-real-01");
                fr.urlProperty().set(url);
                assertThatThrownBy(() -> fr.add().get(30, TimeUnit.SECONDS));
                assertThat(fr.errorProperty().get()).contains("ttyUSB9", "n'existe pas", "Actualiser");
                assertThat(ServerState.of(lab).apiKeys().find("esp32-real-01")).isEmpty();
                assertThat(LabBoards.read(lab)).isEmpty();

                // Busy: another link has the port (two readers would split the board's bytes).
                en.deviceIdProperty().set("esp32-real-01");
                en.urlProperty().set(url);
                try (DeviceLink other = DeviceLink.open(tty.toString(), new Device("other reader"), benchJournal)) {
                    assertThatThrownBy(() -> en.add().get(30, TimeUnit.SECONDS));
                    assertThat(en.errorProperty().get()).contains(tty.toString(), "is busy", "serial monitor");
                }
                assertThat(ServerState.of(lab).apiKeys().find("esp32-real-01")).isEmpty();
                assertThat(session.device(tty.toString())).as("a refused port is not left attached").isEmpty();

                // Free again: attached, registered, factory data 0600, the commands, and the restart it needs.
                BoardIntake.Result r = en.add().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(en.errorProperty().get()).isEmpty();
                LabDevice attached = session.device(tty.toString()).orElseThrow();
                attached.model().await(s -> "1.0.0".equals(s.version()), WAIT, "the attached board's report");
                assertThat(ServerState.of(lab).apiKeys().find("esp32-real-01")).isPresent();
                Path factory = lab.devices().resolve("esp32-real-01/factory.bin");
                assertThat(r.factoryData().file()).isEqualTo(factory);
                assertThat(Files.getPosixFilePermissions(factory))
                        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
                assertThat(FactoryData.parse(Files.readAllBytes(factory)).serverUrl()).isEqualTo(url);
                String key = FactoryData.parse(Files.readAllBytes(factory)).apiKey();
                assertThat(en.outcomeProperty().get())
                        .contains("esp32-real-01 is in the lab on " + tty, url,
                                "pio run -e v1_base -t upload --upload-port " + tty,
                                "esptool.py --chip esp32 --port " + tty + " write_flash 0x3EE000",
                                "start it again")
                        .doesNotContain(key);
                assertThat(LabBoards.read(lab)).containsEntry("esp32-real-01", new LabBoards.Board(tty.toString(), url));

                // The same id again, without a new key: refused, the board's key unchanged.
                assertThatThrownBy(() -> en.add().get(30, TimeUnit.SECONDS));
                assertThat(en.errorProperty().get()).contains("registered already");
                assertThat(FactoryData.parse(Files.readAllBytes(factory)).apiKey()).isEqualTo(key);
            }

            // "esptool.py write_flash": the stand-in's flash gets the factory data; then the lab starts again,
            // as the window does after the restart it asked for: on the LAN at the board's port, board attached.
            board.stop();
            board.factory(flash, board.image("v1_base"), FlashLayout.DEFAULT, lab.devices().resolve("esp32-real-01/factory.bin"));
            board.start(flash, tty);
            SessionSetup options = LabBoards.serving(SessionSetup.defaults(lab).withProjectRoot(ROOT)
                    .withPublishBuiltReleases(true), 0);
            assertThat(options.bind()).isEqualTo("0.0.0.0");
            assertThat(options.serverPort()).isEqualTo(java.net.URI.create(url).getPort());
            try (LabSession again = LabSession.openAndWait(options)) {
                LabDevice d = LabSession.join(again.attachBoard(tty.toString()));
                d.model().await(s -> "esp32-real-01".equals(s.deviceId()), WAIT, "the board's own id");
                LabSession.join(again.deploy(LabSessionDefaults.PRODUCT, "2.0.0"));
                d.check().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                d.model().await(s -> "2.0.0".equals(s.version()), WAIT, "2.0.0, over TLS at the LAN address");
            }
        }
    }

    @Test
    void aPortThatMayNotBeOpenedNamesTheDialoutGroupInBothLanguages() {
        DeviceLinkException denied = new DeviceLinkException(DeviceLinkException.Problem.PERMISSION_DENIED,
                "Cannot open serial port '/dev/ttyUSB0': permission denied");
        assertThat(model(Locale.ENGLISH, null, List.of()).explain(denied, "/dev/ttyUSB0"))
                .contains("/dev/ttyUSB0", "dialout", "sudo usermod -aG dialout $USER", "log out and in again");
        assertThat(model(Locale.FRENCH, null, List.of()).explain(denied, "/dev/ttyUSB0"))
                .contains("/dev/ttyUSB0", "dialout", "sudo usermod -aG dialout $USER", "rouvrez");
    }
}
