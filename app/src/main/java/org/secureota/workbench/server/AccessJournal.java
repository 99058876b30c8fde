package org.secureota.workbench.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;

/**
 * Writes one {@code http.request} event per request into the journal, after the response is
 * complete: remote address, method, path, status, the bytes written to the connection ({@code
 * bytes_written}: status line, headers and body, as the connection counted them, so a download that
 * the client abandoned shows what was really written, not what was handed to Jetty), duration, TLS
 * version and cipher suite, and the device when the request carried its valid API key.
 *
 * <p>The query string is not recorded (the manifest endpoint journals the parameters it understood),
 * and neither is any header, so a key sent in the wrong place still never reaches the journal.
 */
final class AccessJournal implements RequestLog {

    /** Set on the request by the first handler, before any wrapper can hide the TLS session. */
    static final String TLS_ATTRIBUTE = AccessJournal.class.getName() + ".tls";
    private static final int MAX_PATH = 256;

    record Tls(String protocol, String cipherSuite) {
    }

    private final Journal journal;

    AccessJournal(Journal journal) {
        this.journal = journal;
    }

    static Tls tlsOf(Request request) {
        Object data = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        if (data instanceof EndPoint.SslSessionData ssl && ssl.sslSession() != null) {
            return new Tls(ssl.sslSession().getProtocol(), ssl.cipherSuite());
        }
        // Requests that Jetty refused before the TLS customizer ran (a malformed request line, say):
        // the session is still there, on the connection's TLS end point.
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        if (endPoint instanceof SslConnection.SslEndPoint tls) {
            SSLSession session = tls.getSslConnection().getSSLEngine().getSession();
            return new Tls(session.getProtocol(), session.getCipherSuite());
        }
        return new Tls("none", "none");
    }

    @Override
    public void log(Request request, Response response) {
        String path = request.getHttpURI().getPath();
        if (path == null) {
            path = "";
        }
        if (path.length() > MAX_PATH) {
            path = path.substring(0, MAX_PATH) + "...";
        }
        int status = response.getStatus();
        Object recordAttribute = request.getAttribute(RequestRecord.ATTRIBUTE);
        RequestRecord record = recordAttribute instanceof RequestRecord r ? r : new RequestRecord();
        long bytes = record.bytesWritten(request);
        long durationMs = TimeUnit.NANOSECONDS.toMillis(NanoTime.since(request.getBeginNanoTime()));
        Object tlsAttribute = request.getAttribute(TLS_ATTRIBUTE);
        Tls tls = tlsAttribute instanceof Tls t ? t : tlsOf(request);
        String remote = Request.getRemoteAddr(request);

        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("remote", remote);
        // With the endpoint's upstream_port, ties an endpoint connection to the device authenticated here.
        fields.put("remote_port", Request.getRemotePort(request));
        fields.put("method", request.getMethod());
        fields.put("path", path);
        fields.put("status", status);
        fields.put("bytes_written", bytes);
        fields.put("duration_ms", durationMs);
        fields.put("tls_protocol", tls.protocol());
        fields.put("cipher_suite", tls.cipherSuite());
        // The Range asked for: a resumed download shows as a range starting above byte 0.
        String range = request.getHeaders().get("Range");
        if (range != null) {
            fields.put("range", range.length() > MAX_PATH ? range.substring(0, MAX_PATH) + "..." : range);
        }
        if (record.note() != null) {
            fields.put("note", record.note());
        }
        String message = request.getMethod() + " " + path + " -> " + status + " (wrote " + bytes + " B, " + durationMs
                + " ms, " + tls.protocol() + ")" + (record.note() == null ? "" : ": " + record.note());
        // A request can complete while the server shuts down, after the session's journal closed.
        journal.tryAppend(EventType.HTTP_REQUEST, record.deviceId(), message, fields);
    }
}
