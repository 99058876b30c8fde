package org.secureota.workbench.device;

import java.util.Locale;

/** The two flash layouts a virtual board can be built with (esp32-firmware/README.md, Flash layouts). */
public enum FlashLayout {
    /** Arduino {@code default.csv}: app0/app1, the app in app0. What the real board flashes. */
    DEFAULT,
    /** ESP-IDF {@code partitions_two_ota.csv}: factory, ota_0, ota_1, the app in factory. */
    TWO_OTA;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
