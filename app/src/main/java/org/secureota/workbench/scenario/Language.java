package org.secureota.workbench.scenario;

import java.util.Locale;

/** The two languages every script's narration is written in. */
public enum Language {
    EN, FR;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code en} or {@code fr}; anything else is refused with the accepted values. */
    public static Language fromCode(String code) {
        for (Language l : values()) {
            if (l.code().equalsIgnoreCase(code)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown language '" + code + "': use en or fr");
    }
}
