package org.secureota.workbench.device;

import org.secureota.workbench.journal.SessionExport;

/**
 * The journal event types this package writes, all with source {@code device}. The timeline, the
 * scenario expectations and the tests match on these names and on their fields, never on messages.
 */
public final class DeviceEvents {

    /** A raw line from the device, exactly as received (message = the line). */
    public static final String SERIAL_RX = SessionExport.SERIAL_RX;
    /** A raw line sent to the device (message = the line). */
    public static final String SERIAL_TX = SessionExport.SERIAL_TX;

    /** The serial port was opened (field {@code port}, {@code reconnect}). */
    public static final String CONNECTED = "device.connected";
    /** The serial port closed or vanished (fields {@code port}, {@code reason}). */
    public static final String DISCONNECTED = "device.disconnected";

    /** {@code boot} (fields as in the protocol, plus {@code status_report}: true when it answers {@code status}). */
    public static final String BOOT = "device.boot";
    public static final String PARTITIONS = "device.partitions";
    /** {@code lcd} (field {@code rows}). */
    public static final String LCD = "device.lcd";
    /** {@code led} (fields {@code mode}, {@code period_ms}, {@code duty}, {@code flashes}, {@code flash_ms}). */
    public static final String LED = "device.led";
    public static final String SELFTEST = "device.selftest";
    public static final String APP_STATE = "device.app_state";
    /** {@code error} (fields {@code code}, {@code message}). */
    public static final String ERROR = "device.error";
    /** {@code ack} (field {@code cmd}). */
    public static final String ACK = "device.ack";
    /** OTA progress (fields {@code phase}, {@code bytes}, {@code total}). */
    public static final String OTA_PROGRESS = "ota.progress";
    /** OTA verdict (fields {@code code}, {@code detail}, {@code version}); match on {@code code}. */
    public static final String OTA_VERDICT = "ota.verdict";

    /** A line that looked like telemetry but could not be decoded (fields {@code warning}, {@code line}). */
    public static final String TELEMETRY_WARNING = "device.telemetry_warning";
    /** A machine line the protocol says to ignore: unknown version or event (field {@code reason}). */
    public static final String TELEMETRY_IGNORED = "device.telemetry_ignored";

    /** The workbench failed while handling a line (a model listener threw); fields {@code line}, {@code error}. */
    public static final String LINK_ERROR = "device.link_error";

    /** The virtual board's supervisor: {@code board.ready}, {@code board.power_on}, ... see {@link BoardEvent}. */
    public static final String BOARD_PREFIX = "board.";

    private DeviceEvents() {
    }
}
