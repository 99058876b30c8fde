package org.secureota.workbench.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;
import org.secureota.workbench.journal.Source;

/**
 * {@code POST /api/v1/devices/{id}/report}: a device tells the server how its update went. The body
 * is a small JSON object:
 *
 * <pre>{"event": "refused", "version": "2.0.0", "reason": "manifest signature does not verify"}</pre>
 *
 * {@code event} is one of {@value #EVENT_LIST}; {@code reason} is required for {@code refused};
 * {@code bytes} and {@code total} (download progress) are optional. Reports need the device's own
 * API key (one device cannot speak for another) and go into the journal as {@code device.report}.
 * Unknown fields are ignored, never copied into the journal.
 */
final class DeviceReports {

    static final String EVENT_LIST = "downloading, verified, installed, refused, booted, rolled_back";
    private static final Set<String> EVENTS = Set.of(EVENT_LIST.split(", "));
    private static final int MAX_REASON = 256;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DeviceAuthenticator authenticator;
    private final Journal journal;
    private final SlowClientGuard guard;
    private final int maxBytes;

    DeviceReports(DeviceAuthenticator authenticator, Journal journal, SlowClientGuard guard, int maxBytes) {
        this.authenticator = authenticator;
        this.journal = journal;
        this.guard = guard;
        this.maxBytes = maxBytes;
    }

    /** Oversized reports up to this size are read and discarded so that the 413 reaches the client. */
    static final long DRAIN_LIMIT = 1024 * 1024;

    void handle(String deviceId, Request request, Response response, Callback callback) {
        Optional<ApiKeyRegistry.Device> device =
                authenticator.authenticate(request, response, callback, deviceId, "report");
        if (device.isEmpty()) {
            return;
        }
        long declared = request.getLength();
        if (declared > maxBytes) {
            // Read a moderately oversized body before answering: a client still writing it would
            // otherwise meet a reset instead of the 413 (nginx's "lingering close"). The request
            // deadline bounds how long this can take; a huge body is not worth reading.
            if (declared <= DRAIN_LIMIT) {
                try (InputStream in = Content.Source.asInputStream(request)) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    callback.failed(e);
                    return;
                }
            }
            tooLarge(request, response, callback);
            return;
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            JsonResponses.error(response, callback, 415, "unsupported_media_type",
                    "Send the report as 'Content-Type: application/json'.");
            return;
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            // Reads at most one byte more than allowed: enough to know the body is too large.
            body = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            callback.failed(e);
            return;
        }
        guard.requestReceived(request);
        if (body.length > maxBytes) {
            tooLarge(request, response, callback);
            return;
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (IOException e) {
            JsonResponses.error(response, callback, 400, "bad_json", "The report is not valid JSON. Send an object"
                    + " such as {\"event\": \"installed\", \"version\": \"2.0.0\"}.");
            return;
        }
        Optional<String> problem = problem(json);
        if (problem.isPresent()) {
            JsonResponses.error(response, callback, 400, "bad_report", problem.get());
            return;
        }
        String event = json.get("event").asText();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", event);
        String message = deviceId + " reports " + event;
        if (json.hasNonNull("version")) {
            fields.put("version", json.get("version").asText());
            message += " " + json.get("version").asText();
        }
        if (json.hasNonNull("reason")) {
            fields.put("reason", json.get("reason").asText());
            message += ": " + json.get("reason").asText();
        }
        if (json.hasNonNull("bytes")) {
            fields.put("bytes", json.get("bytes").asLong());
        }
        if (json.hasNonNull("total")) {
            fields.put("total", json.get("total").asLong());
        }
        fields.put("remote", Request.getRemoteAddr(request));
        journal.append(EventType.DEVICE_REPORT, deviceId, message, fields);
        JsonResponses.noContent(response, callback);
    }

    private void tooLarge(Request request, Response response, Callback callback) {
        RequestRecord.of(request).note("report larger than " + maxBytes + " bytes");
        // The rest of the body is not read; Jetty closes the connection after this response.
        JsonResponses.error(response, callback, 413, "report_too_large", "A report may hold at most " + maxBytes
                + " bytes of JSON. Send progress and verdicts only, not logs or images.");
    }

    private static Optional<String> problem(JsonNode json) {
        if (json == null || !json.isObject()) {
            return Optional.of("The report must be a JSON object with an \"event\" field.");
        }
        JsonNode event = json.get("event");
        if (event == null || !event.isTextual() || !EVENTS.contains(event.asText())) {
            return Optional.of("\"event\" must be one of: " + EVENT_LIST + ".");
        }
        JsonNode version = json.get("version");
        if (version != null && !version.isNull() && (!version.isTextual() || !SemanticVersion.isValid(version.asText()))) {
            return Optional.of("\"version\" must be a semantic version such as \"2.0.0\".");
        }
        JsonNode reason = json.get("reason");
        if (reason != null && !reason.isNull() && (!reason.isTextual() || reason.asText().length() > MAX_REASON)) {
            return Optional.of("\"reason\" must be a text of at most " + MAX_REASON + " characters.");
        }
        if (event.asText().equals("refused") && (reason == null || reason.isNull() || reason.asText().isBlank())) {
            return Optional.of("A \"refused\" report needs a \"reason\" saying why the device refused the update.");
        }
        for (String n : new String[] {"bytes", "total"}) {
            JsonNode v = json.get(n);
            if (v != null && !v.isNull() && (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0)) {
                return Optional.of("\"" + n + "\" must be a non-negative integer.");
            }
        }
        return Optional.empty();
    }
}
