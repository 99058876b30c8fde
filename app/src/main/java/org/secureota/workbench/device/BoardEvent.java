package org.secureota.workbench.device;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.secureota.workbench.journal.EventType;

/**
 * One status line of the virtual board's supervisor ({@code board: ...} on the stdout of
 * {@code virtual-esp32 run}, esp32-firmware/README.md), as a journal event type and fields.
 *
 * @param eventType {@code board.ready}, {@code board.power_on}, {@code board.power_off},
 *                {@code board.power_cut}, {@code board.restart}, {@code board.crash}, {@code board.halted},
 *                {@code board.armed}, {@code board.disarmed}, {@code board.status}, {@code board.error},
 *                or {@code board.info} for anything else
 * @param message the line without its {@code board: } prefix
 * @param fields  what the line names: {@code pty}, {@code reason}, {@code operation}, {@code cut} ...
 */
public record BoardEvent(EventType eventType, String message, Map<String, Object> fields) {

    public static final String PREFIX = "board: ";

    private static final Pattern READY = Pattern.compile("ready pty=(\\S+) link=(.*)");
    private static final Pattern POWER_ON = Pattern.compile("power on reason=(\\S+)(?: pid=(\\d+))?");
    private static final Pattern POWER_OFF = Pattern.compile("power off \\((.*)\\)");
    private static final Pattern CUT = Pattern.compile("power cut at flash operation (\\d+) \\((\\w+)\\).*");
    private static final Pattern ARMED = Pattern.compile("armed fail-after=(\\d+) cut=(\\w+).*");
    private static final Pattern STATUS =
            Pattern.compile("status power=(\\w+) flash_ops=(\\d+) armed=(\\S+) pty=(\\S+)");
    private static final Pattern CRASH = Pattern.compile("app crashed \\((.*)\\).*");

    public BoardEvent {
        fields = Map.copyOf(fields);
    }

    /** The wire name of {@link #eventType()}. */
    public String type() {
        return eventType.wireName();
    }

    /** Parses a supervisor line (with or without the prefix); never throws. */
    public static BoardEvent parse(String line) {
        String m = line.startsWith(PREFIX) ? line.substring(PREFIX.length()) : line;
        Map<String, Object> f = new LinkedHashMap<>();
        Matcher x;
        if ((x = READY.matcher(m)).matches()) {
            f.put("pty", x.group(1));
            f.put("link", x.group(2));
            return new BoardEvent(EventType.BOARD_READY, m, f);
        }
        if ((x = POWER_ON.matcher(m)).matches()) {
            f.put("reason", x.group(1));
            return new BoardEvent(EventType.BOARD_POWER_ON, m, f);
        }
        if ((x = POWER_OFF.matcher(m)).matches()) {
            f.put("reason", x.group(1));
            return new BoardEvent(EventType.BOARD_POWER_OFF, m, f);
        }
        if ((x = CUT.matcher(m)).matches()) {
            f.put("operation", Long.parseLong(x.group(1)));
            f.put("cut", x.group(2));
            return new BoardEvent(EventType.BOARD_POWER_CUT, m, f);
        }
        if ((x = ARMED.matcher(m)).matches()) {
            f.put("fail_after", Long.parseLong(x.group(1)));
            f.put("cut", x.group(2));
            return new BoardEvent(EventType.BOARD_ARMED, m, f);
        }
        if ((x = STATUS.matcher(m)).matches()) {
            f.put("power", x.group(1));
            f.put("flash_ops", Long.parseLong(x.group(2)));
            f.put("armed", x.group(3));
            f.put("pty", x.group(4));
            return new BoardEvent(EventType.BOARD_STATUS, m, f);
        }
        if ((x = CRASH.matcher(m)).matches()) {
            f.put("cause", x.group(1));
            return new BoardEvent(EventType.BOARD_CRASH, m, f);
        }
        if (m.equals("app restarted the chip")) {
            return new BoardEvent(EventType.BOARD_RESTART, m, f);
        }
        if (m.equals("disarmed")) {
            return new BoardEvent(EventType.BOARD_DISARMED, m, f);
        }
        if (m.startsWith("halted")) {
            return new BoardEvent(EventType.BOARD_HALTED, m, f);
        }
        if (m.startsWith("error")) {
            return new BoardEvent(EventType.BOARD_ERROR, m, f);
        }
        return new BoardEvent(EventType.BOARD_INFO, m, f);
    }
}
