package org.secureota.workbench.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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

/**
 * {@code POST /api/v1/devices/{id}/report}: a device tells the server how its update went. The body
 * is a small JSON object:
 *
 * <pre>{"event": "refused", "version": "2.0.0", "reason": "manifest signature does not verify"}</pre>
 *
 * {@code event} is one of {@value #EVENT_LIST}; {@code reason} is required for {@code refused};
 * {@code bytes_written} (image bytes in the device's slot), {@code bytes_received} (every image
 * byte that reached it, more than {@code total} after a resume), {@code total}, {@code verdict}
 * and {@code running_version} are optional ({@code bytes} from older firmware is still accepted).
 * The event, version, verdict and running version become the device's last known state
 * ({@link DeviceStatuses}). Reports need the device's own
 * API key (one device cannot speak for another) and go into the journal as {@code device.report}.
 * Other fields are ignored, never copied into the journal.
 */
final class DeviceReports {

    static final String EVENT_LIST = "downloading, verified, installed, refused, booted, rolled_back";
    private static final Set<String> EVENTS = Set.of(EVENT_LIST.split(", "));
    private static final int MAX_REASON = 256;
    /**
     * Byte counts a report may carry: what is in the device's slot ({@code bytes_written}), what
     * reached it over all requests ({@code bytes_received}), the image size ({@code total}), and
     * {@code bytes} from firmware that sent one ambiguous count.
     */
    private static final String[] COUNTS = {"bytes_written", "bytes_received", "total", "bytes"};
    private static final java.util.regex.Pattern VERDICT = java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]{0,39}");
    /**
     * Strict: a duplicate key, anything after the object (a second object, a comment), and comments
     * are refused, so that the server and whoever reads the report later cannot see different
     * reports in the same bytes.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_YAML_COMMENTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final DeviceAuthenticator authenticator;
    private final Journal journal;
    private final SlowClientGuard guard;
    private final int maxBytes;

    private final DeviceStatuses statuses;

    DeviceReports(DeviceAuthenticator authenticator, Journal journal, SlowClientGuard guard, int maxBytes,
            DeviceStatuses statuses) {
        this.statuses = statuses;
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
                    incompleteBody(request, response, callback, e);
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
            incompleteBody(request, response, callback, e);
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
            String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            reason = reason == null ? "unreadable" : reason.length() > 200 ? reason.substring(0, 200) + "..." : reason;
            RequestRecord.of(request).note("report refused: " + reason);
            JsonResponses.error(response, callback, 400, "bad_json", "The report is not strict JSON (" + reason
                    + "). Send one object, each key once, no comments and nothing after it, such as"
                    + " {\"event\": \"installed\", \"version\": \"2.0.0\"}.");
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
        for (String n : COUNTS) {
            if (json.hasNonNull(n)) {
                fields.put(n, json.get(n).asLong());
            }
        }
        String verdict = json.hasNonNull("verdict") ? json.get("verdict").asText() : null;
        String running = json.hasNonNull("running_version") ? json.get("running_version").asText() : null;
        if (verdict != null) {
            fields.put("verdict", verdict);
        }
        if (running != null) {
            fields.put("running_version", running);
        }
        fields.put("remote", Request.getRemoteAddr(request));
        // Recorded before it is journaled, so whoever reads the journal finds the state up to date.
        try {
            statuses.record(deviceId, event, json.hasNonNull("version") ? json.get("version").asText() : null, verdict,
                    running);
        } catch (ServerStateException | java.io.UncheckedIOException e) {
            fields.put("status_not_saved", e.getMessage());
        }
        journal.append(EventType.DEVICE_REPORT, deviceId, message, fields);
        JsonResponses.noContent(response, callback);
    }

    /**
     * The body stopped arriving: the client closed its side, or the request deadline closed the
     * connection under it. That is the client's doing, so it is journaled as 408 (deadline) or 400
     * (cut short), with no stack trace; the answer cannot reach a closed connection, and the
     * connection is closed after it otherwise.
     */
    private void incompleteBody(Request request, Response response, Callback callback, IOException e) {
        boolean deadline = guard.droppedAtDeadline(request);
        int status = deadline ? 408 : 400;
        RequestRecord.of(request).note(deadline ? "report body incomplete when the request deadline closed the connection"
                : "report body cut short by the client (" + e.getClass().getSimpleName() + ")");
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
        JsonResponses.error(response, Callback.from(callback::succeeded, failure -> callback.succeeded()), status,
                deadline ? "request_timeout" : "incomplete_body", deadline
                        ? "The report did not arrive completely within the request deadline. Send it in one go."
                        : "The report ended before its Content-Length. Send the whole body.");
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
        JsonNode verdict = json.get("verdict");
        if (verdict != null && !verdict.isNull() && (!verdict.isTextual() || !VERDICT.matcher(verdict.asText()).matches())) {
            return Optional.of("\"verdict\" must be a verdict code such as \"HASH_MISMATCH\" (docs/telemetry.md).");
        }
        JsonNode running = json.get("running_version");
        if (running != null && !running.isNull() && (!running.isTextual() || !SemanticVersion.isValid(running.asText()))) {
            return Optional.of("\"running_version\" must be a semantic version such as \"1.0.0\".");
        }
        for (String n : COUNTS) {
            JsonNode v = json.get(n);
            if (v != null && !v.isNull() && (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0)) {
                return Optional.of("\"" + n + "\" must be a non-negative integer.");
            }
        }
        return Optional.empty();
    }
}
