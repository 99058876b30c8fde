package org.secureota.workbench.device;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The product images the firmware build packs ({@code esp32-firmware/build/images/NAME.bin}), by the
 * version each one carries in its {@code esp_app_desc_t}: the one list of them. Scripts name versions, as a
 * presenter does; a lab session publishes every one but the factory's V1.
 */
public final class BuiltImages {

    private static final Map<String, String> BY_VERSION = new LinkedHashMap<>();

    static {
        BY_VERSION.put("1.0.0", "v1_base");
        BY_VERSION.put("2.0.0", "v2_promo");
        BY_VERSION.put("3.0.0", "v3_liquid");
        BY_VERSION.put("4.0.0", "v4_broken");
    }

    /** What a factory-fresh board runs: flashed at the factory, never published. */
    public static final String FACTORY_VERSION = "1.0.0";

    private BuiltImages() {
    }

    /** The images a lab publishes, oldest first (every built one but the factory's). */
    public static List<String> published() {
        return BY_VERSION.entrySet().stream().filter(e -> !e.getKey().equals(FACTORY_VERSION)).map(Map.Entry::getValue)
                .toList();
    }

    public static Optional<String> imageOf(String version) {
        return Optional.ofNullable(BY_VERSION.get(version));
    }

    public static String versions() {
        return String.join(", ", BY_VERSION.keySet());
    }
}
