package org.secureota.workbench.firmware;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The partition type and subtype names of ESP-IDF's {@code gen_esp32part.py}, both ways. Types
 * 0x40..0xFE are free for applications (the workbench's factory data partition is type 0x40), so
 * a type or subtype without a name is kept as its number, exactly like gen_esp32part does.
 */
public final class PartitionTypes {

    public static final int APP = 0x00;
    public static final int DATA = 0x01;

    public static final int APP_FACTORY = 0x00;
    public static final int APP_OTA_MIN = 0x10;
    public static final int APP_OTA_MAX = 0x1F;
    public static final int APP_TEST = 0x20;

    public static final int DATA_OTA = 0x00;
    public static final int DATA_PHY = 0x01;
    public static final int DATA_NVS = 0x02;
    public static final int DATA_COREDUMP = 0x03;
    public static final int DATA_NVS_KEYS = 0x04;
    public static final int DATA_EFUSE = 0x05;
    public static final int DATA_UNDEFINED = 0x06;
    public static final int DATA_ESPHTTPD = 0x80;
    public static final int DATA_FAT = 0x81;
    public static final int DATA_SPIFFS = 0x82;
    public static final int DATA_LITTLEFS = 0x83;

    private static final Map<String, Integer> TYPES = new LinkedHashMap<>();
    private static final Map<String, Integer> APP_SUBTYPES = new LinkedHashMap<>();
    private static final Map<String, Integer> DATA_SUBTYPES = new LinkedHashMap<>();

    static {
        TYPES.put("app", APP);
        TYPES.put("data", DATA);
        APP_SUBTYPES.put("factory", APP_FACTORY);
        for (int i = 0; i <= APP_OTA_MAX - APP_OTA_MIN; i++) {
            APP_SUBTYPES.put("ota_" + i, APP_OTA_MIN + i);
        }
        APP_SUBTYPES.put("test", APP_TEST);
        DATA_SUBTYPES.put("ota", DATA_OTA);
        DATA_SUBTYPES.put("phy", DATA_PHY);
        DATA_SUBTYPES.put("nvs", DATA_NVS);
        DATA_SUBTYPES.put("coredump", DATA_COREDUMP);
        DATA_SUBTYPES.put("nvs_keys", DATA_NVS_KEYS);
        DATA_SUBTYPES.put("efuse", DATA_EFUSE);
        DATA_SUBTYPES.put("undefined", DATA_UNDEFINED);
        DATA_SUBTYPES.put("esphttpd", DATA_ESPHTTPD);
        DATA_SUBTYPES.put("fat", DATA_FAT);
        DATA_SUBTYPES.put("spiffs", DATA_SPIFFS);
        DATA_SUBTYPES.put("littlefs", DATA_LITTLEFS);
    }

    private PartitionTypes() {
    }

    /** {@code app}, {@code data}, or the number in decimal (gen_esp32part's CSV spelling). */
    public static String typeName(int type) {
        return nameOf(TYPES, type);
    }

    /** {@code ota_1}, {@code nvs}, ... or the number in decimal when the type has no such name. */
    public static String subtypeName(int type, int subtype) {
        return nameOf(subtypes(type), subtype);
    }

    public static Optional<Integer> typeByName(String name) {
        return Optional.ofNullable(TYPES.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    public static Optional<Integer> subtypeByName(int type, String name) {
        return Optional.ofNullable(subtypes(type).get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    private static Map<String, Integer> subtypes(int type) {
        return type == APP ? APP_SUBTYPES : type == DATA ? DATA_SUBTYPES : Map.of();
    }

    private static String nameOf(Map<String, Integer> names, int value) {
        for (Map.Entry<String, Integer> e : names.entrySet()) {
            if (e.getValue() == value) {
                return e.getKey();
            }
        }
        return Integer.toString(value);
    }
}
