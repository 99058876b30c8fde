package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.firmware.AppDescriptor;
import org.secureota.workbench.firmware.AppImageBuilder;
import org.secureota.workbench.firmware.ChipId;
import org.secureota.workbench.firmware.OtaData;
import org.secureota.workbench.firmware.OtaState;
import org.secureota.workbench.firmware.PartitionTable;
import org.junit.jupiter.api.Tag;

@Tag("integration")
class FirmwareCommandTest {

    @TempDir
    Path lab;

    Path image;

    @BeforeEach
    void labWithPkiAndImage() throws Exception {
        CliTestSupport.Run init = run("pki", "init");
        assertThat(init.exitCode()).as(init.err()).isZero();
        image = lab.resolve("build/shop-display.bin");
        Files.createDirectories(image.getParent());
        Files.write(image, build("2.0.0", 1));
    }

    static byte[] build(String version, long secureVersion) {
        return AppImageBuilder.forChip(ChipId.HOST)
                .descriptor(new AppDescriptor(secureVersion, version, "shop-display", "10:00:00", "Nov 24 2026", "host", null))
                .segment(0x4008_0000L, new byte[128])
                .build();
    }

    CliTestSupport.Run run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--lab";
        all[1] = lab.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliTestSupport.run(all);
    }

    @Test
    void publishInspectVerifyTamperVerifyFails() throws Exception {
        CliTestSupport.Run publish = run("firmware", "publish", image.toString(), "--product", "shop-display");
        assertThat(publish.exitCode()).as(publish.err()).isZero();
        assertThat(publish.out()).contains("Published shop-display 2.0.0", "counter 1", "/firmware/shop-display-2.0.0.bin");
        Path published = lab.resolve("releases/shop-display/shop-display-2.0.0.bin");
        Path manifest = lab.resolve("releases/shop-display/shop-display-2.0.0.jws");
        assertThat(published).exists();
        assertThat(manifest).exists();

        CliTestSupport.Run inspect = run("firmware", "inspect", published.toString(), "--json");
        assertThat(inspect.exitCode()).as(inspect.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(inspect.out());
        assertThat(json.get("checksum_ok").asBoolean()).isTrue();
        assertThat(json.get("hash_ok").asBoolean()).isTrue();
        assertThat(json.get("chip").asText()).isEqualTo("HOST");
        assertThat(json.get("chip_id").asInt()).isEqualTo(0xFFFF);
        assertThat(json.get("segments")).hasSize(2);
        assertThat(json.get("sha256").asText()).hasSize(64);
        assertThat(json.at("/app/version").asText()).isEqualTo("2.0.0");
        assertThat(json.at("/app/project_name").asText()).isEqualTo("shop-display");
        assertThat(json.at("/app/secure_version").asInt()).isEqualTo(1);
        assertThat(json.get("problems")).isEmpty();

        CliTestSupport.Run verify = run("firmware", "verify", manifest.toString());
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("OK    signature", "OK    image");

        // An attacker on the server's file store swaps one byte of the image.
        byte[] bytes = Files.readAllBytes(published);
        bytes[200] ^= 1;
        Files.write(published, bytes);
        CliTestSupport.Run tampered = run("firmware", "verify", manifest.toString());
        assertThat(tampered.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(tampered.out()).contains("REFUSED IMAGE_MISMATCH", "SHA-256");

        CliTestSupport.Run inspectTampered = run("firmware", "inspect", published.toString());
        assertThat(inspectTampered.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(inspectTampered.out()).contains("checksum", "WRONG", "INVALID");

        // ... or rewrites the manifest's payload.
        String jws = Files.readString(manifest).strip();
        String[] parts = jws.split("\\.");
        char[] payload = parts[1].toCharArray();
        payload[20] = payload[20] == 'x' ? 'y' : 'x';
        Files.writeString(manifest, parts[0] + "." + new String(payload) + "." + parts[2]);
        CliTestSupport.Run badSig = run("firmware", "verify", manifest.toString(), "--image", image.toString());
        assertThat(badSig.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(badSig.out()).containsAnyOf("REFUSED BAD_SIGNATURE", "REFUSED MALFORMED");
    }

    @Test
    void verifyRefusesAnotherKeyAndAnExpiredManifest() throws Exception {
        assertThat(run("firmware", "publish", image.toString(), "--product", "shop-display", "--validity", "1").exitCode()).isZero();
        Path manifest = lab.resolve("releases/shop-display/shop-display-2.0.0.jws");

        CliTestSupport.Run rogue = run("firmware", "verify", manifest.toString(), "--key", lab.resolve("certs/server.pem").toString());
        assertThat(rogue.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(rogue.out()).contains("REFUSED WRONG_KEY");

        CliTestSupport.Run expired = run("firmware", "verify", manifest.toString(), "--at", "2099-01-01T00:00:00Z");
        assertThat(expired.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(expired.out()).contains("REFUSED EXPIRED");

        assertThat(run("firmware", "verify", manifest.toString(), "--at", "tomorrow").exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run("firmware", "verify", lab.resolve("nope.jws").toString()).exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    }

    // issue 29: devices refuse another product's image (IMAGE_WRONG_PRODUCT), so publish says so first.
    @Test
    void publishRefusesAnImageOfAnotherProjectUnlessForced() throws Exception {
        CliTestSupport.Run refused = run("firmware", "publish", image.toString(), "--product", "kiosk");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(refused.err()).contains("project 'shop-display'", "product 'kiosk'", "--force");
        assertThat(lab.resolve("releases/kiosk")).doesNotExist();
        CliTestSupport.Run forced = run("firmware", "publish", image.toString(), "--product", "kiosk", "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
    }

    @Test
    void publishRefusesBadImagesNamesAndRepublishing() throws Exception {
        byte[] bad = Files.readAllBytes(image);
        bad[0] = 0;
        Path badFile = lab.resolve("bad.bin");
        Files.write(badFile, bad);
        CliTestSupport.Run refused = run("firmware", "publish", badFile.toString(), "--product", "shop-display");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(refused.err()).contains("not a valid app image", "magic", "0x000000");

        assertThat(run("firmware", "publish", image.toString(), "--product", "../etc").err()).contains("product name");
        assertThat(run("firmware", "publish", image.toString(), "--product", "shop-display").exitCode()).isZero();
        CliTestSupport.Run again = run("firmware", "publish", image.toString(), "--product", "shop-display");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(again.err()).contains("already published", "--force");
        CliTestSupport.Run forced = run("firmware", "publish", image.toString(), "--product", "shop-display", "--force");
        assertThat(forced.exitCode()).isZero();
        assertThat(forced.out()).contains("counter 2");
    }

    @Test
    void publishWithoutPkiSaysToCreateIt(@TempDir Path empty) throws Exception {
        CliTestSupport.Run r = CliTestSupport.run("--lab", empty.toString(), "firmware", "publish", image.toString(),
                "--product", "shop-display");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("pki init");
    }

    @Test
    void inspectRandomAndTruncatedInputIsAReportNotATrace() throws Exception {
        Path random = lab.resolve("random.bin");
        byte[] noise = new byte[5000];
        new java.util.Random(7).nextBytes(noise);
        Files.write(random, noise);
        CliTestSupport.Run r = run("firmware", "inspect", random.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out()).contains("magic");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");

        Path truncated = lab.resolve("truncated.bin");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(image), 100));
        CliTestSupport.Run t = run("firmware", "inspect", truncated.toString(), "--json");
        assertThat(t.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        JsonNode json = new ObjectMapper().readTree(t.out());
        assertThat(json.get("problems").toString()).contains("truncated");
        assertThat(json.get("checksum_ok").asBoolean()).isFalse();

        assertThat(run("firmware", "inspect", lab.resolve("missing.bin").toString()).exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void partitionsOfATableACsvAndAFlashDump() throws Exception {
        Path table = lab.resolve("partitions.bin");
        Files.write(table, PartitionTable.espIdfTwoOta().toBinary());
        CliTestSupport.Run t = run("firmware", "partitions", table.toString(), "--csv");
        assertThat(t.exitCode()).as(t.out() + t.err()).isZero();
        assertThat(t.out()).contains("ota_1", "0x210000", "ota_1,app,ota_1,0x210000,1M,");

        Path csv = lab.resolve("partitions.csv");
        Files.writeString(csv, PartitionTable.arduinoDefault().toCsv());
        CliTestSupport.Run c = run("firmware", "partitions", csv.toString());
        assertThat(c.exitCode()).isZero();
        assertThat(c.out()).contains("972dae2ff872a0142d60bad124c0666b");

        // A 4 MB flash: v1 in ota_0 (valid, confirmed), v2 in ota_1 (NEW), a corrupted image in factory.
        byte[] flash = new byte[0x400000];
        Arrays.fill(flash, (byte) 0xFF);
        System.arraycopy(PartitionTable.espIdfTwoOta().toBinary(), 0, flash, 0x8000, 0xC00);
        OtaData otaData = OtaData.erased().withBootSlot(0, 2, OtaState.VALID).withBootSlot(1, 2, OtaState.NEW);
        System.arraycopy(otaData.toBytes(), 0, flash, 0xD000, 0x2000);
        byte[] v1 = build("1.0.0", 0);
        byte[] v2 = build("2.0.0", 1);
        byte[] broken = build("0.9.0", 0);
        broken[300] ^= 1;
        System.arraycopy(broken, 0, flash, 0x10000, broken.length);
        System.arraycopy(v1, 0, flash, 0x110000, v1.length);
        System.arraycopy(v2, 0, flash, 0x210000, v2.length);
        Path dump = lab.resolve("flash.bin");
        Files.write(dump, flash);
        CliTestSupport.Run f = run("firmware", "partitions", dump.toString());
        assertThat(f.out()).contains("seq 1, VALID", "seq 2, NEW", "<- active", "boot ota_1",
                "ota_0            0x110000  1.0.0 valid", "ota_1            0x210000  2.0.0 valid",
                "factory          0x010000  0.9.0 INVALID");
        // The broken factory image is reported with its offset in the flash.
        assertThat(f.out()).contains("0x0101af checksum");
        assertThat(f.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);

        Path odd = lab.resolve("odd.bin");
        Files.write(odd, new byte[0x5000]);
        assertThat(run("firmware", "partitions", odd.toString()).exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
    }
}
