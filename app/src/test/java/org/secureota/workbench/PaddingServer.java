package org.secureota.workbench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.secureota.workbench.pki.LabPki;
import org.secureota.workbench.pki.PkiFile;
import org.secureota.workbench.server.ServerIdentity;

/**
 * A server that pads its answers: it holds the lab server's TLS identity, passes each request to the real lab
 * server (over TLS, trusting the lab CA) and each answer back unchanged, then sends {@code extra} more bytes
 * after a body that has a Content-Length before it closes. What a sloppy server or proxy does; the device must
 * ignore the bytes and say that it got them (issue 29). The device sends {@code Connection: close}, so one
 * request per connection.
 */
final class PaddingServer implements AutoCloseable {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

    private final SSLServerSocket listener;
    private final SSLContext upstream;
    private final int serverPort;
    private final byte[] padding;
    private final AtomicInteger padded = new AtomicInteger();
    private final Thread acceptor;

    private PaddingServer(LabPki pki, int serverPort, int extra) throws Exception {
        ServerIdentity id = ServerIdentity.labServer(pki);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(id.keyStore(), id.password());
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("lab-ca", pki.certificate(PkiFile.CA_CERT));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        upstream = SSLContext.getInstance("TLS");
        upstream.init(null, tmf.getTrustManagers(), null);
        this.serverPort = serverPort;
        this.padding = new byte[extra];
        Arrays.fill(padding, (byte) 'P');
        listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 16,
                InetAddress.getLoopbackAddress());
        listener.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        acceptor = new Thread(this::acceptLoop, "padding-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts it in front of the lab server listening on {@code serverPort}, padding each body with {@code extra} bytes. */
    static PaddingServer start(LabPki pki, int serverPort, int extra) throws Exception {
        return new PaddingServer(pki, serverPort, extra);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** How many answers were padded so far. */
    int padded() {
        return padded.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket device = listener.accept();
                Thread t = new Thread(() -> serve(device), "padding-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket device) {
        try (device; SSLSocket server = (SSLSocket) upstream.getSocketFactory().createSocket(
                InetAddress.getLoopbackAddress(), serverPort)) {
            device.setSoTimeout(30_000);
            server.setSoTimeout(30_000);
            Thread up = new Thread(() -> pump(device, server), "padding-request");
            up.setDaemon(true);
            up.start();
            InputStream in = server.getInputStream();
            OutputStream out = device.getOutputStream();
            // The head, then exactly Content-Length body bytes: the answer ends there whether or not the server
            // closes at once.
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            for (int b; (b = in.read()) >= 0; ) {
                head.write(b);
                last4 = (last4 << 8) | b;
                if (last4 == 0x0D0A0D0A) {
                    break;
                }
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            out.write(head.toByteArray());
            Matcher m = CONTENT_LENGTH.matcher(text);
            boolean body = m.find() && !text.startsWith("HTTP/1.1 204") && !text.startsWith("HTTP/1.1 304");
            if (body) {
                long left = Long.parseLong(m.group(1));
                byte[] buf = new byte[16384];
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        return; // the server broke off: pass that on, unpadded
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
                // Counted before it leaves: the device may act on the padding (and the test read the count)
                // before this thread runs again.
                padded.incrementAndGet();
                out.write(padding);
            }
            out.flush();
        } catch (IOException e) {
            // The device or the server went away: nothing to pad.
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
