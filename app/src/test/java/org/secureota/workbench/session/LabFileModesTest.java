package org.secureota.workbench.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.session.SessionTestSupport.WAIT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * Issue 29: every file a lab writes that holds key material is readable by its owner only, and the
 * device and session folders too. A virtual board's flash file holds its factory data partition (API
 * key, the product's decryption key); its eFuse file and NVS models sit beside it. Checked over
 * everything a session wrote after a real update on the virtual board.
 */
@Timeout(300)
@Tag("e2e")
class LabFileModesTest {

    @TempDir
    Path root;

    @Test
    void keysAndDeviceStateAreOwnerOnlyAfterAnUpdate() throws Exception {
        SessionTestSupport.requireBoard();
        Path sessionFolder;
        try (LabSession session = LabSession.openAndWait(SessionTestSupport.options(root))) {
            sessionFolder = session.folder();
            LabDevice device = session.createVirtualDevice("lab-01", LabSessionDefaults.PRODUCT,
                    VirtualDeviceOptions.factoryFreshV1()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            device.model().await(SessionTestSupport::v1Running, WAIT, "V1 running");
            session.serverState().deploy(LabSessionDefaults.PRODUCT, "2.0.0");
            device.check();
            device.model().await(s -> "2.0.0".equals(s.version()), WAIT, "V2 running");
        }
        Path devices = root.resolve("devices");
        Path device = devices.resolve("lab-01");
        // What the board and its apps wrote: the flash image, its eFuse file and the NVS models.
        for (String name : List.of("flash.bin", "flash.bin.efuse", "flash.bin.ota-counter", "flash.bin.ota-time-floor",
                "factory.bin")) {
            Path f = device.resolve(name);
            assertThat(f).as(name).exists();
            assertThat(mode(f)).as(name).isEqualTo("rw-------");
        }
        List<String> wrong = new ArrayList<>();
        // Folders that hold devices or sessions: owner only.
        for (Path top : List.of(devices, root.resolve("sessions"))) {
            try (Stream<Path> walk = Files.walk(top)) {
                walk.filter(Files::isDirectory).filter(d -> !mode(d).equals("rwx------"))
                        .forEach(d -> wrong.add(root.relativize(d) + " " + mode(d)));
            }
        }
        // Nothing under devices/ is readable by others, and nothing anywhere that holds a private key.
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(f -> {
                Set<PosixFilePermission> p = permissions(f);
                boolean others = p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
                boolean secret = f.startsWith(devices) || f.getFileName().toString().endsWith("key.pem");
                if (secret && others) {
                    wrong.add(root.relativize(f) + " " + mode(f));
                }
            });
        }
        assertThat(wrong).as("lab files and folders readable by others").isEmpty();
        assertThat(mode(sessionFolder)).isEqualTo("rwx------");
    }

    private static String mode(Path p) {
        return PosixFilePermissions.toString(permissions(p));
    }

    private static Set<PosixFilePermission> permissions(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
