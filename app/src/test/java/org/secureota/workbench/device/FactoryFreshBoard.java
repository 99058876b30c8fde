package org.secureota.workbench.device;

import static org.secureota.workbench.Prerequisites.require;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PkiFile;

/**
 * The fixture of the tests that drive one virtual board: a lab PKI, the board's factory data (provisioned for a
 * server on 127.0.0.1:8443) and its flash, factory-fresh with V1. Nothing is started.
 */
record FactoryFreshBoard(VirtualEsp32 board, Path flash, Path tty) {

    static FactoryFreshBoard make(Path root, Path lab, String id, Journal journal) throws Exception {
        require(VirtualEsp32.isBuilt(root), "the virtual ESP32 is not built (" + VirtualEsp32.EXECUTABLE
                + " is missing): run esp32-firmware/host-build.sh to include these tests");
        LabPki pki = new LabPki(lab.resolve("certs"));
        pki.init(false, new HostIdentity(List.of("localhost"), List.of("127.0.0.1")), Clock.systemUTC());
        FactoryData data = new FactoryData(id, "shop-display", "https://127.0.0.1:8443", "test-api-key",
                Files.readString(pki.path(PkiFile.CA_CERT), StandardCharsets.UTF_8),
                Files.readString(pki.path(PkiFile.SIGNING_PUB), StandardCharsets.UTF_8));
        Path factoryData = lab.resolve("devices/" + id + "/factory.bin");
        Files.createDirectories(factoryData.getParent());
        Files.write(factoryData, data.partitionImage(FactoryData.PARTITION_SIZE));
        Path flash = lab.resolve("devices/" + id + "/flash.bin");
        VirtualEsp32 board = new VirtualEsp32(root, journal, id);
        board.factory(flash, board.image("v1_base"), FlashLayout.DEFAULT, factoryData);
        return new FactoryFreshBoard(board, flash, lab.resolve("devices/" + id + "/tty"));
    }
}
