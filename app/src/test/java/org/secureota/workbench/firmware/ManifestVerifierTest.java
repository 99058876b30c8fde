package org.secureota.workbench.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;

@Tag("unit")
class ManifestVerifierTest {

    static final Instant ISSUED = Instant.parse("2026-11-24T10:00:00Z");
    static final Instant NOW = ISSUED.plus(Duration.ofHours(1));
    static final KeyPair LAB = TestKeys.p256();
    static final KeyPair OTHER = TestKeys.p256();
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    static final Base64.Decoder D64 = Base64.getUrlDecoder();

    final ManifestVerifier verifier = new ManifestVerifier(LAB.getPublic());

    static Manifest manifest(String version, long counter) {
        byte[] image = TestImages.small(version, 1);
        AppImage parsed = AppImage.parse(image);
        return new Manifest(1, "shop-display", version, 1, "/firmware/shop-display-" + version + ".bin", image.length,
                parsed.sha256(), ISSUED, ISSUED.plus(Duration.ofDays(30)), counter);
    }

    static String signed(KeyPair key, Manifest m) {
        return new ManifestSigner(key.getPrivate()).sign(m).compact();
    }

    /** Signs arbitrary header and payload JSON with {@code key}: a correctly signed but hostile manifest. */
    static String signRaw(KeyPair key, String headerJson, String payloadJson) {
        String input = B64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
        byte[] sig = ManifestSigner.signRaw(key.getPrivate(), input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(sig);
    }

    static String labHeader() {
        return new String(ManifestSigner.protectedHeader(ManifestKeys.keyId(LAB.getPublic())), StandardCharsets.UTF_8);
    }

    static String payloadJson(Manifest m) {
        return new String(m.toJson(), StandardCharsets.UTF_8);
    }

    ManifestRefusal refusal(String compact) {
        ManifestVerification v = verifier.verify(compact, NOW);
        assertThat(v.isAccepted()).as("expected a refusal").isFalse();
        assertThat(v.reason()).isNotBlank();
        return v.refusal();
    }

    @Test
    void acceptsWhatTheLabKeySigned() {
        Manifest m = manifest("2.0.0", 1);
        String jws = signed(LAB, m);
        ManifestVerification v = verifier.verify(jws, NOW);
        assertThat(v.isAccepted()).as(v.reason()).isTrue();
        assertThat(v.manifest()).isEqualTo(m);
        assertThat(jws.split("\\.")).hasSize(3);
        assertThat(jws).doesNotContain("=", "+", "/");
        assertThat(new String(D64.decode(jws.split("\\.")[0]), StandardCharsets.UTF_8))
                .isEqualTo("{\"alg\":\"ES256\",\"typ\":\"ota-manifest+jws\",\"kid\":\"" + verifier.trustedKeyId() + "\"}");
        assertThat(D64.decode(jws.split("\\.")[2])).hasSize(64);
        assertThat(SignedManifest.parseUnverified(jws).manifest()).isEqualTo(m);
    }

    @Test
    void signatureIsStandardEcdsaOverTheSigningInput() throws Exception {
        // Independent of our verifier: r||s converted to DER verifies with the JDK's plain SHA256withECDSA.
        String jws = signed(LAB, manifest("2.0.0", 1));
        int dot = jws.lastIndexOf('.');
        byte[] der = Der.fromRawEs256(D64.decode(jws.substring(dot + 1)));
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initVerify(LAB.getPublic());
        ecdsa.update(jws.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
        assertThat(ecdsa.verify(der)).isTrue();
    }

    @Test
    void refusesAnotherKeyAsWrongKey() {
        String jws = signed(OTHER, manifest("2.0.0", 1));
        assertThat(refusal(jws)).isEqualTo(ManifestRefusal.WRONG_KEY);
        assertThat(verifier.verify(jws, NOW).reason()).contains(ManifestKeys.keyId(OTHER.getPublic()));
    }

    @Test
    void refusesAnotherKeyClaimingOurKidAsBadSignature() {
        String jws = signRaw(OTHER, labHeader(), payloadJson(manifest("2.0.0", 1)));
        assertThat(refusal(jws)).isEqualTo(ManifestRefusal.BAD_SIGNATURE);
    }

    @Test
    void refusesAModifiedPayload() {
        String jws = signed(LAB, manifest("2.0.0", 1));
        String[] parts = jws.split("\\.");
        String evil = payloadJson(manifest("2.0.0", 1)).replace("\"secure_version\":1", "\"secure_version\":0");
        assertThat(refusal(parts[0] + "." + B64.encodeToString(evil.getBytes(StandardCharsets.UTF_8)) + "." + parts[2]))
                .isEqualTo(ManifestRefusal.BAD_SIGNATURE);
        // One changed byte of the payload's base64, anywhere.
        char[] chars = jws.toCharArray();
        int i = parts[0].length() + 10;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        assertThat(refusal(new String(chars))).isIn(ManifestRefusal.BAD_SIGNATURE, ManifestRefusal.MALFORMED);
    }

    @Test
    void refusesASignatureTakenFromAnotherManifest() {
        String[] mine = signed(LAB, manifest("2.0.0", 1)).split("\\.");
        String[] other = signed(LAB, manifest("1.0.0", 2)).split("\\.");
        assertThat(refusal(mine[0] + "." + mine[1] + "." + other[2])).isEqualTo(ManifestRefusal.BAD_SIGNATURE);
    }

    @Test
    void refusesPsychicSignaturesAndOutOfRangeScalars() {
        String[] p = signed(LAB, manifest("2.0.0", 1)).split("\\.");
        byte[] order = ManifestKeys.P256_ORDER.toByteArray();  // 33 bytes with a leading 0
        byte[] rIsOrder = new byte[64];
        System.arraycopy(order, 1, rIsOrder, 0, 32);
        rIsOrder[63] = 1;
        for (byte[] sig : new byte[][] {new byte[64], rIsOrder}) {
            ManifestVerification v = verifier.verify(p[0] + "." + p[1] + "." + B64.encodeToString(sig), NOW);
            assertThat(v.refusal()).isEqualTo(ManifestRefusal.BAD_SIGNATURE);
            assertThat(v.reason()).contains("CVE-2022-21449");
        }
    }

    @Test
    void refusesAlgNoneAndEveryOtherAlgorithm() {
        String payload = B64.encodeToString(manifest("2.0.0", 1).toJson());
        String none = B64.encodeToString("{\"alg\":\"none\",\"typ\":\"ota-manifest+jws\",\"kid\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(refusal(none + "." + payload + ".")).isEqualTo(ManifestRefusal.ALGORITHM_NOT_ALLOWED);
        assertThat(verifier.verify(none + "." + payload + ".", NOW).reason()).contains("'none'");
        for (String alg : new String[] {"HS256", "RS256", "ES384", "es256", "ES256K", "EdDSA", ""}) {
            String header = "{\"alg\":\"" + alg + "\",\"typ\":\"ota-manifest+jws\",\"kid\":\"" + verifier.trustedKeyId() + "\"}";
            assertThat(refusal(signRaw(LAB, header, payloadJson(manifest("2.0.0", 1)))))
                    .as(alg).isEqualTo(ManifestRefusal.ALGORITHM_NOT_ALLOWED);
        }
    }

    @Test
    void refusesExpiredAndNotYetValid() {
        String jws = signed(LAB, manifest("2.0.0", 1));
        ManifestVerification expired = verifier.verify(jws, ISSUED.plus(Duration.ofDays(30)));
        assertThat(expired.refusal()).isEqualTo(ManifestRefusal.EXPIRED);
        assertThat(expired.reason()).contains("2026-12-24T10:00:00Z");
        assertThat(expired.verifiedManifest()).isPresent();
        assertThat(verifier.verify(jws, ISSUED.plus(Duration.ofDays(30)).minusSeconds(1)).isAccepted()).isTrue();

        assertThat(verifier.verify(jws, ISSUED.minus(Duration.ofMinutes(6))).refusal())
                .isEqualTo(ManifestRefusal.NOT_YET_VALID);
        assertThat(verifier.verify(jws, ISSUED.minus(Duration.ofMinutes(4))).isAccepted()).isTrue();
    }

    @Test
    void refusesMalformedEnvelopes() {
        String jws = signed(LAB, manifest("2.0.0", 1));
        String[] p = jws.split("\\.");
        String[] malformed = {
            "", "abc", p[0] + "." + p[1], jws + "." + p[2], jws + ".x.y",
            p[0] + "." + p[1] + "." + p[2] + "=",                    // padding
            p[0] + "." + p[1].replace('-', '+').replace('_', '/') + "/+." + p[2],  // base64, not base64url
            p[0] + ".." + p[2],                                       // empty payload
            B64.encodeToString("not json".getBytes()) + "." + p[1] + "." + p[2],
            B64.encodeToString("[1,2]".getBytes()) + "." + p[1] + "." + p[2],
            p[0] + "." + p[1] + "." + B64.encodeToString(new byte[63]),
            p[0] + "." + p[1] + "." + B64.encodeToString(new byte[72]),
            "x".repeat(20_000),
        };
        for (String m : malformed) {
            assertThat(refusal(m)).as("'%s'", m.length() > 60 ? m.substring(0, 60) + "..." : m)
                    .isEqualTo(ManifestRefusal.MALFORMED);
        }
    }

    @Test
    void refusesADerSignature() throws Exception {
        String jws = signed(LAB, manifest("2.0.0", 1));
        int dot = jws.lastIndexOf('.');
        byte[] der = Der.fromRawEs256(D64.decode(jws.substring(dot + 1)));
        ManifestVerification v = verifier.verify(jws.substring(0, dot + 1) + B64.encodeToString(der), NOW);
        assertThat(v.refusal()).isEqualTo(ManifestRefusal.MALFORMED);
        assertThat(v.reason()).contains("64 bytes", "DER");
    }

    @Test
    void refusesHeadersWithMissingWrongOrExtraParameters() {
        String payload = payloadJson(manifest("2.0.0", 1));
        String kid = verifier.trustedKeyId();
        String[] headers = {
            "{\"alg\":\"ES256\",\"typ\":\"ota-manifest+jws\"}",
            "{\"alg\":\"ES256\",\"kid\":\"" + kid + "\"}",
            "{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}",
            "{\"alg\":\"ES256\",\"typ\":\"ota-manifest+jws\",\"kid\":\"" + kid + "\",\"jku\":\"https://evil/keys\"}",
            "{\"alg\":\"ES256\",\"typ\":\"ota-manifest+jws\",\"kid\":\"" + kid + "\",\"crit\":[\"exp\"]}",
            "{\"typ\":\"ota-manifest+jws\",\"kid\":\"" + kid + "\"}",
            "{\"alg\":\"ES256\",\"alg\":\"none\",\"typ\":\"ota-manifest+jws\",\"kid\":\"" + kid + "\"}",
        };
        for (String header : headers) {
            assertThat(refusal(signRaw(LAB, header, payload))).as(header).isEqualTo(ManifestRefusal.MALFORMED);
        }
    }

    @Test
    void refusesSignedPayloadsThatAreNotValidManifests() {
        String good = payloadJson(manifest("2.0.0", 1));
        String[] payloads = {
            good.replace("\"counter\":1", "\"counter\":1,\"extra\":true"),
            good.replace(",\"counter\":1", ""),
            good.replace("\"size\":", "\"size\":\"").replace(",\"sha256\"", "\",\"sha256\""),
            good.replace("\"counter\":1", "\"counter\":1.5"),
            good.replace("\"counter\":1", "\"counter\":1,\"counter\":9"),
            good.replace("\"v\":1", "\"v\":2"),
            good.replace("\"product\":\"shop-display\"", "\"product\":\"../etc\""),
            good.replace("\"version\":\"2.0.0\"", "\"version\":\"2.0\""),
            good.replace("\"url\":\"/firmware/", "\"url\":\"https://evil.example/"),
            good.replace("\"secure_version\":1", "\"secure_version\":-1"),
            good.replace("\"counter\":1", "\"counter\":0"),
            "[" + good + "]",
            good + "{}",
            "not json",
        };
        for (String payload : payloads) {
            assertThat(refusal(signRaw(LAB, labHeader(), payload))).as(payload).isEqualTo(ManifestRefusal.PAYLOAD_INVALID);
        }
        String swapped = good.replaceAll("\"expires_at\":\\d+", "\"expires_at\":" + (ISSUED.getEpochSecond() - 1));
        assertThat(verifier.verify(signRaw(LAB, labHeader(), swapped), NOW).reason()).contains("not after");
    }

    // issue 29: what the device refuses, 'firmware verify' refuses too, with the field named.
    @Test
    void refusesCountersOutsideOneTo2Pow53AndNamesTheField() {
        String good = payloadJson(manifest("2.0.0", 1));
        for (String counter : new String[] {"0", "9007199254740992", "-1"}) {
            ManifestVerification v = verifier.verify(signRaw(LAB, labHeader(),
                    good.replace("\"counter\":1", "\"counter\":" + counter)), NOW);
            assertThat(v.refusal()).as(counter).isEqualTo(ManifestRefusal.PAYLOAD_INVALID);
            assertThat(v.reason()).as(counter).contains("'counter'");
        }
        assertThat(verifier.verify(signRaw(LAB, labHeader(), good.replace("\"counter\":1",
                "\"counter\":9007199254740991")), NOW).isAccepted()).isTrue();
        ManifestVerification unknown = verifier.verify(signRaw(LAB, labHeader(),
                good.replace("\"counter\":1", "\"counter\":1,\"devices\":\"other-id\"")), NOW);
        assertThat(unknown.reason()).contains("'devices'");
    }

    @Test
    void highSSignaturesAreRefusedAndTheSignerWritesLowS() {
        for (int i = 0; i < 16; i++) {  // about half of raw ECDSA signatures are high-s: the signer must fix each
            String jws = signed(LAB, manifest("2.0.0", 1 + i));
            byte[] sig = D64.decode(jws.substring(jws.lastIndexOf('.') + 1));
            assertThat(ManifestVerifier.highS(sig)).as("signature " + i).isFalse();
            assertThat(verifier.verify(jws, NOW).isAccepted()).isTrue();
            // The twin (r, n - s) is a valid ECDSA signature too, and is refused.
            java.math.BigInteger s = new java.math.BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
            byte[] twinS = ManifestKeys.P256_ORDER.subtract(s).toByteArray();
            byte[] twin = sig.clone();
            java.util.Arrays.fill(twin, 32, 64, (byte) 0);
            int n = Math.min(twinS.length, 32);
            System.arraycopy(twinS, twinS.length - n, twin, 64 - n, n);
            String malleated = jws.substring(0, jws.lastIndexOf('.') + 1) + B64.encodeToString(twin);
            ManifestVerification v = verifier.verify(malleated, NOW);
            assertThat(v.refusal()).isEqualTo(ManifestRefusal.MALFORMED);
            assertThat(v.reason()).contains("high-s");
        }
    }

    @Test
    void aPerDeviceManifestCarriesItsDeviceAndRoundTrips() {
        Manifest m = manifest("2.0.0", 3).forDevice("esp32-lab-01", ISSUED, ISSUED.plus(Duration.ofDays(30)), 3);
        assertThat(payloadJson(m)).endsWith(",\"device\":\"esp32-lab-01\"}");
        ManifestVerification v = verifier.verify(signed(LAB, m), NOW);
        assertThat(v.isAccepted()).isTrue();
        assertThat(v.manifest().device()).isEqualTo("esp32-lab-01");
        assertThat(manifest("2.0.0", 3).device()).isNull();
        assertThatThrownBy(() -> manifest("2.0.0", 3).forDevice("../x", ISSUED, ISSUED.plus(Duration.ofDays(1)), 3))
                .hasMessageContaining("'device'");
    }

    @Test
    void checksTheImageAgainstTheManifest() {
        byte[] image = TestImages.small("2.0.0", 1);
        String jws = signed(LAB, manifest("2.0.0", 1));
        assertThat(verifier.verify(jws, NOW, image).isAccepted()).isTrue();

        byte[] flipped = image.clone();
        flipped[300] ^= 1;
        ManifestVerification v = verifier.verify(jws, NOW, flipped);
        assertThat(v.refusal()).isEqualTo(ManifestRefusal.IMAGE_MISMATCH);
        assertThat(v.reason()).contains("SHA-256");

        assertThat(verifier.verify(jws, NOW, java.util.Arrays.copyOf(image, image.length + 4)).reason()).contains("bytes");
        // The right size and hash, but the manifest claims another secure_version: refused too.
        Manifest lying = new Manifest(1, "shop-display", "2.0.0", 7, "/firmware/x.bin", image.length,
                AppImage.parse(image).sha256(), ISSUED, ISSUED.plus(Duration.ofDays(1)), 5);
        assertThat(ManifestVerifier.checkImage(lying, image).reason()).contains("secure_version");
    }

    @Test
    void refusesNonP256Keys() {
        assertThatThrownBy(() -> new ManifestSigner(TestKeys.ec("secp384r1").getPrivate()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256");
        assertThatThrownBy(() -> new ManifestVerifier(TestKeys.ec("secp384r1").getPublic()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyIdIsDerivedFromThePublicKeyAndMatchesTheSigner() {
        assertThat(ManifestKeys.publicKeyOf(LAB.getPrivate())).isEqualTo(LAB.getPublic());
        assertThat(new ManifestSigner(LAB.getPrivate()).keyId()).isEqualTo(ManifestKeys.keyId(LAB.getPublic()))
                .hasSize(16).matches("[0-9a-f]{16}");
        assertThat(ManifestKeys.keyId(OTHER.getPublic())).isNotEqualTo(ManifestKeys.keyId(LAB.getPublic()));
    }
}
