package org.secureota.workbench.device;

import org.secureota.workbench.firmware.OtaState;

import java.util.List;
import java.util.Optional;

/**
 * One line received from a device, decoded by {@link TelemetryCodec}: a machine event of protocol
 * version 1, a human log line, or a machine line this workbench must ignore (docs/telemetry.md).
 * Every variant keeps the raw line, so the journal and the serial transcript show exactly what came
 * over the wire.
 */
public sealed interface TelemetryLine {

    /** The line as received, without its line ending. */
    String raw();

    /**
     * Log output for people, shown as is and never parsed. A line that looked like a machine line but
     * could not be decoded ends up here too, with a {@code warning} that says why, so nothing the
     * device said is lost and a broken line never stops the link.
     */
    record Human(String raw, String warning) implements TelemetryLine {
        public Human(String raw) {
            this(raw, null);
        }

        public Optional<String> codecWarning() {
            return Optional.ofNullable(warning);
        }
    }

    /**
     * A machine line the protocol says to ignore: an unknown protocol version ({@code @ota2 ...}) or
     * an event name this workbench does not know. Kept so it can still be journaled.
     */
    record Ignored(String raw, String reason) implements TelemetryLine {
    }

    /** A machine event of protocol version 1. */
    sealed interface Event extends TelemetryLine {
        /** The {@code ev} member. */
        String name();
    }

    /** {@code boot}: the app started (or repeats its boot report on {@code status}). */
    record Boot(String raw, String slot, String label, String version, long secureVersion, String project,
                String resetReason, String state, long minSecureVersion, boolean provisioned, String deviceId,
                Boolean statusReport, String profile, String missingDefences)
            implements Event {
        /** A boot of a firmware that does not report its defence profile. */
        public Boot(String raw, String slot, String label, String version, long secureVersion, String project,
                    String resetReason, String state, long minSecureVersion, boolean provisioned, String deviceId,
                    Boolean statusReport) {
            this(raw, slot, label, version, secureVersion, project, resetReason, state, minSecureVersion, provisioned,
                    deviceId, statusReport, null, null);
        }

        @Override
        public String name() {
            return "boot";
        }
    }

    /** {@code partitions}: the whole flash layout and what each app slot holds. */
    record Partitions(String raw, List<PartitionRow> table, List<OtaDataRow> otadata, List<SlotReport> slots)
            implements Event {
        public Partitions {
            table = List.copyOf(table);
            otadata = List.copyOf(otadata);
            slots = List.copyOf(slots);
        }

        @Override
        public String name() {
            return "partitions";
        }
    }

    /** One partition table entry; {@code kind} as gen_esp32part.py names it ({@code app/ota_0}). */
    record PartitionRow(String label, int type, int subtype, String kind, long offset, long size) {
    }

    /** One otadata entry; {@code seq} is null when blank. */
    record OtaDataRow(Long seq, OtaState state, boolean crcOk, boolean valid) {
    }

    /** {@code lcd}: a character cell or glyph changed. */
    record Lcd(String raw, LcdScreen screen) implements Event {
        @Override
        public String name() {
            return "lcd";
        }
    }

    /** {@code led}: the LED pattern changed. */
    record Led(String raw, LedPattern pattern) implements Event {
        @Override
        public String name() {
            return "led";
        }
    }

    /** {@code selftest}: the app's self-test result; a failed one means a rollback on the next boot. */
    record SelfTest(String raw, boolean passed, String detail) implements Event {
        @Override
        public String name() {
            return "selftest";
        }
    }

    /** {@code app_state}: the running slot's otadata state changed (the app confirmed itself). */
    record AppState(String raw, String slot, String state) implements Event {
        @Override
        public String name() {
            return "app_state";
        }
    }

    /** {@code ota} progress: a phase change or another 4 KiB of image. */
    record OtaProgress(String raw, String phase, long bytes, long total) implements Event {
        @Override
        public String name() {
            return "ota";
        }
    }

    /**
     * {@code ota} verdict: the end of one update attempt. Match on {@code code}, never on {@code detail}.
     * {@code version} is the offered version, or null when none was learned.
     */
    record OtaVerdict(String raw, String code, String detail, String version) implements Event {
        @Override
        public String name() {
            return "ota";
        }
    }

    /**
     * {@code image_transport}: how the image of an attempt travelled, sent before its verdict when the device
     * requested image bytes. {@code scheme} and {@code keyId} are null for a plaintext image; {@code decrypted}
     * is true only when the device decrypted the whole encrypted file and its tag verified.
     */
    record ImageTransport(String raw, String version, boolean encrypted, String scheme, String keyId,
                          boolean decrypted) implements Event {
        @Override
        public String name() {
            return "image_transport";
        }
    }

    /** {@code error}: something went wrong outside an update; {@code code} is stable. */
    record DeviceError(String raw, String code, String message) implements Event {
        @Override
        public String name() {
            return "error";
        }
    }

    /** {@code heartbeat}: every 5 s while the app runs. */
    record Heartbeat(String raw, long uptimeMs, String version, String state) implements Event {
        @Override
        public String name() {
            return "heartbeat";
        }
    }

    /**
     * {@code tls}: the OTA engine opened a TLS connection {@code purpose} ("manifest", "image" or
     * "report"); {@code resumed}: it resumed the session of an earlier connection of the same check
     * instead of a full handshake.
     */
    record TlsSession(String raw, String purpose, boolean resumed) implements Event {
        @Override
        public String name() {
            return "tls";
        }
    }

    /** {@code ack}: a command was received and understood. */
    record Ack(String raw, String command) implements Event {
        @Override
        public String name() {
            return "ack";
        }
    }
}
