package org.secureota.workbench.firmware;

import java.util.Optional;

/**
 * The {@code chip_id} field of an app image header ({@code esp_chip_id_t} in ESP-IDF's
 * {@code esp_app_format.h}). The bootloader refuses an image whose chip id is not its own, so a
 * chip id is what keeps an ESP32-S3 build off an ESP32.
 *
 * <p>{@link #HOST} is the virtual ESP32: ESP-IDF reserves 0xFFFF as {@code ESP_CHIP_ID_INVALID},
 * so no real chip accepts a host image and the virtual device accepts nothing built for silicon.
 */
public enum ChipId {
    ESP32(0x0000, "ESP32"),
    ESP32_S2(0x0002, "ESP32-S2"),
    ESP32_C3(0x0005, "ESP32-C3"),
    ESP32_S3(0x0009, "ESP32-S3"),
    ESP32_C2(0x000C, "ESP32-C2"),
    ESP32_C6(0x000D, "ESP32-C6"),
    ESP32_H2(0x0010, "ESP32-H2"),
    ESP32_P4(0x0012, "ESP32-P4"),
    ESP32_C61(0x0014, "ESP32-C61"),
    ESP32_C5(0x0017, "ESP32-C5"),
    HOST(0xFFFF, "host (virtual ESP32)");

    private final int id;
    private final String displayName;

    ChipId(int id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** The 16-bit value stored little-endian at offset 12 of the image header. */
    public int id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public static Optional<ChipId> fromId(int id) {
        for (ChipId chip : values()) {
            if (chip.id == id) {
                return Optional.of(chip);
            }
        }
        return Optional.empty();
    }

    /** Accepts the enum name or the display name, case-insensitively ({@code esp32-s3}, {@code ESP32_S3}). */
    public static Optional<ChipId> fromName(String name) {
        String wanted = name.trim().replace('-', '_');
        for (ChipId chip : values()) {
            if (chip.name().equalsIgnoreCase(wanted) || chip.displayName.equalsIgnoreCase(name.trim())) {
                return Optional.of(chip);
            }
        }
        return Optional.empty();
    }
}
