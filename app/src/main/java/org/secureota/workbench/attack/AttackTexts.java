package org.secureota.workbench.attack;

import java.util.Locale;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.ResourceBundle;

/** The attacks' titles and explanations, from {@code resources/i18n/attacks*.properties} (English, French). */
public final class AttackTexts {

    public static final String BUNDLE = "i18n.attacks";

    private AttackTexts() {
    }

    public static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale);
    }

    static String title(String id, Locale locale) {
        return text(id + ".title", locale);
    }

    static String explanation(String id, Locale locale) {
        return text(id + ".explanation", locale);
    }

    /**
     * For an attack the device can only survive (it fails safe, the update is still denied), the sentence
     * that names this as an attack on availability and says what an operator sees; empty for the others.
     */
    public static Optional<String> availability(String id, Locale locale) {
        ResourceBundle b = bundle(locale);
        String key = id + ".availability";
        return b.containsKey(key) ? Optional.of(b.getString(key)) : Optional.empty();
    }

    /** The help of one parameter: the attack's own text, or the shared one (product, version). */
    static String parameter(String id, String parameter, Locale locale) {
        ResourceBundle b = bundle(locale);
        String own = id + ".param." + parameter;
        return b.containsKey(own) ? b.getString(own) : text("param." + parameter, locale);
    }

    /** A label shared by every attack (e.g. {@code surface.network}, {@code result.resisted}). */
    public static String label(String key, Locale locale) {
        return text(key, locale);
    }

    private static String text(String key, Locale locale) {
        try {
            return bundle(locale).getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("the attacks bundle has no text '" + key + "' for " + locale, e);
        }
    }
}
