package org.secureota.workbench.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.secureota.workbench.firmware.AppDescriptor;
import org.secureota.workbench.firmware.AppImageBuilder;
import org.secureota.workbench.firmware.ChipId;
import org.secureota.workbench.firmware.Release;
import org.secureota.workbench.foundation.LabFolder;
import org.secureota.workbench.pki.HostIdentity;
import org.secureota.workbench.pki.LabPki;

/** A temporary lab with a PKI, published releases and TLS clients that trust only its CA. */
final class TestLab {

    final LabFolder lab;
    final LabPki pki;
    final ServerState state;

    TestLab(Path root) throws IOException {
        lab = new LabFolder(root);
        pki = new LabPki(lab.certs());
        pki.init(false, new HostIdentity(List.of("localhost"), List.of("127.0.0.1", "::1")), Clock.systemUTC());
        state = ServerState.of(lab);
    }

    /** Publishes a valid host-chip image of {@code product} {@code version} with {@code payload} bytes of rodata. */
    Release publish(String product, String version, int payload) throws IOException {
        byte[] rodata = new byte[payload];
        new Random(version.hashCode() * 31L + payload).nextBytes(rodata);
        byte[] image = AppImageBuilder.forChip(ChipId.HOST)
                .descriptor(AppDescriptor.of(product, version, 1))
                .rodata(rodata)
                .build();
        Path file = Files.createTempFile(lab.root(), "image", ".bin");
        Files.write(file, image);
        Release r = state.releases().publish(file, product, pki.signingKey(), Duration.ofDays(30), Clock.systemUTC());
        Files.delete(file);
        return r;
    }

    SSLContext labCaOnly() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(pki.trustStore());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    HttpClient client() throws Exception {
        return HttpClient.newBuilder().sslContext(labCaOnly()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    static HttpResponse<byte[]> get(HttpClient client, URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<String> post(HttpClient client, URI uri, String contentType, byte[] body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A response read from a raw socket: what the server sent for a request sent byte for byte. */
    record RawResponse(int status, String head, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends {@code requestTarget} exactly as given (no client-side normalization of "..", no
     * re-encoding), over TLS trusting only the lab CA.
     */
    RawResponse raw(OtaServer server, String method, String requestTarget, String... headerLines) throws Exception {
        try (SSLSocket socket = (SSLSocket) labCaOnly().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder extra = new StringBuilder();
            for (String h : headerLines) {
                extra.append(h).append("\r\n");
            }
            out.write((method + " " + requestTarget + " HTTP/1.1\r\nHost: localhost\r\n" + extra
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] all = socket.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = text.substring(0, end);
            int status = Integer.parseInt(head.substring(9, 12));
            byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
            return new RawResponse(status, head, body);
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
