package org.secureota.workbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.secureota.workbench.Prerequisites.require;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.secureota.workbench.firmware.AppDescriptor;
import org.secureota.workbench.firmware.AppImageBuilder;
import org.secureota.workbench.firmware.ChipId;
import org.junit.jupiter.api.Tag;

/**
 * A manifest published by the CLI verifies with OpenSSL and the lab's {@code certs/signing-pub.pem}
 * alone, after converting the JWS r||s signature to DER: so any ES256 implementation (mbedTLS on the
 * device) can verify what the workbench signs. Skipped when openssl is not installed.
 */
@Tag("integration")
class OpensslManifestCheckTest {

    @TempDir
    Path lab;

    static Process run(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    static boolean opensslAvailable() {
        try {
            Process p = run(List.of("openssl", "version"));
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Exit code and output of openssl dgst -verify over {@code data}. */
    String opensslVerify(Path publicKey, byte[] data, byte[] derSignature) throws Exception {
        Path input = lab.resolve("signing-input");
        Path sig = lab.resolve("sig.der");
        Files.write(input, data);
        Files.write(sig, derSignature);
        Process p = run(List.of("openssl", "dgst", "-sha256", "-verify", publicKey.toString(), "-signature",
                sig.toString(), input.toString()));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() + " " + out.strip();
    }

    static byte[] der(byte[] rs) throws IOException {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(rs, 0, 32))));
        v.add(new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(rs, 32, 64))));
        return new DERSequence(v).getEncoded();
    }

    @Test
    void opensslVerifiesAPublishedManifestWithSigningPubPem() throws Exception {
        require(opensslAvailable(), "openssl is not installed");
        assertThat(CliTestSupport.run("--lab", lab.toString(), "pki", "init").exitCode()).isZero();
        Path image = lab.resolve("app.bin");
        Files.write(image, AppImageBuilder.forChip(ChipId.HOST).descriptor(AppDescriptor.of("shop-display", "2.0.0", 1))
                .segment(0x4008_0000L, new byte[64]).build());
        CliTestSupport.Run publish = CliTestSupport.run("--lab", lab.toString(), "firmware", "publish", image.toString(),
                "--product", "shop-display");
        assertThat(publish.exitCode()).as(publish.err()).isZero();

        String jws = Files.readString(lab.resolve("releases/shop-display/shop-display-2.0.0.jws")).strip();
        int dot = jws.lastIndexOf('.');
        byte[] signingInput = jws.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
        byte[] rs = Base64.getUrlDecoder().decode(jws.substring(dot + 1));
        assertThat(rs).hasSize(64);
        Path pub = lab.resolve("certs/signing-pub.pem");

        assertThat(opensslVerify(pub, signingInput, der(rs))).isEqualTo("0 Verified OK");

        // The same signature over one changed byte fails in OpenSSL too: the check can fail.
        byte[] changed = signingInput.clone();
        changed[changed.length - 1] ^= 1;
        assertThat(opensslVerify(pub, changed, der(rs))).startsWith("1 ").contains("Verification failure");

        // The kid is SHA-256 of the SubjectPublicKeyInfo DER as openssl writes it.
        Process p = run(List.of("openssl", "pkey", "-pubin", "-in", pub.toString(), "-outform", "DER"));
        byte[] spki = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String kid = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(spki), 0, 8);
        String header = new String(Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))), StandardCharsets.UTF_8);
        assertThat(header).isEqualTo("{\"alg\":\"ES256\",\"typ\":\"ota-manifest+jws\",\"kid\":\"" + kid + "\"}");
    }
}
