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
 * against {@link ApiKeyRegistry}, applies the rate limits, journals every attempt (never the key) and
 * writes the refusal itself.
 *
 * <p>Failures are counted twice: per (source address, claimed device id), which is the limit a
 * guesser meets, and per address with a looser ceiling, which stops one client from guessing across
 * many ids. The limits punish failures only: the key is checked first, and a valid key for the device
 * it names passes whatever other requests from the same address (or for the same id) did, so a bad
 * client behind the same NAT, or a local script naming a real device, cannot lock that device out.
 * Once a source reaches a limit its further failures get 429 instead of 401, without being counted
 * again, and one {@code server.auth_throttled} alert says so. Checking a throttled source's key costs one
 * SHA-256; with 256-bit random keys, answering it tells a guesser nothing useful.
 *
 * <p>A refused request does not learn whether the device id exists: an unknown id and a wrong key
 * get the same 401 body. The journal, which only the lab's owner reads, records the difference.
 */
final class DeviceAuthenticator {

    /** A header value longer than this cannot be one of our keys; it is refused without hashing it. */
    private static final int MAX_KEY_LENGTH = 256;

    /** The claimed id of a download, which names no device: the key alone says whose it is. */
    private static final String ANY_DEVICE = "*";

    private final ApiKeyRegistry keys;
    private final RateLimiter perDevice;
    private final RateLimiter perAddress;
    private final Journal journal;

    DeviceAuthenticator(ApiKeyRegistry keys, RateLimiter perDevice, RateLimiter perAddress, Journal journal) {
        this.keys = keys;
        this.perDevice = perDevice;
        this.perAddress = perAddress;
        this.journal = journal;
    }

    /**
     * The device that {@code request} authenticates as {@code deviceId} (or, when {@code deviceId} is
     * null, the device whose key it presents); or empty, after writing a 401 or 429 response.
     */
    Optional<ApiKeyRegistry.Device> authenticate(Request request, Response response, Callback callback,
                                                 String deviceId, String endpoint) {
        String remote = Request.getRemoteAddr(request);
        String claimed = deviceId == null ? ANY_DEVICE : deviceId;
        String pair = remote + " " + claimed;
        String key = presentedKey(request);
        ApiKeyRegistry.Check check;
        if (key != null && key.length() > MAX_KEY_LENGTH) {
            check = new ApiKeyRegistry.Check(ApiKeyRegistry.Outcome.WRONG_KEY, Optional.empty());
        } else if (deviceId == null) {
            check = keys.checkAnyDevice(key);
        } else {
            check = keys.check(deviceId, key);
        }
        if (check.accepted()) {
            String id = check.device().orElseThrow().id();
            journalAttempt(id, deviceId, remote, endpoint, "accepted", "API key accepted", Map.of());
            RequestRecord.of(request).deviceId(id);
            return check.device();
        }
        Optional<Duration> pairBlocked = perDevice.blockedFor(pair);
        Optional<Duration> addressBlocked = perAddress.blockedFor(remote);
        if (pairBlocked.isPresent() || addressBlocked.isPresent()) {
            Duration wait = pairBlocked.orElse(Duration.ZERO);
            if (addressBlocked.isPresent() && addressBlocked.get().compareTo(wait) > 0) {
                wait = addressBlocked.get();
            }
            long seconds = retryAfterSeconds(wait);
            String who = addressBlocked.isPresent() ? remote : remote + " for device '" + claimed + "'";
            journalAttempt(null, deviceId, remote, endpoint, "rate_limited",
                    "refused: too many failed API keys from " + who,
                    Map.of("retry_after_s", seconds, "limited", addressBlocked.isPresent() ? "address" : "address_and_device"));
            RequestRecord.of(request).note("rate limited");
            response.getHeaders().put(HttpHeader.RETRY_AFTER, seconds);
            JsonResponses.error(response, callback, 429, "too_many_failures",
                    "Too many requests with a missing or wrong API key came from " + who + ". Wait " + seconds
                    + " s, then retry with the key that 'server add-device' printed for this device.");
            return Optional.empty();
        }
        int failures = perDevice.recordFailure(pair);
        int addressFailures = perAddress.recordFailure(remote);
        String outcome = check.outcome().name().toLowerCase(Locale.ROOT);
        journalAttempt(null, deviceId, remote, endpoint, outcome, "API key refused: " + check.outcome().description(),
                Map.of("failures_in_window", failures, "max_failures", perDevice.maxFailures(),
                        "address_failures_in_window", addressFailures, "max_address_failures", perAddress.maxFailures()));
        if (addressFailures == perAddress.maxFailures()) {
            alertThrottled(remote, null, "address", addressFailures, perAddress);
        } else if (failures == perDevice.maxFailures()) {
            alertThrottled(remote, claimed, "address_and_device", failures, perDevice);
        }
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

    private static long retryAfterSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    /** One alert per throttle episode: the count reaches the limit once, since refused failures are not counted. */
    private void alertThrottled(String remote, String claimed, String limited, int failures, RateLimiter limiter) {
        long retry = retryAfterSeconds(limiter.window());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("remote", remote);
        if (claimed != null) {
            fields.put("claimed_device", claimed);
        }
        fields.put("limited", limited);
        fields.put("failures", failures);
        fields.put("window_s", limiter.window().toSeconds());
        fields.put("retry_after_s", retry);
        journal.append(EventType.SERVER_AUTH_THROTTLED, null, "ALERT: " + failures + " failed API keys within "
                + limiter.window().toSeconds() + " s from " + remote + (claimed == null ? " (any device id)"
                : " for device '" + claimed + "'") + "; its further failures get 429 for up to " + retry
                + " s, valid keys still pass", fields);
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
