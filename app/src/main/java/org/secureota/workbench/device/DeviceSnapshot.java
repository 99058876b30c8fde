package org.secureota.workbench.device;

import java.util.List;
import java.util.Optional;
import org.secureota.workbench.firmware.OtaState;

/**
 * Everything the workbench knows about one device at one moment, as reported over telemetry.
 * Immutable: {@link Device} replaces it on every change, so a view, a test or a scenario can hold
 * one and read it from any thread. Fields the device has not reported yet are null (or empty).
 *
 * @param name            what the workbench calls the device until it reports its id (a port path)
 * @param connection      the serial link's state
 * @param deviceId        from the factory data, via {@code boot}; null when unknown or unprovisioned
 * @param provisioned     factory data present and valid; null until the first {@code boot}
 * @param runningSlot     running partition's subtype ({@code ota_0})
 * @param runningLabel    running partition's label ({@code app0})
 * @param version         running image's version
 * @param secureVersion   running image's secure_version
 * @param project         running image's project name (the product)
 * @param resetReason     why the device last booted ({@code poweron}, {@code ext}, {@code sw} ...)
 * @param runningState    otadata state of the running slot ({@link OtaState#PENDING_VERIFY}, {@link OtaState#VALID} ...)
 * @param minSecureVersion anti-rollback minimum stored in eFuse
 * @param partitions      the partition table, in table order
 * @param otadata         the two otadata entries
 * @param slots           every bootable slot with its state and image
 * @param lcd             the display
 * @param led             the LED pattern
 * @param selfTest        this boot's self-test; null until reported
 * @param lastProgress    the last OTA progress event; null when none
 * @param lastVerdict     the last OTA verdict (survives reboots: {@code UPDATED} is followed by one)
 * @param lastError       the last {@code error} event; null when none
 * @param boots           boots seen on this link (a {@code boot} that answers {@code status} is not a boot)
 * @param uptimeMs        from the last heartbeat; null when none since the last boot
 * @param interrupted     the last progress of an update attempt that a new boot (a power cut, a reset) cut short
 *                        before its verdict; null when the last attempt ended with a verdict, or none was made.
 *                        It stays through the next attempt's download and clears on that attempt's verdict.
 * @param profile         the defence profile of the running firmware, from its {@code boot} ({@code secure}, or a
 *                        weakened lab build such as {@code no-hash}); null until a firmware that reports it boots
 */
public record DeviceSnapshot(String name, ConnectionState connection, String deviceId, Boolean provisioned,
                             String runningSlot, String runningLabel, String version, Long secureVersion,
                             String project, String resetReason, OtaState runningState, Long minSecureVersion,
                             List<TelemetryLine.PartitionRow> partitions, List<TelemetryLine.OtaDataRow> otadata,
                             List<SlotReport> slots, LcdScreen lcd, LedPattern led, TelemetryLine.SelfTest selfTest,
                             TelemetryLine.OtaProgress lastProgress, TelemetryLine.OtaVerdict lastVerdict,
                             TelemetryLine.DeviceError lastError, long boots, Long uptimeMs,
                             TelemetryLine.OtaProgress interrupted, String profile) {

    public DeviceSnapshot {
        partitions = List.copyOf(partitions);
        otadata = List.copyOf(otadata);
        slots = List.copyOf(slots);
    }

    /** A snapshot with no defence profile reported (a firmware older than that member). */
    public DeviceSnapshot(String name, ConnectionState connection, String deviceId, Boolean provisioned,
                          String runningSlot, String runningLabel, String version, Long secureVersion,
                          String project, String resetReason, OtaState runningState, Long minSecureVersion,
                          List<TelemetryLine.PartitionRow> partitions, List<TelemetryLine.OtaDataRow> otadata,
                          List<SlotReport> slots, LcdScreen lcd, LedPattern led, TelemetryLine.SelfTest selfTest,
                          TelemetryLine.OtaProgress lastProgress, TelemetryLine.OtaVerdict lastVerdict,
                          TelemetryLine.DeviceError lastError, long boots, Long uptimeMs,
                          TelemetryLine.OtaProgress interrupted) {
        this(name, connection, deviceId, provisioned, runningSlot, runningLabel, version, secureVersion, project,
                resetReason, runningState, minSecureVersion, partitions, otadata, slots, lcd, led, selfTest,
                lastProgress, lastVerdict, lastError, boots, uptimeMs, interrupted, null);
    }

    /** A snapshot with no interrupted attempt (the field's absence before it existed). */
    public DeviceSnapshot(String name, ConnectionState connection, String deviceId, Boolean provisioned,
                          String runningSlot, String runningLabel, String version, Long secureVersion,
                          String project, String resetReason, OtaState runningState, Long minSecureVersion,
                          List<TelemetryLine.PartitionRow> partitions, List<TelemetryLine.OtaDataRow> otadata,
                          List<SlotReport> slots, LcdScreen lcd, LedPattern led, TelemetryLine.SelfTest selfTest,
                          TelemetryLine.OtaProgress lastProgress, TelemetryLine.OtaVerdict lastVerdict,
                          TelemetryLine.DeviceError lastError, long boots, Long uptimeMs) {
        this(name, connection, deviceId, provisioned, runningSlot, runningLabel, version, secureVersion, project,
                resetReason, runningState, minSecureVersion, partitions, otadata, slots, lcd, led, selfTest,
                lastProgress, lastVerdict, lastError, boots, uptimeMs, null);
    }

    /** The id to record events under: the reported device id, else the workbench's name for it. */
    public String journalId() {
        return deviceId != null ? deviceId : name;
    }

    public Optional<SlotReport> slot(String slotOrLabel) {
        return slots.stream().filter(s -> s.slot().equals(slotOrLabel) || s.label().equals(slotOrLabel)).findFirst();
    }

    /** The code of the last OTA verdict, if any. */
    public Optional<String> lastVerdictCode() {
        return Optional.ofNullable(lastVerdict).map(TelemetryLine.OtaVerdict::code);
    }
}
