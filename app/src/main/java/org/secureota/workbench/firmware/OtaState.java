package org.secureota.workbench.firmware;

import java.util.Optional;

/** {@code esp_ota_img_states_t}: the state word of an otadata entry. */
public enum OtaState {
    /** Set by esp_ota_set_boot_partition; the bootloader turns it into PENDING_VERIFY on first boot. */
    NEW(0x0),
    /** Booted once, not yet confirmed by the app; the bootloader rolls it back (ABORTED) on the next boot. */
    PENDING_VERIFY(0x1),
    /** Confirmed by esp_ota_mark_app_valid_cancel_rollback. */
    VALID(0x2),
    /** Marked invalid by the app; never booted again. */
    INVALID(0x3),
    /** Rolled back by the bootloader; never booted again. */
    ABORTED(0x4),
    /** Erased flash, or written by an ESP-IDF built without rollback support. */
    UNDEFINED(0xFFFF_FFFFL);

    private final long value;

    OtaState(long value) {
        this.value = value;
    }

    /** The u32 stored at offset 24 of the entry. */
    public long value() {
        return value;
    }

    /** The name in telemetry and otadata dumps: {@code pending_verify}, {@code valid} ... */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<OtaState> fromWireName(String name) {
        for (OtaState s : values()) {
            if (s.wireName().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public static Optional<OtaState> fromValue(long value) {
        for (OtaState s : values()) {
            if (s.value == value) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
