package org.secureota.workbench.device;

import org.secureota.workbench.journal.EventType;

/**
 * The wire names of the journal event types this package writes, kept for matching code; the
 * catalogue itself is {@link EventType}. The journal event types this package writes, all with source {@code device}. The timeline, the
 * scenario expectations and the tests match on these names and on their fields, never on messages.
 */
public final class DeviceEvents {

    /** A raw line from the device, exactly as received (message = the line). */
    public static final String SERIAL_RX = EventType.SERIAL_RX.wireName();
    /** A raw line sent to the device (message = the line). */
    public static final String SERIAL_TX = EventType.SERIAL_TX.wireName();

    /** The serial port was opened (field {@code port}, {@code reconnect}). */
    public static final String CONNECTED = EventType.DEVICE_CONNECTED.wireName();
    /** The serial port closed or vanished (fields {@code port}, {@code reason}). */
    public static final String DISCONNECTED = EventType.DEVICE_DISCONNECTED.wireName();

    /** {@code boot} (fields as in the protocol, plus {@code status_report}: true when it answers {@code status}). */
    public static final String BOOT = EventType.DEVICE_BOOT.wireName();
    public static final String PARTITIONS = EventType.DEVICE_PARTITIONS.wireName();
    /** {@code lcd} (field {@code rows}). */
    public static final String LCD = EventType.DEVICE_LCD.wireName();
    /** {@code led} (fields {@code mode}, {@code period_ms}, {@code duty}, {@code flashes}, {@code flash_ms}). */
    public static final String LED = EventType.DEVICE_LED.wireName();
    public static final String SELFTEST = EventType.DEVICE_SELFTEST.wireName();
    public static final String APP_STATE = EventType.DEVICE_APP_STATE.wireName();
    /** {@code error} (fields {@code code}, {@code message}). */
    public static final String ERROR = EventType.DEVICE_ERROR.wireName();
    /** {@code ack} (field {@code cmd}). */
    public static final String ACK = EventType.DEVICE_ACK.wireName();
    /** OTA progress (fields {@code phase}, {@code bytes}, {@code total}). */
    public static final String OTA_PROGRESS = EventType.OTA_PROGRESS.wireName();
    /** OTA verdict (fields {@code code}, {@code detail}, {@code version}); match on {@code code}. */
    public static final String OTA_VERDICT = EventType.OTA_VERDICT.wireName();

    /** A line that looked like telemetry but could not be decoded (fields {@code warning}, {@code line}). */
    public static final String TELEMETRY_WARNING = EventType.DEVICE_TELEMETRY_WARNING.wireName();
    /** A machine line the protocol says to ignore: unknown version or event (field {@code reason}). */
    public static final String TELEMETRY_IGNORED = EventType.DEVICE_TELEMETRY_IGNORED.wireName();

    /** The workbench failed while handling a line (a model listener threw); fields {@code line}, {@code error}. */
    public static final String LINK_ERROR = EventType.DEVICE_LINK_ERROR.wireName();

    /** The virtual board's supervisor: {@code board.ready}, {@code board.power_on}, ... see {@link BoardEvent}. */
    public static final String BOARD_PREFIX = "board.";

    private DeviceEvents() {
    }
}
