package org.secureota.workbench.scenario;

import java.util.Objects;

/** A text in English and French: a script's title, summary and every narration. */
public record LocalizedText(String en, String fr) {

    public LocalizedText {
        Objects.requireNonNull(en, "en");
        Objects.requireNonNull(fr, "fr");
    }

    public String in(Language language) {
        return language == Language.FR ? fr : en;
    }

    /** Replaces {@code {name}} placeholders (the power-cut sweep counts its cuts this way). */
    public LocalizedText with(String name, Object value) {
        String key = "{" + name + "}";
        return new LocalizedText(en.replace(key, String.valueOf(value)), fr.replace(key, String.valueOf(value)));
    }
}
