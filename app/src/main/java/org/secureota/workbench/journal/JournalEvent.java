package org.secureota.workbench.journal;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One thing that happened in the lab.
 *
 * @param seq       position in the session, from 1, without gaps
 * @param wallClock when it happened, for people and for exports
 * @param monotonicNanos when it happened on a clock that never jumps, for ordering and durations
 *                       (nanoseconds since the journal was opened)
 * @param source    which actor reported it
 * @param deviceId  the device it concerns, or null
 * @param type      a stable machine name, such as {@code http.request} or {@code ota.verdict}
 * @param message   a one-line human description
 * @param fields    structured details; values are JSON-compatible (strings, numbers, booleans, lists, maps)
 */
public record JournalEvent(long seq, Instant wallClock, long monotonicNanos, Source source, String deviceId,
                           String type, String message, Map<String, Object> fields) {

    public JournalEvent {
        Objects.requireNonNull(wallClock, "wallClock");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        message = message == null ? "" : message;
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Optional<String> device() {
        return Optional.ofNullable(deviceId);
    }

    /** A field as text, or empty when absent. */
    public Optional<String> field(String name) {
        Object value = fields.get(name);
        return value == null ? Optional.empty() : Optional.of(String.valueOf(value));
    }
}
