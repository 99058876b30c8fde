package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.Prerequisites.require;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
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
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.LanAddress;
import org.secureota.workbench.session.LanServer;
import org.junit.jupiter.api.Tag;

/**
 * The README's real-board path, followed as written: {@code board add ID --port PORT}, flash, then
 * {@code lab}. No USB ESP32 here: a virtual board attached by its port name stands in for it (its
 * factory data written to flash stands in for esptool; it is a serial port to jSerialComm like
 * /dev/ttyUSB0), and reaches the server at this machine's LAN address, over TLS with the SAN check.
 */
@Timeout(300)
@Tag("e2e")
class BoardAddTest {

    static final Path ROOT = Path.of(System.getProperty("workbench.projectRoot", ".")).toAbsolutePath();

    @TempDir
    Path lab;

    String savedHome;

    @BeforeEach
    void home() {
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

    @Test
    void aBoardAddedByItsPortIsUpdatedByTheLabAtTheLanAddress() throws Exception {
        require(VirtualEsp32.isBuilt(ROOT), "the virtual ESP32 is not built (" + VirtualEsp32.EXECUTABLE + ")");
        require(LanAddress.choose().isPresent(), "this machine has no LAN (non-loopback IPv4) address");
        String lan = LanAddress.choose().orElseThrow();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path tty = lab.resolve("usb/ttyUSB0");
        Files.createDirectories(tty.getParent());

        CliTestSupport.Run added = run("board", "add", "esp32-real-01", "--port", tty.toString(),
                "--url", "https://" + lan + ":" + port);
        assertThat(added.exitCode()).as(added.err()).isZero();
        Path factory = lab.resolve("devices/esp32-real-01/factory.bin");
        assertThat(added.out()).contains("Registered esp32-real-01", "server_url   https://" + lan + ":" + port,
                "esptool.py --chip esp32 --port " + tty + " write_flash 0x3EE000 ",
                "pio pkg exec -p tool-esptoolpy -- esptool.py --chip esp32 --port " + tty,
                "pio run -e v1_base -t upload --upload-port " + tty, "lab --devices 0");
        assertThat(Files.getPosixFilePermissions(factory))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        String key = FactoryData.parse(Files.readAllBytes(factory)).apiKey();
        assertThat(added.out() + added.err()).as("the key is never printed").doesNotContain(key);
        assertThat(new LabPki(lab.resolve("certs")).covers(lan)).as("the certificate's SANs cover " + lan).isTrue();
        assertThat(run("board", "add", "esp32-real-01", "--port", tty.toString()).err())
                .as("a second add without --rotate-key").contains("registered already", "--rotate-key");

        try (Journal benchJournal = new Journal();
             VirtualEsp32 board = new VirtualEsp32(ROOT, benchJournal, "usb-stand-in")) {
            Path flash = lab.resolve("usb/flash.bin");
            board.factory(flash, board.image("v1_base"), FlashLayout.DEFAULT, factory); // "esptool.py write_flash"
            board.start(flash, tty);                                                  // "plugged in"

            Path commands = Files.writeString(lab.resolve("commands.txt"), "check all\nwait all 120\nstatus\nquit\n");
            CliTestSupport.Run r = run("lab", "--devices", "0", "--deploy", "2.0.0", "--commands", commands.toString(),
                    "--duration", "200");
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("Board esp32-real-01: attached on " + tty,
                    "Real boards on the LAN use https://" + lan + ":" + port,
                    "done: verdict UPDATED, running 2.0.0");
        }
    }

    @Test
    void aCertificateThatDoesNotNameTheLanAddressIsReissuedFromTheSameCa() throws Exception {
        LabPki pki = new LabPki(lab.resolve("certs"));
        pki.init(false, new HostIdentity(java.util.List.of("localhost"), java.util.List.of("127.0.0.1")),
                java.time.Clock.systemUTC());
        byte[] ca = Files.readAllBytes(pki.path(org.secureota.workbench.pki.PkiFile.CA_CERT));
        assertThat(pki.covers("192.0.2.7")).isFalse();
        assertThat(LanServer.coverHost(new org.secureota.workbench.foundation.LabFolder(lab), "https://192.0.2.7:8443")).isTrue();
        assertThat(pki.covers("192.0.2.7")).isTrue();
        assertThat(pki.covers("localhost")).isTrue();
        assertThat(LanServer.coverHost(new org.secureota.workbench.foundation.LabFolder(lab), "https://192.0.2.7:8443"))
                .as("covered already: nothing to issue").isFalse();
        assertThat(Files.readAllBytes(pki.path(org.secureota.workbench.pki.PkiFile.CA_CERT))).isEqualTo(ca);
        CliTestSupport.Run verify = run("pki", "verify");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    }
}
