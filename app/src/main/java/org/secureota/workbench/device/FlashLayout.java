package org.secureota.workbench.device;

import java.util.Locale;
import java.util.Optional;

/** The two flash layouts a virtual board can be built with (esp32-firmware/README.md, Flash layouts). */
public enum FlashLayout {
    /** Arduino {@code default.csv}: app0/app1, the app in app0. What the real board flashes. */
    DEFAULT,
    /** ESP-IDF {@code partitions_two_ota.csv}: factory, ota_0, ota_1, the app in factory. */
    TWO_OTA;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A layout by name, {@code two_ota} or {@code two-ota} alike (case-insensitive). */
    public static Optional<FlashLayout> parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        for (FlashLayout l : values()) {
            if (l.wireName().equals(n)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
