package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** {@code pki init --product}, {@code firmware encrypt|decrypt|inspect}, {@code publish --encrypt} and {@code verify}. */
@Tag("integration")
class EncryptedFirmwareCommandTest {

    @TempDir
    Path lab;

    Path image;

    @BeforeEach
    void labWithPkiAndImage() throws Exception {
        assertThat(run("pki", "init").exitCode()).isZero();
        image = lab.resolve("build/shop-display.bin");
        Files.createDirectories(image.getParent());
        Files.write(image, FirmwareCommandTest.build("2.0.0", 1));
    }

    CliTestSupport.Run run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--lab";
        all[1] = lab.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliTestSupport.run(all);
    }

    @Test
    void productKeysArePrivateAndNotReplacedByAccident() throws Exception {
        CliTestSupport.Run init = run("pki", "init", "--product", "shop-display", "--rsa");
        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(init.out()).contains("RSA-3072", "decryption-key.pem");
        Path key = lab.resolve("certs/products/shop-display/decryption-key.pem");
        assertThat(Files.getPosixFilePermissions(key))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        CliTestSupport.Run again = run("pki", "init", "--product", "shop-display");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(again.err()).contains("already has a firmware-decryption key", "--force");
        assertThat(run("pki", "init", "--rsa").err()).contains("--product");
        CliTestSupport.Run show = run("pki", "show");
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("products/shop-display/", "RSA-3072", "key id:");
    }

    @Test
    void publishEncryptStoresOnlyCiphertextThatDecryptsAndVerifies() throws Exception {
        CliTestSupport.Run publish = run("firmware", "publish", image.toString(), "--product", "shop-display", "--encrypt");
        assertThat(publish.exitCode()).as(publish.err()).isZero();
        assertThat(publish.out()).contains("Created the firmware-decryption key pair", "no plaintext in the store");
        Path enc = lab.resolve("releases/shop-display/shop-display-2.0.0.enc");
        Path jws = lab.resolve("releases/shop-display/shop-display-2.0.0.jws");
        assertThat(enc).exists();
        assertThat(lab.resolve("releases/shop-display/shop-display-2.0.0.bin")).doesNotExist();

        CliTestSupport.Run inspect = run("firmware", "inspect", enc.toString());
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        assertThat(inspect.out()).contains("esp_encrypted_img", "ECIES-P256", "plaintext:", "GCM tag:", "length:        OK");

        CliTestSupport.Run verify = run("firmware", "verify", jws.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("encrypted: ecies-p256", "matches: size and SHA-256");

        Path key = lab.resolve("certs/products/shop-display/decryption-key.pem");
        Path out = lab.resolve("out.bin");
        CliTestSupport.Run decrypt = run("firmware", "decrypt", enc.toString(), "--key", key.toString(), "-o", out.toString(),
                "--manifest", jws.toString());
        assertThat(decrypt.exitCode()).as(decrypt.out() + decrypt.err()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(image));
        CliTestSupport.Run verifyPlain = run("firmware", "verify", jws.toString(), "--image", out.toString());
        assertThat(verifyPlain.exitCode()).as(verifyPlain.out()).isZero();
    }

    @Test
    void encryptRefusesACertificateAndTheLabsOwnKeys() throws Exception {
        Path out = lab.resolve("out.enc");
        CliTestSupport.Run cert = run("firmware", "encrypt", image.toString(), "--key",
                lab.resolve("certs/server.pem").toString(), "-o", out.toString());
        assertThat(cert.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(cert.err()).contains("is a certificate", "decryption-pub.pem");
        CliTestSupport.Run signing = run("firmware", "encrypt", image.toString(), "--key",
                lab.resolve("certs/signing-pub.pem").toString(), "-o", out.toString());
        assertThat(signing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(signing.err()).contains("signing-pub.pem", "verifies manifests", "not a product's decryption key");
        assertThat(out).doesNotExist();

        assertThat(run("pki", "init", "--product", "shop-display").exitCode()).isZero();
        CliTestSupport.Run right = run("firmware", "encrypt", image.toString(), "--key",
                lab.resolve("certs/products/shop-display/decryption-pub.pem").toString(), "-o", out.toString());
        assertThat(right.exitCode()).as(right.err()).isZero();
        assertThat(right.err()).doesNotContain("not the decryption key of any product");
    }

    @Test
    void decryptNamesEachRefusalAndWritesNothing() throws Exception {
        assertThat(run("pki", "init", "--product", "shop-display").exitCode()).isZero();
        assertThat(run("pki", "init", "--product", "other").exitCode()).isZero();
        Path pub = lab.resolve("certs/products/shop-display/decryption-pub.pem");
        Path key = lab.resolve("certs/products/shop-display/decryption-key.pem");
        Path otherKey = lab.resolve("certs/products/other/decryption-key.pem");
        Path enc = lab.resolve("image.enc");
        CliTestSupport.Run encrypt = run("firmware", "encrypt", image.toString(), "--key", pub.toString(), "-o", enc.toString());
        assertThat(encrypt.exitCode()).as(encrypt.err()).isZero();
        byte[] good = Files.readAllBytes(enc);
        Path out = lab.resolve("out.bin");

        Path tampered = lab.resolve("tampered.enc");
        byte[] flipped = good.clone();
        flipped[flipped.length - 1] ^= 1;
        Files.write(tampered, flipped);
        assertRefused(run("firmware", "decrypt", tampered.toString(), "--key", key.toString(), "-o", out.toString()), "BAD_TAG");

        Path truncated = lab.resolve("truncated.enc");
        Files.write(truncated, Arrays.copyOf(good, good.length - 10));
        assertRefused(run("firmware", "decrypt", truncated.toString(), "--key", key.toString(), "-o", out.toString()), "TRUNCATED");

        // With ECIES another key fails the tag; the published manifest's key id names it as the wrong key.
        assertThat(run("firmware", "publish", image.toString(), "--product", "shop-display", "--encrypt").exitCode()).isZero();
        Path published = lab.resolve("releases/shop-display/shop-display-2.0.0.enc");
        Path jws = lab.resolve("releases/shop-display/shop-display-2.0.0.jws");
        assertRefused(run("firmware", "decrypt", published.toString(), "--key", otherKey.toString(), "-o", out.toString(),
                "--manifest", jws.toString()), "WRONG_KEY");
        assertRefused(run("firmware", "decrypt", image.toString(), "--key", key.toString(), "-o", out.toString()),
                "NOT_ENCRYPTED");
        assertThat(out).doesNotExist();
    }

    private static void assertRefused(CliTestSupport.Run r, String code) {
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out()).contains("REFUSED " + code);
    }
}
