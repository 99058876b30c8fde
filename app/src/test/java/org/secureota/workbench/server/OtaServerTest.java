package org.secureota.workbench.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.secureota.workbench.firmware.FreshnessStatement;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.JournalEvent;
import org.secureota.workbench.journal.JournalJson;
import org.junit.jupiter.api.Tag;

/** The real server on an ephemeral port, driven by a real TLS client that trusts only the lab CA. */
@Tag("integration")
class OtaServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;
    static TestLab lab;
    static Journal journal;
    static OtaServer server;
    static HttpClient client;
    static Release v1;
    static Release v2;
    static String key1;
    static String key2;
    static String kioskKey;
    /** The Authorization header of dev-1, which downloads in these tests. */
    static String[] KEY1;

    @BeforeAll
    static void start() throws Exception {
        lab = new TestLab(root);
        v1 = lab.publish("shop-display", "1.0.0", 10_000);
        v2 = lab.publish("shop-display", "2.0.0", 1024 * 1024);
        lab.publish("kiosk", "1.9.0", 1000);
        lab.publish("kiosk", "1.10.0", 1000);
        key1 = lab.state.provision("dev-1", "shop-display");
        key2 = lab.state.provision("dev-2", "shop-display");
        kioskKey = lab.state.provision("kiosk-1", "kiosk");
        KEY1 = new String[] {"Authorization", "Bearer " + key1};
        journal = new Journal();
        // Every client here is 127.0.0.1 and downloads as dev-1: generous failure and download budgets
        // keep the tests from tripping the limits, which have their own tests and servers (ServerLimitsTest).
        server = OtaServer.builder(lab.state, journal)
                .identity(ServerIdentity.labServer(lab.pki))
                .port(0)
                .limits(ServerLimits.defaults().withAuthFailures(1000, 1000, Duration.ofMinutes(1))
                        .withDownloads(64, 64, Duration.ofSeconds(10)).withConnections(256, 256))
                .start();
        server.deploy("shop-display", "2.0.0");
        server.deploy("kiosk", "1.10.0");
        client = lab.client();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        journal.close();
    }

    private static URI uri(String pathAndQuery) {
        return server.baseUri().resolve(pathAndQuery);
    }

    private static URI manifest(String device, String current) {
        return uri("/api/v1/manifest?product=shop-display&device=" + device + (current == null ? "" : "&current=" + current));
    }

    @Test
    void healthAnswersWithoutAKey() throws Exception {
        HttpResponse<byte[]> r = TestLab.get(client, uri("/api/v1/health"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void manifestWithTheDeviceKeyIsTheSignedManifestOfTheDeployedRelease() throws Exception {
        HttpResponse<byte[]> r = TestLab.get(client, manifest("dev-1", "1.0.0"), "Authorization", "Bearer " + key1);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/jose");
        String jws = new String(r.body(), StandardCharsets.US_ASCII);
        assertThat(jws).isEqualTo(v2.jws());

        // The body verifies as an ES256 JWS under the lab's signing key, and names the 2.0.0 image.
        String[] parts = jws.split("\\.");
        assertThat(parts).hasSize(3);
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        es256.initVerify(lab.pki.signingPublicKey());
        es256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(es256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        JsonNode payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(payload.path("version").asText()).isEqualTo("2.0.0");
        assertThat(payload.path("url").asText()).isEqualTo("/firmware/shop-display-2.0.0.bin");
        assertThat(payload.path("sha256").asText()).isEqualTo(TestLab.sha256(v2.imageFile()));

        // X-API-Key is accepted too, and no current version means "send me the deployed one".
        HttpResponse<byte[]> x = TestLab.get(client, manifest("dev-1", null), "X-API-Key", key1);
        assertThat(x.statusCode()).isEqualTo(200);
    }

    @Test
    void missingWrongOrForeignKeysGet401WithAJsonError() throws Exception {
        HttpResponse<byte[]> none = TestLab.get(client, manifest("dev-1", "1.0.0"));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode noneBody = JSON.readTree(none.body());
        assertThat(noneBody.path("error").asText()).isEqualTo("missing_api_key");
        assertThat(noneBody.path("message").asText()).contains("Authorization: Bearer");

        HttpResponse<byte[]> wrong = TestLab.get(client, manifest("dev-1", "1.0.0"), "Authorization", "Bearer not-the-key");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).path("error").asText()).isEqualTo("invalid_api_key");

        // Another device's valid key is a wrong key for this device.
        HttpResponse<byte[]> foreign = TestLab.get(client, manifest("dev-1", "1.0.0"), "Authorization", "Bearer " + key2);
        assertThat(foreign.statusCode()).isEqualTo(401);

        // An unknown device gets the same answer as a wrong key: ids cannot be enumerated.
        HttpResponse<byte[]> unknown = TestLab.get(client, manifest("nobody", "1.0.0"), "Authorization", "Bearer " + key1);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(unknown.body()).path("error").asText()).isEqualTo("invalid_api_key");
    }

    @Test
    void upToDateOrNewerDevicesGet204AndVersionsCompareAsSemver() throws Exception {
        assertThat(TestLab.get(client, manifest("dev-1", "2.0.0"), "X-API-Key", key1).statusCode()).isEqualTo(204);
        assertThat(TestLab.get(client, manifest("dev-1", "2.0.1"), "X-API-Key", key1).statusCode()).isEqualTo(204);
        // A pre-release of 2.0.0 is older than 2.0.0.
        assertThat(TestLab.get(client, manifest("dev-1", "2.0.0-rc.1"), "X-API-Key", key1).statusCode()).isEqualTo(200);
        // 1.10.0 is newer than 1.9.0, which string order gets wrong.
        URI kiosk = uri("/api/v1/manifest?product=kiosk&device=kiosk-1&current=1.9.0");
        HttpResponse<byte[]> r = TestLab.get(client, kiosk, "X-API-Key", kioskKey);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(Base64.getUrlDecoder().decode(new String(r.body()).split("\\.")[1]))
                .path("version").asText()).isEqualTo("1.10.0");

        HttpResponse<byte[]> bad = TestLab.get(client, manifest("dev-1", "two"), "X-API-Key", key1);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("message").asText()).contains("MAJOR.MINOR.PATCH");
    }

    @Test
    void aDeviceDeploymentOverridesItsProduct() throws Exception {
        server.deployToDevice("dev-2", "1.0.0");
        assertThat(TestLab.get(client, manifest("dev-2", "1.0.0"), "X-API-Key", key2).statusCode()).isEqualTo(204);
        HttpResponse<byte[]> older = TestLab.get(client, manifest("dev-2", "0.9.0"), "X-API-Key", key2);
        assertThat(new String(older.body(), StandardCharsets.US_ASCII)).isEqualTo(v1.jws());
        // dev-1 still follows the product.
        assertThat(TestLab.get(client, manifest("dev-1", "1.0.0"), "X-API-Key", key1).statusCode()).isEqualTo(200);
    }

    // issue 29: with the signing key, a per-device deployment gets a manifest bound to its device.
    @Test
    void aServerWithTheSigningKeyBindsAPerDeviceDeploymentsManifestToItsDevice() throws Exception {
        try (OtaServer signing = OtaServer.builder(lab.state, journal).identity(ServerIdentity.labServer(lab.pki))
                .port(0).signingKey(lab.pki.signingKey())
                .limits(ServerLimits.defaults().withAuthFailures(1000, 1000, Duration.ofMinutes(1))).start()) {
            signing.deployToDevice("dev-2", "1.0.0");
            HttpResponse<byte[]> r = TestLab.get(client, signing.baseUri().resolve(
                    "/api/v1/manifest?product=shop-display&device=dev-2&current=0.9.0"), "X-API-Key", key2);
            assertThat(r.statusCode()).isEqualTo(200);
            String jws = new String(r.body(), StandardCharsets.US_ASCII);
            org.secureota.workbench.firmware.ManifestVerification v =
                    new org.secureota.workbench.firmware.ManifestVerifier(lab.pki.signingPublicKey()).verify(jws, v1.issuedAt());
            assertThat(v.isAccepted()).as(v.toString()).isTrue();
            assertThat(v.manifest().device()).isEqualTo("dev-2");
            assertThat(v.manifest().counter()).isEqualTo(v1.counter());
            assertThat(v.manifest().sha256()).isEqualTo(v1.sha256());
            assertThat(v.manifest().expiresAt()).isEqualTo(v1.expiresAt());
            // The product-wide deployment of dev-1 still gets the stored manifest, with no device.
            HttpResponse<byte[]> other = TestLab.get(client, signing.baseUri().resolve(
                    "/api/v1/manifest?product=shop-display&device=dev-1&current=1.0.0"), "X-API-Key", key1);
            assertThat(new String(other.body(), StandardCharsets.US_ASCII)).isEqualTo(v2.jws());
        }
    }

    // issue 29: with the signing key, "nothing newer" is a signed statement naming the device's version.
    @Test
    void aServerWithTheSigningKeyAnswersNothingNewerWithASignedStatementOfTheDevicesVersion() throws Exception {
        try (OtaServer signing = OtaServer.builder(lab.state, journal).identity(ServerIdentity.labServer(lab.pki))
                .port(0).signingKey(lab.pki.signingKey())
                .limits(ServerLimits.defaults().withAuthFailures(1000, 1000, Duration.ofMinutes(1))).start()) {
            for (String current : List.of("2.0.0", "2.0.1")) {
                java.time.Instant before = java.time.Instant.now().minusSeconds(1);
                HttpResponse<byte[]> r = TestLab.get(client, signing.baseUri().resolve(
                        "/api/v1/manifest?product=shop-display&device=dev-1&current=" + current), "X-API-Key", key1);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/jose"));
                String jws = new String(r.body(), StandardCharsets.US_ASCII);
                FreshnessStatement s = FreshnessStatement.verify(jws, lab.pki.signingPublicKey());
                assertThat(s.product()).isEqualTo("shop-display");
                assertThat(s.device()).isEqualTo("dev-1");
                assertThat(s.current()).isEqualTo(current);
                assertThat(s.issuedAt()).isBetween(before, java.time.Instant.now().plusSeconds(1));
                assertThat(Duration.between(s.issuedAt(), s.expiresAt())).isEqualTo(FreshnessStatement.DEFAULT_VALIDITY);
                // Not a manifest: the manifest verifier refuses it by its typ, and another key does not verify it.
                assertThat(new org.secureota.workbench.firmware.ManifestVerifier(lab.pki.signingPublicKey())
                        .verify(jws, s.issuedAt()).isAccepted()).isFalse();
                java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
                g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
                org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> FreshnessStatement.verify(jws, g.generateKeyPair().getPublic()))
                        .hasMessageContaining("signature");
            }
        }
        // Without the key the server can only say 204, as before.
        assertThat(TestLab.get(client, manifest("dev-1", "2.0.0"), "X-API-Key", key1).statusCode()).isEqualTo(204);
    }

    @Test
    void aDeviceAskingForAnotherProductIsRefused() throws Exception {
        HttpResponse<byte[]> r = TestLab.get(client,
                uri("/api/v1/manifest?product=kiosk&device=dev-1&current=1.0.0"), "X-API-Key", key1);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).path("message").asText()).contains("provisioned for product 'shop-display'");
    }

    @Test
    void firmwareDownloadIsTheExactImageWithLengthAndEtag() throws Exception {
        HttpResponse<byte[]> r = TestLab.get(client, uri(v2.url()), KEY1);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(Files.readAllBytes(v2.imageFile()));
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(Files.size(v2.imageFile()));
        assertThat(r.headers().firstValue("ETag")).hasValueSatisfying(e -> assertThat(e).matches("\"[0-9a-f]+-[0-9a-f]+\""));
        assertThat(r.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");

        HttpResponse<byte[]> head = client.send(HttpRequest.newBuilder(uri(v2.url())).headers(KEY1)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(Files.size(v2.imageFile()));
    }

    @Test
    void downloadsNeedAKeyOfADeviceOfTheImagesProduct() throws Exception {
        HttpResponse<byte[]> none = TestLab.get(client, uri(v2.url()));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).path("error").asText()).isEqualTo("missing_api_key");
        assertThat(TestLab.get(client, uri(v2.url()), "Authorization", "Bearer not-a-key").statusCode()).isEqualTo(401);
        // Without a key, an unknown name gets the same 401: nobody learns which images exist.
        assertThat(TestLab.get(client, uri("/firmware/unknown-9.9.9.bin")).statusCode()).isEqualTo(401);
        HttpResponse<byte[]> foreign = TestLab.get(client, uri(v2.url()), "Authorization", "Bearer " + kioskKey);
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(foreign.body()).path("error").asText()).isEqualTo("wrong_product");
        assertThat(TestLab.get(client, uri(v2.url()), "X-API-Key", key2).statusCode()).isEqualTo(200);
        assertThat(journal.await(e -> e.type().equals("server.auth") && e.field("endpoint").orElse("").equals("firmware")
                && e.field("outcome").orElse("").equals("accepted") && "dev-2".equals(e.deviceId()),
                Duration.ofSeconds(5))).isPresent();
    }

    @Test
    void publicDownloadsServeImagesWithoutAKey() throws Exception {
        try (OtaServer open = OtaServer.builder(lab.state, journal).identity(ServerIdentity.labServer(lab.pki)).port(0)
                .publicDownloads(true).start()) {
            HttpResponse<byte[]> r = TestLab.get(client, open.baseUri().resolve(v1.url()));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(Files.readAllBytes(v1.imageFile()));
            assertThat(TestLab.get(client, open.baseUri().resolve("/firmware/unknown-9.9.9.bin")).statusCode())
                    .isEqualTo(404);
        }
    }

    @Test
    void rangesGet206WithTheExactBytes() throws Exception {
        byte[] image = Files.readAllBytes(v2.imageFile());
        int n = image.length;
        assertRange("bytes=0-99", Arrays.copyOfRange(image, 0, 100), "bytes 0-99/" + n);
        assertRange("bytes=1000-", Arrays.copyOfRange(image, 1000, n), "bytes 1000-" + (n - 1) + "/" + n);
        assertRange("bytes=-256", Arrays.copyOfRange(image, n - 256, n), "bytes " + (n - 256) + "-" + (n - 1) + "/" + n);
        // A suffix longer than the file is the whole file; an end past the file is clamped.
        assertRange("bytes=-" + (n + 10), image, "bytes 0-" + (n - 1) + "/" + n);
        assertRange("bytes=" + (n - 5) + "-" + (n + 100), Arrays.copyOfRange(image, n - 5, n),
                "bytes " + (n - 5) + "-" + (n - 1) + "/" + n);
        assertRange("bytes=7-7", Arrays.copyOfRange(image, 7, 8), "bytes 7-7/" + n);
    }

    private static void assertRange(String range, byte[] expected, String contentRange) throws Exception {
        HttpResponse<byte[]> r = TestLab.get(client, uri(v2.url()), "Range", range, KEY1[0], KEY1[1]);
        assertThat(r.statusCode()).as(range).isEqualTo(206);
        assertThat(r.headers().firstValue("Content-Range")).as(range).hasValue(contentRange);
        assertThat(r.headers().firstValueAsLong("Content-Length")).as(range).hasValue(expected.length);
        assertThat(r.body()).as(range).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=99999999-", "bytes=5-2", "bytes=-0", "bytes=abc", "bytes=1-2-3", "bytes="})
    void badRangesGet416WithTheSize(String range) throws Exception {
        long size = Files.size(v2.imageFile());
        HttpResponse<byte[]> r = TestLab.get(client, uri(v2.url()), "Range", range, KEY1[0], KEY1[1]);
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(r.headers().firstValue("Content-Range")).hasValue("bytes */" + size);
        assertThat(JSON.readTree(r.body()).path("error").asText()).isEqualTo("range_not_satisfiable");
    }

    @Test
    void aRangeForAnOlderCopyGetsTheWholeFile() throws Exception {
        HttpResponse<byte[]> full = TestLab.get(client, uri(v2.url()), KEY1);
        String etag = full.headers().firstValue("ETag").orElseThrow();
        assertThat(TestLab.get(client, uri(v2.url()), "Range", "bytes=0-9", "If-Range", etag, KEY1[0], KEY1[1]).statusCode()).isEqualTo(206);
        HttpResponse<byte[]> stale = TestLab.get(client, uri(v2.url()), "Range", "bytes=0-9", "If-Range", "\"0-0\"",
                KEY1[0], KEY1[1]);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).hasSize((int) Files.size(v2.imageFile()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/firmware/../../../etc/passwd",
        "/firmware/../certs/ca-key.pem",
        "/firmware/../api/v1/health",
        "/firmware/%2e%2e%2f%2e%2e%2fcerts%2fca-key.pem",
        "/firmware/%2E%2E/%2E%2E/certs/ca-key.pem",
        "/firmware/..%2f..%2fcerts%2fca-key.pem",
        "/firmware/..%5c..%5ccerts%5cca-key.pem",
        "/firmware/..\\..\\certs\\ca-key.pem",
        "/firmware//etc/passwd",
        "/firmware/%2fetc%2fpasswd",
        "/firmware/%252e%252e%252fcerts",
        "/firmware/shop-display-2.0.0.bin%00.png",
        "/firmware/./shop-display-2.0.0.bin",
        "/firmware/shop-display/shop-display-2.0.0.bin",
        "/firmware/shop-display-2.0.0.jws",
        "/firmware/counter",
        "/firmware/unknown-9.9.9.bin",
        "/certs/ca-key.pem",
        "/releases/shop-display/shop-display-2.0.0.bin",
        "/devices/devices.json",
        "https://localhost/firmware/../certs/ca-key.pem",
        "*",
    })
    void traversalEncodedAbsoluteAndUnknownPathsGet404(String target) throws Exception {
        // With a valid key, so that what stops these is the path check, not the missing key.
        TestLab.RawResponse r = lab.raw(server, "GET", target, "Authorization: Bearer " + key1);
        assertThat(r.status()).as(target + "\n" + r.head()).isEqualTo(404);
        assertThat(r.bodyText()).as(target).doesNotContain("BEGIN").contains("not_found");
    }

    @Test
    void deviceReportsGoIntoTheJournalAndOversizedOnesGet413() throws Exception {
        URI report = uri("/api/v1/devices/dev-1/report");
        // A client of its own: the shared one may hold a kept-alive connection that the server is
        // closing as idle, and HttpClient (rightly) does not retry a POST on such a connection.
        HttpClient client = lab.client();
        HttpResponse<String> ok = TestLab.post(client, report, "application/json",
                "{\"event\":\"refused\",\"version\":\"2.0.0\",\"reason\":\"manifest signature does not verify\"}"
                        .getBytes(StandardCharsets.UTF_8), "X-API-Key", key1);
        assertThat(ok.statusCode()).isEqualTo(204);
        JournalEvent e = journal.await(ev -> ev.type().equals("device.report") && "dev-1".equals(ev.deviceId()),
                Duration.ofSeconds(5)).orElseThrow();
        assertThat(e.field("event")).hasValue("refused");
        assertThat(e.field("reason")).hasValue("manifest signature does not verify");

        byte[] big = new byte[64 * 1024];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        HttpResponse<String> tooBig = TestLab.post(client, report, "application/json", big, "X-API-Key", key1);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(tooBig.body()).path("error").asText()).isEqualTo("report_too_large");

        HttpResponse<String> badEvent = TestLab.post(client, report, "application/json",
                "{\"event\":\"exploded\"}".getBytes(StandardCharsets.UTF_8), "X-API-Key", key1);
        assertThat(badEvent.statusCode()).isEqualTo(400);
        assertThat(badEvent.body()).contains("downloading, verified, installed, refused, booted, rolled_back");

        // A device cannot report for another one.
        HttpResponse<String> impostor = TestLab.post(client, report, "application/json",
                "{\"event\":\"installed\"}".getBytes(StandardCharsets.UTF_8), "X-API-Key", key2);
        assertThat(impostor.statusCode()).isEqualTo(401);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"event\":\"installed\",\"event\":\"refused\",\"reason\":\"x\"}|Duplicate field 'event'",
        "{\"event\":\"installed\"} {\"event\":\"refused\"}|Trailing token",
        "{\"event\":\"installed\"} // comment|comment",
        "{\"event\":\"installed\" /* comment */}|comment",
        "{\"event\":\"installed\"}]|close marker",
    })
    void reportsThatAreNotStrictJsonGet400WithTheReason(String body, String reason) throws Exception {
        HttpResponse<String> r = TestLab.post(lab.client(), uri("/api/v1/devices/dev-1/report"), "application/json",
                body.getBytes(StandardCharsets.UTF_8), "X-API-Key", key1);
        assertThat(r.statusCode()).as(body).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body());
        assertThat(error.path("error").asText()).isEqualTo("bad_json");
        assertThat(error.path("message").asText()).as(body).containsIgnoringCase(reason);
    }

    @Test
    void reportsRecordTheDevicesLastVersionStateAndVerdictWithCountsThatSayWhich() throws Exception {
        URI report = uri("/api/v1/devices/dev-2/report");
        HttpClient client = lab.client();
        // What the firmware sends after a resumed download of 2.0.0, then after V4 was rolled back.
        HttpResponse<String> installed = TestLab.post(client, report, "application/json",
                ("{\"event\":\"installed\",\"version\":\"2.0.0\",\"bytes_written\":433888,"
                        + "\"bytes_received\":438280,\"total\":433888,\"verdict\":\"UPDATED\","
                        + "\"running_version\":\"1.0.0\",\"resumes\":1}").getBytes(StandardCharsets.UTF_8),
                "X-API-Key", key2);
        assertThat(installed.statusCode()).as(installed.body()).isEqualTo(204);
        JournalEvent e = journal.await(ev -> ev.type().equals("device.report") && "dev-2".equals(ev.deviceId())
                && "installed".equals(ev.field("event").orElse(null)), Duration.ofSeconds(5)).orElseThrow();
        assertThat(e.field("bytes_written")).hasValue("433888");
        assertThat(e.field("bytes_received")).hasValue("438280");
        assertThat(e.field("bytes")).isEmpty();
        assertThat(server.state().deviceStatuses().find("dev-2")).hasValueSatisfying(st -> {
            assertThat(st.event()).isEqualTo("installed");
            assertThat(st.version()).isEqualTo("2.0.0");
            assertThat(st.verdict()).isEqualTo("UPDATED");
        });

        HttpResponse<String> rolledBack = TestLab.post(client, report, "application/json",
                ("{\"event\":\"rolled_back\",\"version\":\"4.0.0\",\"reason\":\"rolled back to 1.0.0: self-test\","
                        + "\"running_version\":\"1.0.0\"}").getBytes(StandardCharsets.UTF_8), "X-API-Key", key2);
        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(204);
        HttpResponse<String> refused = TestLab.post(client, report, "application/json",
                ("{\"event\":\"refused\",\"version\":\"4.0.0\",\"reason\":\"VERSION_ROLLED_BACK: ...\","
                        + "\"bytes_written\":0,\"bytes_received\":0,\"verdict\":\"VERSION_ROLLED_BACK\","
                        + "\"running_version\":\"1.0.0\"}").getBytes(StandardCharsets.UTF_8), "X-API-Key", key2);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(204);
        assertThat(server.state().deviceStatuses().find("dev-2")).hasValueSatisfying(st -> {
            assertThat(st.event()).isEqualTo("refused");
            assertThat(st.version()).isEqualTo("4.0.0");
            assertThat(st.verdict()).isEqualTo("VERSION_ROLLED_BACK");
            assertThat(st.runningVersion()).isEqualTo("1.0.0");
        });

        HttpResponse<String> badVerdict = TestLab.post(client, report, "application/json",
                "{\"event\":\"refused\",\"reason\":\"x\",\"verdict\":\"<script>\"}".getBytes(StandardCharsets.UTF_8),
                "X-API-Key", key2);
        assertThat(badVerdict.statusCode()).isEqualTo(400);
        assertThat(badVerdict.body()).contains("verdict");
        HttpResponse<String> badCount = TestLab.post(client, report, "application/json",
                "{\"event\":\"installed\",\"bytes_written\":-1}".getBytes(StandardCharsets.UTF_8), "X-API-Key", key2);
        assertThat(badCount.statusCode()).isEqualTo(400);
        assertThat(badCount.body()).contains("bytes_written");
        assertThat(server.state().deviceStatuses().find("dev-2").orElseThrow().verdict()).isEqualTo("VERSION_ROLLED_BACK");
    }

    @Test
    void wrongMethodsGet405() throws Exception {
        // A fresh client, for the same reason as in the report test: POSTs are not retried.
        HttpResponse<String> r = TestLab.post(lab.client(), uri("/api/v1/manifest"), "application/json", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void fiftyConcurrentDownloadsAllGetTheRightBytes() throws Exception {
        String expected = TestLab.sha256(v2.imageFile());
        HttpClient many = lab.client();
        List<CompletableFuture<HttpResponse<byte[]>>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(many.sendAsync(HttpRequest.newBuilder(uri(v2.url())).headers(KEY1).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> f : futures) {
            HttpResponse<byte[]> r = f.get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(TestLab.sha256(r.body())).isEqualTo(expected);
        }
    }

    @Test
    void theKeyFileHoldsOnlySaltedHashesAndIsPrivate() throws Exception {
        Path file = lab.lab.devices().resolve(ApiKeyRegistry.FILE_NAME);
        String text = Files.readString(file);
        assertThat(text).doesNotContain(key1, key2, kioskKey).contains("key_sha256", "salt", "dev-1");
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        // Keys are 256-bit base64url strings.
        assertThat(key1).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void everyRequestAndKeyCheckIsJournaledWithoutTheKey() throws Exception {
        TestLab.get(client, manifest("dev-1", "1.0.0"), "Authorization", "Bearer " + key1);
        TestLab.get(client, manifest("dev-1", "1.0.0"), "Authorization", "Bearer wrong-" + key2);
        JournalEvent request = journal.await(e -> e.type().equals("http.request") && "dev-1".equals(e.deviceId())
                && e.field("path").orElse("").equals("/api/v1/manifest"), Duration.ofSeconds(5)).orElseThrow();
        assertThat(request.fields()).containsKeys("remote", "method", "status", "bytes_written", "duration_ms");
        assertThat(request.field("tls_protocol")).hasValueSatisfying(p -> assertThat(p).isIn("TLSv1.3", "TLSv1.2"));
        assertThat(request.field("cipher_suite")).hasValueSatisfying(s -> assertThat(s).startsWith("TLS_").contains("GCM"));
        assertThat(request.field("remote")).hasValue("127.0.0.1");
        JournalEvent refused = journal.await(e -> e.type().equals("server.auth")
                && e.field("outcome").orElse("").equals("wrong_key"), Duration.ofSeconds(5)).orElseThrow();
        assertThat(refused.field("claimed_device")).hasValue("dev-1");
        assertThat(journal.await(e -> e.type().equals("server.auth")
                && e.field("outcome").orElse("").equals("accepted"), Duration.ofSeconds(5))).isPresent();

        // The access line of a download records the bytes written to the connection: headers and body.
        TestLab.get(client, uri(v1.url()), KEY1);
        JournalEvent download = journal.await(e -> e.type().equals("http.request") && "dev-1".equals(e.deviceId())
                && e.field("path").orElse("").equals(v1.url()), Duration.ofSeconds(5)).orElseThrow();
        assertThat(Long.parseLong(download.field("bytes_written").orElseThrow()))
                .isBetween(Files.size(v1.imageFile()) + 100, Files.size(v1.imageFile()) + 1024);

        String everything = String.join("\n", journal.snapshot().stream().map(JournalJson::toLine).toList());
        assertThat(everything).doesNotContain(key1, key2, kioskKey);
    }
}
