package org.secureota.workbench.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.pki.CertificateIssuer;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PkiFile;
import org.junit.jupiter.api.Tag;

/**
 * What the server accepts and refuses in the TLS handshake. Refusals are checked with hand-built
 * ClientHello messages as well as with the JDK client, because the JDK's own client cannot even
 * offer TLS 1.1 (its java.security disables it), which would make a JDK-only test pass for the
 * wrong reason.
 */
@Tag("integration")
class TlsPolicyTest {

    @TempDir
    static Path root;
    static TestLab lab;
    static Journal journal;
    static OtaServer server;

    @BeforeAll
    static void start() throws Exception {
        lab = new TestLab(root);
        journal = new Journal();
        server = OtaServer.builder(lab.state, journal).identity(ServerIdentity.labServer(lab.pki)).port(0).start();
    }

    @AfterAll
    static void stop() {
        server.close();
        journal.close();
    }

    @ParameterizedTest
    @CsvSource({
        // mbedTLS 2.28 (Debian, Arduino-ESP32 2.x) and 3.x (ESP-IDF 5) offer these with an ECDSA server key.
        "TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLSv1.2, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLSv1.3, TLS_AES_128_GCM_SHA256",
        "TLSv1.3, TLS_AES_256_GCM_SHA384",
        "TLSv1.3, TLS_CHACHA20_POLY1305_SHA256",
    })
    void aClientTrustingOnlyTheLabCaNegotiatesEachAllowedSuite(String protocol, String suite) throws Exception {
        try (SSLSocket s = socket(lab.labCaOnly(), protocol, suite)) {
            s.startHandshake();
            assertThat(s.getSession().getProtocol()).isEqualTo(protocol);
            assertThat(s.getSession().getCipherSuite()).isEqualTo(suite);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
    })
    void nonAeadSuitesAreRefused(String suite) throws Exception {
        assertThatThrownBy(() -> {
            try (SSLSocket s = socket(lab.labCaOnly(), "TLSv1.2", suite)) {
                s.startHandshake();
            }
        }).isInstanceOf(SSLException.class);
    }

    @Test
    void theServersSuiteOrderWinsOverTheClients() throws Exception {
        // AES-256-GCM (0xC02C) before AES-128-GCM (0xC02B), both ECDHE-ECDSA: the server picks the first
        // of its own list. SunJSSE does so because of setUseCipherSuitesOrder (without it this fails,
        // -Dworkbench.tls.provider=jdk); Conscrypt's servers always prefer their own order.
        assertThat(serverAnswer(server, 0x0303, 0xC02C, 0xC02B)).isEqualTo(Answer.serverHello(0xC02B));
    }

    @Test
    void aHandBuiltTls12HelloGetsAServerHelloForTheMbedTlsSuiteAndAnAlertForCbc() throws Exception {
        // Positive control for the hand-built hello: the suite mbedTLS 2.28 uses is chosen.
        assertThat(serverAnswer(server, 0x0303, 0xC02B)).isEqualTo(Answer.serverHello(0xC02B));
        // TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 and _CBC_SHA alone: nothing acceptable.
        assertThat(serverAnswer(server, 0x0303, 0xC023, 0xC009)).isEqualTo(Answer.HANDSHAKE_FAILURE);
    }

    @Test
    void aTls11HelloIsRefusedWithAnAlertEvenWithAnAeadSuiteOnOffer() throws Exception {
        assertThat(serverAnswer(server, 0x0302, 0xC02B, 0xC009, 0xC00A)).isEqualTo(Answer.PROTOCOL_VERSION);
        assertThat(serverAnswer(server, 0x0301, 0xC009, 0x002F)).isEqualTo(Answer.PROTOCOL_VERSION);
    }

    /**
     * Static RSA key exchange (no forward secrecy) must be refused by policy, not because the key
     * does not fit: so this server has an RSA certificate, issued by the lab CA, with which static
     * RSA would work if the policy allowed it. The positive controls show the RSA identity serves
     * (TLS 1.3, and ECDHE_RSA in TLS 1.2).
     */
    @Test
    void staticRsaKeyExchangeIsRefusedWithAnAlertByAServerThatHasAnRsaCertificate() throws Exception {
        try (Journal j = new Journal();
             OtaServer rsa = OtaServer.builder(lab.state, j).identity(rsaIdentity()).port(0).start()) {
            try (SSLSocket s = socket(lab.labCaOnly(), rsa, "TLSv1.3", "TLS_AES_128_GCM_SHA256")) {
                s.startHandshake();
                assertThat(s.getSession().getPeerCertificates()[0].getPublicKey().getAlgorithm()).isEqualTo("RSA");
            }
            // TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: forward secret, so chosen.
            assertThat(serverAnswer(rsa, 0x0303, 0xC02F)).isEqualTo(Answer.serverHello(0xC02F));
            // TLS_RSA_WITH_AES_128_GCM_SHA256 alone: static RSA, refused.
            assertThat(serverAnswer(rsa, 0x0303, 0x009C)).isEqualTo(Answer.HANDSHAKE_FAILURE);
            assertThatThrownBy(() -> {
                try (SSLSocket s = socket(lab.labCaOnly(), rsa, "TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256")) {
                    s.startHandshake();
                }
            }).isInstanceOf(SSLException.class);
        }
    }

    /** An RSA-2048 server certificate for 127.0.0.1 and localhost, issued by the lab CA. */
    private static ServerIdentity rsaIdentity() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair keys = gen.generateKeyPair();
        X509Certificate ca = lab.pki.certificate(PkiFile.CA_CERT);
        CertificateIssuer issuer = new CertificateIssuer();
        Instant now = Instant.now();
        X509Certificate leaf = issuer.serverLeaf(LabPki.SERVER_NAME, keys.getPublic(), ca,
                lab.pki.privateKey(PkiFile.CA_KEY), issuer.newSerial(), now.minusSeconds(60), now.plus(Duration.ofDays(1)),
                new HostIdentity(List.of("localhost"), List.of("127.0.0.1")));
        char[] password = "rsa-test".toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", keys.getPrivate(), password, new Certificate[] {leaf, ca});
        return new ServerIdentity("test RSA certificate", store, password);
    }

    @Test
    void aClientPinningTheLabCaRefusesTheRogueServer() throws Exception {
        try (Journal j = new Journal();
             OtaServer rogue = OtaServer.builder(lab.state, j).identity(ServerIdentity.rogue(lab.pki)).port(0).start()) {
            HttpClient client = lab.client();
            assertThatThrownBy(() -> TestLab.get(client, rogue.baseUri().resolve("/api/v1/health")))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasStackTraceContaining("PKIX path");
            // The same client is happy with the real server: only the identity differs.
            assertThat(TestLab.get(client, server.baseUri().resolve("/api/v1/health")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aClientWithOnlyThePublicWebPkiRefusesTheLabServer() throws Exception {
        HttpClient publicTrust = HttpClient.newBuilder().sslContext(SSLContext.getDefault())
                .connectTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> TestLab.get(publicTrust, server.baseUri().resolve("/api/v1/health")))
                .isInstanceOf(SSLHandshakeException.class);
    }

    private static SSLSocket socket(SSLContext ctx, String protocol, String suite) throws IOException {
        return socket(ctx, server, protocol, suite);
    }

    private static SSLSocket socket(SSLContext ctx, OtaServer target, String protocol, String suite) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", target.port());
        s.setSoTimeout(10_000);
        s.setEnabledProtocols(new String[] {protocol});
        s.setEnabledCipherSuites(new String[] {suite});
        return s;
    }

    /**
     * What the server sent back first: a ServerHello choosing a suite, a fatal alert with its
     * description (RFC 8446 6.2: 40 handshake_failure, 70 protocol_version), or nothing at all. A
     * hang-up is its own answer, never counted as an alert.
     */
    record Answer(String kind, int value) {
        static final Answer HANDSHAKE_FAILURE = alert(40);
        static final Answer PROTOCOL_VERSION = alert(70);
        static final Answer CLOSED = new Answer("closed without an alert", 0);

        static Answer serverHello(int suite) {
            return new Answer("ServerHello", suite);
        }

        static Answer alert(int description) {
            return new Answer("fatal alert", description);
        }
    }

    private static Answer serverAnswer(OtaServer target, int clientVersion, int... suites) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", target.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(clientHello(clientVersion, suites));
            socket.getOutputStream().flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int type;
            try {
                type = in.readUnsignedByte();
            } catch (EOFException | SocketException closed) {
                return Answer.CLOSED;
            }
            in.readUnsignedShort(); // record version
            int length = in.readUnsignedShort();
            byte[] body = in.readNBytes(length);
            if (type == 21) {
                assertThat(body).as("alert record").hasSize(2);
                assertThat(body[0]).as("alert level").isEqualTo((byte) 2);
                return Answer.alert(body[1] & 0xFF);
            }
            assertThat(type).as("record type").isEqualTo(22);
            assertThat(body[0]).as("handshake type ServerHello").isEqualTo((byte) 2);
            int sessionIdLength = body[4 + 2 + 32] & 0xFF;
            int at = 4 + 2 + 32 + 1 + sessionIdLength;
            return Answer.serverHello(((body[at] & 0xFF) << 8) | (body[at + 1] & 0xFF));
        }
    }

    /** A minimal ClientHello: the given version and suites, P-256/X25519 and ECDSA/RSA signatures. */
    private static byte[] clientHello(int version, int... suites) {
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        // supported_groups: secp256r1, x25519
        writeBytes(ext, 0x00, 0x0a, 0x00, 0x06, 0x00, 0x04, 0x00, 0x17, 0x00, 0x1d);
        // ec_point_formats: uncompressed
        writeBytes(ext, 0x00, 0x0b, 0x00, 0x02, 0x01, 0x00);
        // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
        writeBytes(ext, 0x00, 0x0d, 0x00, 0x08, 0x00, 0x06, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01);

        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        writeBytes(hello, version >> 8, version & 0xFF);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        hello.writeBytes(random);
        writeBytes(hello, 0); // no session id
        writeBytes(hello, (suites.length * 2) >> 8, (suites.length * 2) & 0xFF);
        for (int s : suites) {
            writeBytes(hello, s >> 8, s & 0xFF);
        }
        writeBytes(hello, 1, 0); // null compression only
        byte[] extensions = ext.toByteArray();
        writeBytes(hello, extensions.length >> 8, extensions.length & 0xFF);
        hello.writeBytes(extensions);

        byte[] body = hello.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        writeBytes(record, 22, 0x03, 0x01, (body.length + 4) >> 8, (body.length + 4) & 0xFF);
        writeBytes(record, 1, body.length >> 16, (body.length >> 8) & 0xFF, body.length & 0xFF);
        record.writeBytes(body);
        return record.toByteArray();
    }

    private static void writeBytes(ByteArrayOutputStream out, int... values) {
        for (int v : values) {
            out.write(v);
        }
    }
}
