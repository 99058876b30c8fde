package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.Prerequisites.require;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.device.FactoryData;
import org.secureota.workbench.device.FlashLayout;
import org.secureota.workbench.device.VirtualEsp32;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.SessionExport;
import org.secureota.workbench.journal.SessionReader;
import org.junit.jupiter.api.Tag;
import org.secureota.workbench.journal.EventType;

@Tag("e2e")
class DeviceCommandTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();
    static final String KEY = "k3y-that-must-never-be-printed";

    @TempDir
    Path lab;

    Path keyFile;
    String savedHome;

    String key;

    @BeforeEach
    void labWithPki() throws Exception {
        assertThat(run("pki", "init").exitCode()).isZero();
        CliTestSupport.Run added = run("server", "add-device", "esp32-lab-01", "--product", "shop-display");
        assertThat(added.exitCode()).as(added.err()).isZero();
        key = added.out().lines().map(String::strip).filter(l -> l.matches("[A-Za-z0-9_-]{40,}")).findFirst().orElseThrow();
        keyFile = lab.resolve("api-key.txt");
        Files.writeString(keyFile, key + "\n");
        savedHome = System.getProperty("workbench.home");
        System.setProperty("workbench.home", ROOT.toString());
    }

    @AfterEach
    void restoreHome() {
        if (savedHome == null) {
            System.clearProperty("workbench.home");
        } else {
            System.setProperty("workbench.home", savedHome);
        }
    }

    CliTestSupport.Run run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--lab";
        all[1] = lab.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliTestSupport.run(all);
    }

    CliTestSupport.Run factoryImage(String keySource, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("device", "factory-image", "esp32-lab-01",
                "--product", "shop-display", "--server-url", "https://127.0.0.1:8443", "--api-key-file", keySource));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @Test
    void factoryImageWritesAPrivatePartitionAndPrintsTheFlashCommandButNeverTheKey() throws Exception {
        CliTestSupport.Run r = factoryImage(keyFile.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path image = lab.resolve("devices/esp32-lab-01/factory.bin");
        assertThat(Files.getPosixFilePermissions(image))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(r.out()).contains("0x3EE000", "esptool.py --chip esp32 write_flash 0x3EE000 " + image,
                "pio pkg exec -p tool-esptoolpy -- esptool.py");
        assertThat(r.out() + r.err()).doesNotContain(key);

        byte[] bytes = Files.readAllBytes(image);
        assertThat(bytes).hasSize(FactoryData.PARTITION_SIZE);
        FactoryData data = FactoryData.parse(bytes);
        assertThat(data.deviceId()).isEqualTo("esp32-lab-01");
        assertThat(data.apiKey()).as("the trailing newline of the key file is not part of the key").isEqualTo(key);
        assertThat(data.caCertificatePem()).isEqualTo(Files.readString(lab.resolve("certs/ca.pem")));
        assertThat(data.signingPublicKeyPem()).isEqualTo(Files.readString(lab.resolve("certs/signing-pub.pem")));
    }

    @Test
    void lcdLangEnIsWrittenAndPrintedAndAnUnknownOneIsRefusedByName() throws Exception {
        CliTestSupport.Run plain = factoryImage(keyFile.toString());
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("lcd_lang     (none: French)");
        Path image = lab.resolve("devices/esp32-lab-01/factory.bin");
        assertThat(FactoryData.parse(Files.readAllBytes(image)).lcdLanguage()).isNull();

        CliTestSupport.Run en = factoryImage(keyFile.toString(), "--lcd-lang", "en");
        assertThat(en.exitCode()).as(en.err()).isZero();
        assertThat(en.out()).contains("lcd_lang     en");
        assertThat(FactoryData.parse(Files.readAllBytes(image)).lcdLanguage())
                .isEqualTo(org.secureota.workbench.device.LcdLanguage.EN);

        CliTestSupport.Run de = factoryImage(keyFile.toString(), "--lcd-lang", "de");
        assertThat(de.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(de.err()).contains("--lcd-lang de").contains("fr or en");
    }

    @Test
    void theKeyCanComeFromStdinAndTheOutputFromOut() throws Exception {
        InputStream saved = System.in;
        Path out = lab.resolve("elsewhere/fd.bin");
        try {
            System.setIn(new ByteArrayInputStream((key + "\r\n").getBytes(StandardCharsets.UTF_8)));
            CliTestSupport.Run r = factoryImage("-", "--out", out.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
        } finally {
            System.setIn(saved);
        }
        assertThat(FactoryData.parse(Files.readAllBytes(out)).apiKey()).isEqualTo(key);
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE));
    }

    @Test
    void badInputIsRefusedWithWhatToDo() throws Exception {
        CliTestSupport.Run badId = run("device", "factory-image", "../evil", "--product", "shop-display",
                "--server-url", "https://h", "--api-key-file", keyFile.toString());
        assertThat(badId.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(badId.err()).contains("not a usable device id");

        assertThat(factoryImage(lab.resolve("missing.txt").toString()).err()).contains("No API key file");
        Files.writeString(keyFile, "\n");
        assertThat(factoryImage(keyFile.toString()).err()).contains("is empty");
        Files.writeString(keyFile, key);

        CliTestSupport.Run http = run("device", "factory-image", "esp32-lab-01", "--product", "shop-display",
                "--server-url", "http://h", "--api-key-file", keyFile.toString());
        assertThat(http.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(http.err()).contains("https://");

        Files.delete(lab.resolve("certs/signing-pub.pem"));
        CliTestSupport.Run noPki = factoryImage(keyFile.toString());
        assertThat(noPki.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(noPki.err()).contains("pki init");
        assertThat(noPki.out() + noPki.err()).doesNotContain(key);
    }

    @Test
    void aFactoryImageNeedsARegisteredDeviceAndItsOwnKey() throws Exception {
        CliTestSupport.Run unknown = run("device", "factory-image", "never-added", "--product", "shop-display",
                "--server-url", "https://127.0.0.1:8443", "--api-key-file", keyFile.toString());
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(unknown.err()).contains("not registered", "server add-device never-added --product shop-display",
                "--lab");
        assertThat(lab.resolve("devices/never-added/factory.bin")).doesNotExist();

        Files.writeString(keyFile, KEY);
        CliTestSupport.Run wrongKey = factoryImage(keyFile.toString());
        assertThat(wrongKey.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(wrongKey.err()).contains("not the key of device 'esp32-lab-01'", "--rotate-key").doesNotContain(KEY);

        Files.writeString(keyFile, key);
        CliTestSupport.Run wrongProduct = run("device", "factory-image", "esp32-lab-01", "--product", "kiosk",
                "--server-url", "https://127.0.0.1:8443", "--api-key-file", keyFile.toString());
        assertThat(wrongProduct.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(wrongProduct.err()).contains("registered for product 'shop-display'");
    }

    @Test
    void theVirtualBoardHintKeepsTheLab() {
        CliTestSupport.Run r = factoryImage(keyFile.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("./workbench --lab " + lab + " device virtual --factory-data ");
    }

    @Test
    void aCommandGroupWithoutItsSubcommandIsABadUsage() {
        for (String group : new String[] {"pki", "device", "server", "firmware", "board"}) {
            CliTestSupport.Run r = run(group);
            assertThat(r.exitCode()).as(group).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(r.err()).as(group).contains("needs a subcommand", "Usage:");
        }
        CliTestSupport.Run help = CliTestSupport.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("0 success", "1 a check", "2 bad usage", "70 a bug in the workbench");
    }

    @Test
    void listNamesThePortsOrSaysThereAreNone() {
        CliTestSupport.Run r = run("device", "list");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isNotBlank();
    }

    @Test
    void aMissingPortIsABadInputNotACrash() {
        CliTestSupport.Run r = run("device", "monitor", lab.resolve("no-such-tty").toString(), "--duration", "1");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("Cannot open serial port", "no-such-tty");
    }

    @Test
    @Timeout(120)
    void theFactoryImageIsReadByTheFirmwareAndTheVirtualBoardBootsProvisioned() throws Exception {
        require(VirtualEsp32.isBuilt(ROOT), "the virtual ESP32 is not built (" + VirtualEsp32.EXECUTABLE
                + " is missing): run esp32-firmware/host-build.sh to include this test");
        assertThat(factoryImage(keyFile.toString()).exitCode()).isZero();
        Path image = lab.resolve("devices/esp32-lab-01/factory.bin");
        Path flash = lab.resolve("devices/esp32-lab-01/flash.bin");
        try (Journal journal = new Journal()) {
            VirtualEsp32 board = new VirtualEsp32(ROOT, journal, "esp32-lab-01");
            board.factory(flash, board.image("v1_base"), FlashLayout.DEFAULT, image);
            assertThat(board.inspect(flash))
                    .contains("factory data: device esp32-lab-01, product shop-display, server https://127.0.0.1:8443")
                    .doesNotContain(key);
        }

        // The board runs for a bounded time; what is checked is what it said, recorded in the session.
        CliTestSupport.Run r = run("device", "virtual", "--flash", flash.toString(), "--duration", "8");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Serial port:", "Session recorded in");
        Path session = SessionExport.latestSession(lab.resolve("sessions")).orElseThrow();
        List<JournalEvent> events = SessionReader.read(session.resolve("journal.jsonl")).events();
        assertThat(events).filteredOn(e -> e.type().equals(EventType.DEVICE_BOOT.wireName())).isNotEmpty()
                .allSatisfy(e -> {
                    assertThat(e.fields()).containsEntry("provisioned", true).containsEntry("version", "1.0.0");
                    assertThat(e.deviceId()).isEqualTo("esp32-lab-01");
                });
        assertThat(events).filteredOn(e -> e.type().equals(EventType.DEVICE_LCD.wireName())).isNotEmpty();
        assertThat(events).filteredOn(e -> e.type().equals("board.power_off")).isNotEmpty();
        assertThat(r.out()).contains("LCD |SHOP-DISPLAY    |V1 BASE  v1.0.0 |");
    }

    @Test
    @Timeout(120)
    void factoryDataForAnExistingFlashIsRefusedUnlessFresh() throws Exception {
        require(VirtualEsp32.isBuilt(ROOT), "the virtual ESP32 is not built (" + VirtualEsp32.EXECUTABLE + ")");
        Path flash = lab.resolve("boards/flash.bin");
        Files.createDirectories(flash.getParent());
        CliTestSupport.Run first = run("device", "virtual", "--flash", flash.toString(), "--duration", "2");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(factoryImage(keyFile.toString()).exitCode()).isZero();
        Path image = lab.resolve("devices/esp32-lab-01/factory.bin");

        CliTestSupport.Run ignored = run("device", "virtual", "--flash", flash.toString(), "--factory-data",
                image.toString(), "--duration", "2");
        assertThat(ignored.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(ignored.err()).contains(flash + " exists", "--fresh");

        CliTestSupport.Run fresh = run("device", "virtual", "--flash", flash.toString(), "--factory-data",
                image.toString(), "--fresh", "--layout", "two-ota", "--duration", "3");
        assertThat(fresh.exitCode()).as(fresh.err()).isZero();
        assertThat(fresh.out()).contains("layout two_ota, provisioned");
        try (Journal journal = new Journal()) {
            assertThat(new VirtualEsp32(ROOT, journal, "x").inspect(flash)).contains("device esp32-lab-01");
        }
    }

    @Test
    @Timeout(120)
    void aBoardThatARunningSessionOwnsIsMonitoredThroughThatSession() throws Exception {
        require(VirtualEsp32.isBuilt(ROOT), "the virtual ESP32 is not built (" + VirtualEsp32.EXECUTABLE + ")");
        var options = org.secureota.workbench.session.SessionSetup.defaults(new org.secureota.workbench.foundation.LabFolder(lab))
                .withProjectRoot(ROOT).withPublishBuiltReleases(false);
        try (var session = org.secureota.workbench.session.LabSession.openAndWait(options)) {
            var d = org.secureota.workbench.session.LabSession.join(session.createVirtualDevice("esp32-lab-02",
                    "shop-display", org.secureota.workbench.session.VirtualDeviceOptions.factoryFreshV1()));
            d.model().await(x -> "1.0.0".equals(x.version()), java.time.Duration.ofSeconds(60), "V1");
            long sessionsBefore;
            try (var dirs = Files.list(lab.resolve("sessions"))) {
                sessionsBefore = dirs.filter(Files::isDirectory).count();
            }
            java.util.concurrent.CompletableFuture<CliTestSupport.Run> monitor = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> run("device", "monitor", d.board().ptyPath(), "--duration", "4"));
            Thread.sleep(1500); // not a wait: a head start for the monitor, whose output is read only at its end
            d.reset().get(30, java.util.concurrent.TimeUnit.SECONDS);
            CliTestSupport.Run r = monitor.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("Following esp32-lab-02", "through the running session " + session.folder())
                    .contains("1.0.0");
            assertThat(r.err()).doesNotContain("another program", "WARNING");
            try (var dirs = Files.list(lab.resolve("sessions"))) {
                assertThat(dirs.filter(Files::isDirectory).count()).as("the monitor records no session of its own")
                        .isEqualTo(sessionsBefore);
            }
        }
    }
}
