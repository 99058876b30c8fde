package org.secureota.workbench.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The product images the firmware build packs ({@code esp32-firmware/build/images/NAME.bin}), by the
 * version each one carries in its {@code esp_app_desc_t}. Scripts name versions, as a presenter does.
 */
public final class BuiltImages {

    private static final Map<String, String> BY_VERSION = new LinkedHashMap<>();

    static {
        BY_VERSION.put("1.0.0", "v1_base");
        BY_VERSION.put("2.0.0", "v2_promo");
        BY_VERSION.put("3.0.0", "v3_liquid");
        BY_VERSION.put("4.0.0", "v4_broken");
    }

    private BuiltImages() {
    }

    public static Optional<String> imageOf(String version) {
        return Optional.ofNullable(BY_VERSION.get(version));
    }

    public static String versions() {
        return String.join(", ", BY_VERSION.keySet());
    }
}
