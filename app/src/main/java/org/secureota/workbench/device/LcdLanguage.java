package org.secureota.workbench.device;

import java.util.Locale;

/**
 * The language of a device's LCD texts: the factory data's {@code lcd_lang} field (tag 8), which the
 * firmware reads at start (docs/telemetry.md, "LCD texts"). A device without it speaks French.
 */
public enum LcdLanguage {
    FR("fr"),
    EN("en");

    private final String code;

    LcdLanguage(String code) {
        this.code = code;
    }

    /** {@code fr} or {@code en}, as the factory data stores it. */
    public String code() {
        return code;
    }

    /** Parses {@code fr} or {@code en}; anything else is refused with a message naming both. */
    public static LcdLanguage of(String code) {
        for (LcdLanguage l : values()) {
            if (l.code.equals(code)) {
                return l;
            }
        }
        throw new IllegalArgumentException("lcd_lang '" + code + "' is not a language of the firmware's LCD texts;"
                + " use fr or en");
    }

    /** French for a French locale, English for every other: the LCD follows the window's language. */
    public static LcdLanguage forLocale(Locale locale) {
        return locale.getLanguage().equals(Locale.FRENCH.getLanguage()) ? FR : EN;
    }
}
