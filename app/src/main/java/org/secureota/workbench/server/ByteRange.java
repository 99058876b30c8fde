package org.secureota.workbench.server;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a {@code Range: bytes=...} request header (RFC 9110, section 14), resolved
 * against the size of the file: {@code first} and {@code last} are inclusive offsets.
 *
 * <p>Only a single range is served: an OTA client resumes one interrupted download, it never asks
 * for several pieces at once, and multipart/byteranges responses are a known source of server bugs.
 * A request for several ranges gets the whole file (200), which RFC 9110 allows.
 */
record ByteRange(long first, long last) {

    /** The result of reading a Range header. */
    sealed interface Request permits Whole, Partial, Unsatisfiable {
    }

    /** No usable Range header: send the whole file with 200. */
    record Whole() implements Request {
    }

    /** Send exactly this range with 206. */
    record Partial(ByteRange range) implements Request {
    }

    /** A bytes range that is malformed or lies outside the file: 416 with {@code Content-Range: bytes *}/size. */
    record Unsatisfiable(String reason) implements Request {
    }

    // Digits are capped at 18 so that every value fits in a long.
    private static final Pattern SPEC = Pattern.compile("(\\d{1,18})?-(\\d{1,18})?");

    long length() {
        return last - first + 1;
    }

    String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    static Request parse(Optional<String> header, long size) {
        if (header.isEmpty()) {
            return new Whole();
        }
        String value = header.get().trim();
        int eq = value.indexOf('=');
        if (eq < 0) {
            return new Unsatisfiable("the Range header has no unit (expected bytes=FIRST-LAST)");
        }
        if (!value.substring(0, eq).trim().equalsIgnoreCase("bytes")) {
            // RFC 9110: a range unit the server does not know is ignored.
            return new Whole();
        }
        String set = value.substring(eq + 1).trim();
        if (set.contains(",")) {
            return new Whole();
        }
        Matcher m = SPEC.matcher(set);
        if (!m.matches() || (m.group(1) == null && m.group(2) == null)) {
            return new Unsatisfiable("'" + set + "' is not a byte range (expected FIRST-LAST, FIRST- or -SUFFIX)");
        }
        if (m.group(1) == null) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0 || size == 0) {
                return new Unsatisfiable("the suffix range -" + suffix + " selects no byte of a " + size + "-byte file");
            }
            return new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        long first = Long.parseLong(m.group(1));
        if (m.group(2) != null && Long.parseLong(m.group(2)) < first) {
            return new Unsatisfiable("the range " + set + " ends before it starts");
        }
        long last = m.group(2) == null ? size - 1 : Long.parseLong(m.group(2));
        if (first >= size) {
            return new Unsatisfiable("the range " + set + " starts at or after the end of the " + size + "-byte file");
        }
        return new Partial(new ByteRange(first, Math.min(last, size - 1)));
    }
}
