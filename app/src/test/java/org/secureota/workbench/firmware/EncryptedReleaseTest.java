package org.secureota.workbench.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** {@code publish --encrypt}: only ciphertext in the store, and a format-2 manifest binding both files. */
@Tag("unit")
class EncryptedReleaseTest {

    static final KeyPair SIGNING = TestKeys.p256();
    static final KeyPair PRODUCT = DecryptionKeys.generate(EncryptionScheme.ECIES_P256, new SecureRandom());
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path lab;

    Path image(String version) throws Exception {
        Path file = lab.resolve("build-" + version + ".bin");
        Files.write(file, TestImages.small(version, 1));
        return file;
    }

    @Test
    void anEncryptedReleaseStoresOnlyCiphertextAndAManifestThatBindsBothFiles() throws Exception {
        Path source = image("2.0.0");
        byte[] plain = Files.readAllBytes(source);
        ReleaseStore store = new ReleaseStore(lab.resolve("releases"));
        Release r = store.publish(source, "shop-display", SIGNING.getPrivate(), Duration.ofDays(30), CLOCK, false,
                PRODUCT.getPublic());

        assertThat(r.encrypted()).isTrue();
        assertThat(r.imageFile()).isEqualTo(lab.resolve("releases/shop-display/shop-display-2.0.0.enc"));
        assertThat(r.url()).isEqualTo("/firmware/shop-display-2.0.0.enc");
        assertThat(lab.resolve("releases/shop-display/shop-display-2.0.0.bin")).doesNotExist();
        byte[] stored = Files.readAllBytes(r.imageFile());
        assertThat(stored).hasSize(plain.length + 512);
        assertThat(ImageCipher.decrypt(stored, PRODUCT.getPrivate())).isEqualTo(plain);

        ManifestVerification v = new ManifestVerifier(SIGNING.getPublic()).verify(r.jws(), T0, plain);
        assertThat(v.isAccepted()).as(v.reason()).isTrue();
        Manifest m = v.manifest();
        assertThat(m.formatVersion()).isEqualTo(2);
        assertThat(m.size()).isEqualTo(plain.length);
        assertThat(m.sha256()).isEqualTo(AppImage.parse(plain).sha256());
        assertThat(m.encryption().scheme()).isEqualTo(EncryptionScheme.ECIES_P256);
        assertThat(m.encryption().keyId()).isEqualTo(DecryptionKeys.keyId(PRODUCT.getPublic()));
        assertThat(m.encryption().size()).isEqualTo(stored.length);
        assertThat(m.encryption().sha256()).isEqualTo(HexFormat.of().formatHex(AppImage.sha256(stored, 0, stored.length)));
        assertThat(new String(m.toJson(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"v\":2", "\"encryption\":\"ecies-p256\"", "\"encryption_key_id\":\"", "\"encrypted_size\":",
                        "\"encrypted_sha256\":\"");

        // The store lists and serves it under its .enc name; a listing reads the manifest back.
        assertThat(store.byFileName("shop-display-2.0.0.enc")).get().extracting(Release::encrypted).isEqualTo(true);
        assertThat(store.byFileName("shop-display-2.0.0.bin")).isEmpty();
    }

    @Test
    void republishingTheOtherWayLeavesOneServedFile() throws Exception {
        ReleaseStore store = new ReleaseStore(lab.resolve("releases"));
        store.publish(image("2.0.0"), "shop-display", SIGNING.getPrivate(), Duration.ofDays(30), CLOCK, false, null);
        assertThat(lab.resolve("releases/shop-display/shop-display-2.0.0.bin")).exists();
        assertThatThrownBy(() -> store.publish(image("2.0.0"), "shop-display", SIGNING.getPrivate(), Duration.ofDays(30),
                CLOCK, false, PRODUCT.getPublic())).isInstanceOf(ReleaseException.class).hasMessageContaining("--force");
        Release again = store.publish(image("2.0.0"), "shop-display", SIGNING.getPrivate(), Duration.ofDays(30), CLOCK,
                true, PRODUCT.getPublic());
        assertThat(again.encrypted()).isTrue();
        assertThat(lab.resolve("releases/shop-display/shop-display-2.0.0.bin")).doesNotExist();
        store.publish(image("2.0.0"), "shop-display", SIGNING.getPrivate(), Duration.ofDays(30), CLOCK, true, null);
        assertThat(lab.resolve("releases/shop-display/shop-display-2.0.0.enc")).doesNotExist();
    }

    @Test
    void formatTwoNeedsConsistentEncryptionFieldsAndFormatOneHasNone() {
        Instant exp = T0.plusSeconds(3600);
        String sha = "a".repeat(64);
        ManifestEncryption e = new ManifestEncryption(EncryptionScheme.RSA_3072, "0123456789abcdef", 1512, sha);
        Manifest ok = new Manifest(2, "p", "2.0.0", 1, "/firmware/p-2.0.0.enc", 1000, sha, T0, exp, 1, e);
        assertThat(Manifest.fromJson(ok.toJson())).isEqualTo(ok);
        assertThatThrownBy(() -> new Manifest(2, "p", "2.0.0", 1, "/firmware/p-2.0.0.enc", 999, sha, T0, exp, 1, e))
                .hasMessageContaining("encrypted_size");
        assertThatThrownBy(() -> new Manifest(1, "p", "2.0.0", 1, "/firmware/p-2.0.0.bin", 1000, sha, T0, exp, 1, e))
                .hasMessageContaining("format 1");
        assertThatThrownBy(() -> new Manifest(2, "p", "2.0.0", 1, "/firmware/p-2.0.0.bin", 1000, sha, T0, exp, 1))
                .hasMessageContaining("format 2 needs");
        String v1WithExtra = new String(new Manifest(1, "p", "2.0.0", 1, "/firmware/p-2.0.0.bin", 1000, sha, T0, exp, 1)
                .toJson(), java.nio.charset.StandardCharsets.UTF_8).replace("}", ",\"encryption\":\"rsa-3072\"}");
        assertThatThrownBy(() -> Manifest.fromJson(v1WithExtra.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .hasMessageContaining("unknown field 'encryption'");
    }
}
