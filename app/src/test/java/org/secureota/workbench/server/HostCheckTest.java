package org.secureota.workbench.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.secureota.workbench.journal.Journal;

/**
 * The server's Host check ({@link OneCertificateRequestCustomizer}): a request is answered only for a
 * name or address of the server's certificate, on several connections (each a new TLS session), as
 * Jetty's own check did before the certificate was parsed once instead of once per session.
 */
@Tag("integration")
class HostCheckTest {

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
        // The lab certificate's names and addresses (TestLab): served.
        "localhost, 200",
        "127.0.0.1, 200",
        "'[::1]', 200",
        // Any other name: refused, with or without a port.
        "ota.example.org, 400",
        "10.0.0.1, 400",
        "evil.localhost:8443, 400",
    })
    void aRequestIsAnsweredOnlyForANameOfTheCertificate(String host, int expected) throws Exception {
        for (int connection = 0; connection < 2; connection++) {
            assertEquals(expected, statusFor(host), "Host: " + host + ", connection " + connection);
        }
    }

    private static int statusFor(String host) throws Exception {
        try (SSLSocket socket = (SSLSocket) lab.labCaOnly().getSocketFactory().createSocket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(text.substring(9, 12));
        }
    }
}
