package org.secureota.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.secureota.workbench.OtaLab.assertCode;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.pki.ProductKeys;
import org.junit.jupiter.api.Tag;
import org.secureota.workbench.journal.EventType;

/**
 * Encrypted releases on the real parts (issue 14): {@code publish --encrypt} puts only ciphertext in the
 * store, the real OTA server serves it, and the virtual ESP32 running the real firmware decrypts it while
 * it streams into the inactive slot, for both esp_encrypted_img schemes. A board of the product without
 * the key in its factory data refuses it and keeps running V1.
 */
@Timeout(400)
@Tag("e2e")
class EncryptedOtaAcceptanceTest {

    @TempDir
    Path root;

    OtaLab lab;

    @BeforeEach
    void lab() throws Exception {
        assumeTrue(OtaLab.boardBuilt(), "the virtual ESP32 is not built: run esp32-firmware/host-build.sh (or mvn package)");
        lab = new OtaLab(root);
    }

    @AfterEach
    void stopEverything() {
        if (lab != null) {
            lab.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ProductKeys.KeyType.class)
    void theVirtualBoardDecryptsWhileItStreamsAndOnlyCiphertextIsStored(ProductKeys.KeyType type) throws Exception {
        Path v2 = lab.buildImage("v2_promo");
        Release release = lab.publishEncrypted(v2, type);
        assertThat(release.encrypted()).isTrue();
        assertThat(release.encryption().scheme().id()).isEqualTo(type == ProductKeys.KeyType.P256 ? "ecies-p256" : "rsa-3072");
        // No plaintext in the store: no .bin, and no 64-byte run of the image in the served file
        // (runs of one repeated byte aside: the header's zero padding is not the image's).
        try (var files = Files.list(release.imageFile().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".bin"));
        }
        byte[] plain = Files.readAllBytes(v2);
        String stored = new String(Files.readAllBytes(release.imageFile()), java.nio.charset.StandardCharsets.ISO_8859_1);
        String image = new String(plain, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (int at = 0; at + 64 <= image.length(); at += 16) {
            String run = image.substring(at, at + 64);
            if (run.chars().distinct().count() > 1) {
                assertThat(stored.indexOf(run)).as("plaintext run at %d found in the store", at).isEqualTo(-1);
            }
        }
        lab.server.deploy(OtaLab.PRODUCT, release.version());

        OtaLab.Board keyless = lab.boardWithKey("esp32-keyless", null);
        assertCode(keyless.check(), "DECRYPT_WRONG_KEY");
        assertThat(keyless.status().version()).isEqualTo("1.0.0");

        OtaLab.Board board = lab.boardWithKey("esp32-lab-01", lab.productDecryptionKeyPem());
        long mark = board.mark();
        JournalEvent verdict = board.check();
        assertCode(verdict, "UPDATED");
        JournalEvent boot = board.awaitBoot(mark, e -> "2.0.0".equals(e.fields().get("version")), "boot of 2.0.0");
        JournalEvent confirmed = board.awaitDevice(boot.seq(), EventType.DEVICE_APP_STATE.wireName(), e -> true, "confirmation");
        assertThat(confirmed.fields()).containsEntry("state", "valid");
        assertThat(board.status().version()).isEqualTo("2.0.0");
        // The device's telemetry, so the journal and the timeline, say the update travelled encrypted and was decrypted.
        assertThat(lab.after(mark, e -> EventType.IMAGE_TRANSPORT.is(e) && "esp32-lab-01".equals(e.deviceId())))
                .singleElement().satisfies(e -> assertThat(e.fields()).containsEntry("version", "2.0.0")
                        .containsEntry("encrypted", true).containsEntry("decrypted", true)
                        .containsEntry("scheme", release.encryption().scheme().id())
                        .containsEntry("key_id", release.encryption().keyId()));
        assertThat(lab.after(0, e -> e.type().equals("server.manifest") && "esp32-lab-01".equals(e.deviceId())))
                .isNotEmpty().allSatisfy(e -> assertThat(e.fields()).containsEntry("encrypted", true)
                        .containsEntry("encryption", release.encryption().scheme().id()));
    }
}
