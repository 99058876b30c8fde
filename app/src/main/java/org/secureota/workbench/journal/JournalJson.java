package org.secureota.workbench.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** The JSON Lines form of an event: one object per line, stable field names. */
public final class JournalJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() { };

    private JournalJson() {
    }

    public static String toLine(JournalEvent e) {
        // Written straight out (every request of the OTA server appends events): building a tree of the
        // fields first, as this did, cost a parse of the fields into nodes per event for the same text.
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("seq", e.seq());
            g.writeStringField("time", e.wallClock().toString());
            g.writeNumberField("mono_ns", e.monotonicNanos());
            g.writeStringField("source", e.source().wireName());
            if (e.deviceId() != null) {
                g.writeStringField("device", e.deviceId());
            }
            g.writeStringField("type", e.type());
            g.writeStringField("message", e.message());
            g.writeFieldName("fields");
            MAPPER.writeValue(g, e.fields());
            g.writeEndObject();
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("event " + e.seq() + " has fields that are not JSON: "
                    + ex.getOriginalMessage(), ex);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** Parses one line; the exception message says which field is wrong. */
    public static JournalEvent fromLine(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("not valid JSON (" + ex.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        try {
            Map<String, Object> fields = node.hasNonNull("fields")
                    ? MAPPER.convertValue(node.get("fields"), FIELDS) : Map.of();
            return new JournalEvent(
                    required(node, "seq").asLong(),
                    Instant.parse(required(node, "time").asText()),
                    node.path("mono_ns").asLong(0),
                    Source.fromWireName(required(node, "source").asText()),
                    node.hasNonNull("device") ? node.get("device").asText() : null,
                    required(node, "type").asText(),
                    node.path("message").asText(""),
                    fields);
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("field 'time' is not an ISO-8601 instant");
        }
    }

    private static JsonNode required(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return value;
    }
}
