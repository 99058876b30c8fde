package org.secureota.workbench.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.secureota.workbench.journal.EventType;
import org.secureota.workbench.journal.Journal;

/**
 * Checks the API key of a device request ({@code Authorization: Bearer KEY} or {@code X-API-Key: KEY})
 * against {@link ApiKeyRegistry}, applies the {@link RateLimiter}, journals every attempt (never the
 * key) and writes the refusal itself.
 *
 * <p>A refused request does not learn whether the device id exists: an unknown id and a wrong key
 * get the same 401 body. The journal, which only the lab's owner reads, records the difference.
 */
final class DeviceAuthenticator {

    /** A header value longer than this cannot be one of our keys; it is refused without hashing it. */
    private static final int MAX_KEY_LENGTH = 256;

    private final ApiKeyRegistry keys;
    private final RateLimiter limiter;
    private final Journal journal;

    DeviceAuthenticator(ApiKeyRegistry keys, RateLimiter limiter, Journal journal) {
        this.keys = keys;
        this.limiter = limiter;
        this.journal = journal;
    }

    /**
     * The device that {@code request} authenticates as {@code deviceId}; or empty, after writing a
     * 401 or 429 response.
     */
    Optional<ApiKeyRegistry.Device> authenticate(Request request, Response response, Callback callback,
                                                 String deviceId, String endpoint) {
        String remote = Request.getRemoteAddr(request);
        Optional<Duration> blocked = limiter.blockedFor(remote);
        if (blocked.isPresent()) {
            long seconds = Math.max(1, (blocked.get().toMillis() + 999) / 1000);
            journalAttempt(null, deviceId, remote, endpoint, "rate_limited",
                    "refused without checking: too many failed API keys from " + remote, Map.of("retry_after_s", seconds));
            RequestRecord.of(request).note("rate limited");
            response.getHeaders().put(HttpHeader.RETRY_AFTER, seconds);
            JsonResponses.error(response, callback, 429, "too_many_failures",
                    "Too many requests with a missing or wrong API key came from " + remote + ". Wait " + seconds
                    + " s, then retry with the key that 'server add-device' printed for this device.");
            return Optional.empty();
        }
        String key = presentedKey(request);
        ApiKeyRegistry.Check check = key != null && key.length() > MAX_KEY_LENGTH
                ? new ApiKeyRegistry.Check(ApiKeyRegistry.Outcome.WRONG_KEY, Optional.empty())
                : keys.check(deviceId, key);
        if (check.accepted()) {
            journalAttempt(deviceId, deviceId, remote, endpoint, "accepted", "API key accepted", Map.of());
            RequestRecord.of(request).deviceId(deviceId);
            return check.device();
        }
        int failures = limiter.recordFailure(remote);
        String outcome = check.outcome().name().toLowerCase(Locale.ROOT);
        journalAttempt(null, deviceId, remote, endpoint, outcome, "API key refused: " + check.outcome().description(),
                Map.of("failures_in_window", failures, "max_failures", limiter.maxFailures()));
        RequestRecord.of(request).note("API key refused: " + check.outcome().description());
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"secure-ota\"");
        String message = check.outcome() == ApiKeyRegistry.Outcome.MISSING_KEY
                ? "This endpoint needs the device's API key: send 'Authorization: Bearer KEY' (or 'X-API-Key: KEY')."
                : "The API key is not valid for device '" + (deviceId == null ? "" : deviceId) + "'. Use the key that"
                  + " 'server add-device' printed for this device, or issue a new one with --rotate-key.";
        JsonResponses.error(response, callback, 401, check.outcome() == ApiKeyRegistry.Outcome.MISSING_KEY
                ? "missing_api_key" : "invalid_api_key", message);
        return Optional.empty();
    }

    private static String presentedKey(Request request) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null) {
            String trimmed = authorization.trim();
            if (trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return trimmed.substring(7).trim();
            }
            return null;
        }
        String header = request.getHeaders().get("X-API-Key");
        return header == null ? null : header.trim();
    }

    private void journalAttempt(String authenticatedId, String claimedId, String remote, String endpoint,
                                String outcome, String message, Map<String, ?> extra) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("outcome", outcome);
        fields.put("remote", remote);
        fields.put("endpoint", endpoint);
        if (claimedId != null) {
            fields.put("claimed_device", claimedId);
        }
        fields.putAll(extra);
        journal.append(EventType.SERVER_AUTH, authenticatedId, message, fields);
    }
}
