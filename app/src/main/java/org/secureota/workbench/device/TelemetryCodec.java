package org.secureota.workbench.device;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.secureota.workbench.firmware.OtaState;

/**
 * Both directions of the serial telemetry protocol, version 1 (docs/telemetry.md, the contract).
 *
 * <p>{@link #decode} never throws: the line comes from a wire that may carry noise, a half-written
 * line after a power cut, or another firmware. A line that claims to be a machine line but cannot be
 * decoded becomes a {@link TelemetryLine.Human} with a warning naming what was wrong. Unknown protocol
 * versions and unknown event names are {@link TelemetryLine.Ignored}, unknown members are skipped, as
 * the protocol requires for forward compatibility. Thread-safe and stateless.
 */
public final class TelemetryCodec {

    /** The fixed prefix of a machine line. */
    public static final String PREFIX = "@ota";
    public static final int VERSION = 1;
    /** Longest line a device may send, in bytes of UTF-8. */
    public static final int MAX_LINE_BYTES = 4096;
    /** Longest line a device accepts; it drops a longer one whole. */
    public static final int MAX_COMMAND_BYTES = 512;

    // FAIL_ON_TRAILING_TOKENS: the protocol allows exactly one object per line; "{...} junk" is broken.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Decodes one line; a trailing {@code \r} (or {@code \r\n}) is stripped first. */
    public TelemetryLine decode(String line) {
        String text = stripLineEnding(line == null ? "" : line);
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_LINE_BYTES) {
            return new TelemetryLine.Human(text, "line is longer than the protocol's " + MAX_LINE_BYTES
                    + " bytes; shown as text, not decoded");
        }
        if (!text.startsWith(PREFIX)) {
            return new TelemetryLine.Human(text);
        }
        int digitsEnd = PREFIX.length();
        while (digitsEnd < text.length() && digitsEnd - PREFIX.length() < 9 && Character.isDigit(text.charAt(digitsEnd))) {
            digitsEnd++;
        }
        if (digitsEnd == PREFIX.length() || digitsEnd >= text.length() || text.charAt(digitsEnd) != ' ') {
            return new TelemetryLine.Human(text, "starts with '" + PREFIX
                    + "' but is not '@ota<version> {json}'; a device must never send such a line");
        }
        int version = Integer.parseInt(text.substring(PREFIX.length(), digitsEnd));
        if (version != VERSION) {
            return new TelemetryLine.Ignored(text, "protocol version " + version + " is unknown to this workbench"
                    + " (it speaks version " + VERSION + "); ignored as the protocol requires");
        }
        JsonNode object;
        try {
            object = JSON.readTree(text.substring(digitsEnd + 1));
        } catch (JacksonException e) {
            return new TelemetryLine.Human(text, "machine line with broken JSON (truncated or garbled): "
                    + e.getOriginalMessage());
        }
        if (object == null || !object.isObject()) {
            return new TelemetryLine.Human(text, "machine line does not carry a JSON object");
        }
        try {
            return event(text, new Members(object));
        } catch (BadMember e) {
            return new TelemetryLine.Human(text, "machine line does not match protocol version " + VERSION + ": "
                    + e.getMessage());
        }
    }

    /** The command line for {@code command}, without the line ending: {@code @ota1 {"cmd":"status"}}. */
    public String encode(SerialCommand command) {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("cmd", command.wireName());
        return PREFIX + VERSION + " " + o;
    }

    static String stripLineEnding(String line) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\n') {
            end--;
        }
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        return line.substring(0, end);
    }

    private static TelemetryLine event(String raw, Members m) {
        String ev = m.string("ev");
        return switch (ev) {
            case "boot" -> new TelemetryLine.Boot(raw, m.string("slot"), m.string("label"), m.string("version"),
                    m.number("secure_version"), m.string("project"), m.string("reset_reason"), m.string("state"),
                    m.number("min_secure_version"), m.bool("provisioned"), m.optionalString("device_id"),
                    m.optionalBool("status_report"), m.optionalString("profile"), m.optionalString("missing_defences"));
            case "partitions" -> partitions(raw, m);
            case "lcd" -> new TelemetryLine.Lcd(raw, lcd(m));
            case "led" -> new TelemetryLine.Led(raw, led(m));
            case "selftest" -> new TelemetryLine.SelfTest(raw, m.bool("passed"), m.optionalString("detail"));
            case "app_state" -> new TelemetryLine.AppState(raw, m.string("slot"), m.string("state"));
            case "ota" -> "verdict".equals(m.string("phase"))
                    ? new TelemetryLine.OtaVerdict(raw, m.string("code"), m.optionalString("detail"),
                            m.optionalString("version"))
                    : new TelemetryLine.OtaProgress(raw, m.string("phase"), m.number("bytes"), m.number("total"));
            case "image_transport" -> new TelemetryLine.ImageTransport(raw, m.string("version"), m.bool("encrypted"),
                    m.optionalString("scheme"), m.optionalString("key_id"), m.bool("decrypted"));
            case "error" -> new TelemetryLine.DeviceError(raw, m.string("code"), m.optionalString("message"));
            case "heartbeat" -> new TelemetryLine.Heartbeat(raw, m.number("uptime_ms"), m.optionalString("version"),
                    m.optionalString("state"));
            case "ack" -> new TelemetryLine.Ack(raw, m.string("cmd"));
            case "tls" -> new TelemetryLine.TlsSession(raw, m.string("for"), m.bool("resumed"));
            default -> new TelemetryLine.Ignored(raw, "event '" + ev + "' is unknown to this workbench; ignored");
        };
    }

    private static TelemetryLine.Partitions partitions(String raw, Members m) {
        List<TelemetryLine.PartitionRow> table = new ArrayList<>();
        for (Members p : m.objects("table")) {
            table.add(new TelemetryLine.PartitionRow(p.string("label"), (int) p.number("type"),
                    (int) p.number("subtype"), p.optionalString("kind"), p.number("offset"), p.number("size")));
        }
        List<TelemetryLine.OtaDataRow> otadata = new ArrayList<>();
        for (Members o : m.objects("otadata")) {
            otadata.add(new TelemetryLine.OtaDataRow(o.optionalNumber("seq"), o.otaState("state"), o.bool("crc_ok"),
                    o.bool("valid")));
        }
        List<SlotReport> slots = new ArrayList<>();
        for (Members s : m.objects("slots")) {
            Members image = s.object("image");
            boolean valid = image.bool("valid");
            SlotReport.Image img = valid
                    ? new SlotReport.Image(true, image.string("version"), image.number("secure_version"),
                            image.string("project"), null)
                    : new SlotReport.Image(false, null, null, null, image.optionalString("error"));
            slots.add(new SlotReport(s.string("label"), s.string("slot"), s.number("offset"), s.number("size"),
                    s.otaState("state"), s.bool("running"), s.bool("next_boot"), img));
        }
        return new TelemetryLine.Partitions(raw, table, otadata, slots);
    }

    private static LcdScreen lcd(Members m) {
        List<String> rows = m.strings("rows");
        if (rows.size() != LcdScreen.ROWS) {
            throw new BadMember("'lcd' event has " + rows.size() + " rows, the display has " + LcdScreen.ROWS);
        }
        List<List<Integer>> cells = new ArrayList<>();
        JsonNode cellRows = m.node.get("cells");
        if (cellRows != null && cellRows.isArray()) {
            for (JsonNode row : cellRows) {
                cells.add(numbers(row, "cells"));
            }
        }
        List<LcdScreen.Glyph> glyphs = new ArrayList<>();
        if (m.node.hasNonNull("cgram")) {
            for (Members g : m.objects("cgram")) {
                glyphs.add(new LcdScreen.Glyph((int) g.number("code"), g.optionalString("char"),
                        numbers(g.node.get("bitmap"), "bitmap")));
            }
        }
        return new LcdScreen(rows, cells, glyphs);
    }

    private static LedPattern led(Members m) {
        LedPattern.Mode mode = LedPattern.Mode.fromWire(m.string("mode"));
        return switch (mode) {
            case BLINK -> new LedPattern(mode, m.number("period_ms"), m.number("duty"), 0, 0);
            case STROBE -> new LedPattern(mode, m.number("period_ms"), 0, m.number("flashes"), m.number("flash_ms"));
            default -> new LedPattern(mode, 0, 0, 0, 0);
        };
    }

    private static List<Integer> numbers(JsonNode array, String what) {
        List<Integer> out = new ArrayList<>();
        if (array == null || !array.isArray()) {
            throw new BadMember("member '" + what + "' is not an array of numbers");
        }
        for (JsonNode n : array) {
            if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                throw new BadMember("member '" + what + "' holds " + n + ", not a small integer");
            }
            out.add(n.intValue());
        }
        return out;
    }

    /** Typed access to an event's members; a missing or mistyped one is a {@link BadMember}. */
    private record Members(JsonNode node) {

        JsonNode required(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw new BadMember("member '" + name + "' is missing");
            }
            return v;
        }

        /** An otadata state by its ESP-IDF name ({@code pending_verify}); any other value is a bad member. */
        OtaState otaState(String name) {
            String v = string(name);
            return OtaState.fromWireName(v).orElseThrow(() -> new BadMember("'" + name + "' is '" + v
                    + "', not an otadata state (new, pending_verify, valid, invalid, aborted, undefined)"));
        }

        String string(String name) {
            JsonNode v = required(name);
            if (!v.isTextual()) {
                throw new BadMember("member '" + name + "' is " + v.getNodeType() + ", expected a string");
            }
            return v.textValue();
        }

        String optionalString(String name) {
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? null : v.isTextual() ? v.textValue() : v.toString();
        }

        long number(String name) {
            JsonNode v = required(name);
            // The protocol's numbers are unsigned 32-bit integers; anything else is not from a v1 device.
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0 || v.longValue() > 0xFFFF_FFFFL) {
                throw new BadMember("member '" + name + "' is " + v + ", expected an unsigned 32-bit integer");
            }
            return v.longValue();
        }

        Long optionalNumber(String name) {
            JsonNode v = node.get(name);
            return v == null || v.isNull() ? null : number(name);
        }

        /** Null when absent: members added within version 1 are optional for older devices. */
        Boolean optionalBool(String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isBoolean()) {
                throw new BadMember("member '" + name + "' is " + v + ", expected true or false");
            }
            return v.booleanValue();
        }

        boolean bool(String name) {
            JsonNode v = required(name);
            if (!v.isBoolean()) {
                throw new BadMember("member '" + name + "' is " + v + ", expected true or false");
            }
            return v.booleanValue();
        }

        Members object(String name) {
            JsonNode v = required(name);
            if (!v.isObject()) {
                throw new BadMember("member '" + name + "' is not an object");
            }
            return new Members(v);
        }

        List<Members> objects(String name) {
            JsonNode v = required(name);
            if (!v.isArray()) {
                throw new BadMember("member '" + name + "' is not an array");
            }
            List<Members> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isObject()) {
                    throw new BadMember("member '" + name + "' holds " + e.getNodeType() + ", expected objects");
                }
                out.add(new Members(e));
            }
            return out;
        }

        List<String> strings(String name) {
            JsonNode v = required(name);
            if (!v.isArray()) {
                throw new BadMember("member '" + name + "' is not an array");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    throw new BadMember("member '" + name + "' holds " + e + ", expected strings");
                }
                out.add(e.textValue());
            }
            return out;
        }
    }

    /** A machine line whose members do not match version 1; caught in {@link #decode}, never escapes. */
    private static final class BadMember extends RuntimeException {
        BadMember(String message) {
            super(message, null, false, false);
        }
    }
}
