package org.secureota.workbench.server;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The strict reading of a request path that the server routes on.
 *
 * <p>The server takes the path exactly as the client sent it, before any percent-decoding or
 * dot-segment removal, and accepts only plain segments of letters, digits, '.', '_' and '-'. So
 * {@code ../}, {@code %2e%2e%2f}, {@code ..%2f}, {@code %2f} or {@code //} (absolute paths),
 * backslashes, NUL bytes and every other encoding trick are simply not a path: the request gets 404
 * before any routing. Decoding first and checking after is how traversal bugs happen; here there is
 * nothing to decode.
 */
final class RequestPath {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final int MAX_SEGMENTS = 8;

    private RequestPath() {
    }

    /** The segments of {@code rawPath}, or empty when it is not a plain path. */
    static Optional<List<String>> segments(String rawPath) {
        if (rawPath == null || rawPath.length() < 2 || rawPath.charAt(0) != '/') {
            return Optional.empty();
        }
        String[] parts = rawPath.substring(1).split("/", -1);
        if (parts.length > MAX_SEGMENTS) {
            return Optional.empty();
        }
        for (String p : parts) {
            if (!SEGMENT.matcher(p).matches() || p.equals(".") || p.equals("..")) {
                return Optional.empty();
            }
        }
        return Optional.of(List.of(parts));
    }
}
