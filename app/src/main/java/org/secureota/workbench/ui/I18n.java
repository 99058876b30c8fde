package org.secureota.workbench.ui;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;

/**
 * The UI's texts in English and French, switchable while the window is open: every label binds to
 * {@link #text}, which follows {@link #localeProperty()}. The bundles live in
 * {@code resources/org/secureota/workbench/ui/messages*.properties}.
 */
public final class I18n {

    public static final List<Locale> LOCALES = List.of(Locale.ENGLISH, Locale.FRENCH);
    static final String BUNDLE = "org.secureota.workbench.ui.messages";

    private final ObjectProperty<Locale> locale = new SimpleObjectProperty<>(this, "locale");
    private final ObjectProperty<ResourceBundle> bundle = new SimpleObjectProperty<>(this, "bundle");

    public I18n(Locale initial) {
        locale.addListener((o, a, b) -> bundle.set(load(b)));
        locale.set(supported(initial));
    }

    /** The supported locale closest to {@code wanted}: French for any French, else English. */
    public static Locale supported(Locale wanted) {
        return wanted != null && wanted.getLanguage().equals(Locale.FRENCH.getLanguage()) ? Locale.FRENCH : Locale.ENGLISH;
    }

    static ResourceBundle load(Locale locale) {
        return ResourceBundle.getBundle(BUNDLE, locale, ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public ObjectProperty<Locale> localeProperty() {
        return locale;
    }

    public Locale getLocale() {
        return locale.get();
    }

    public void setLocale(Locale value) {
        locale.set(supported(value));
    }

    public ResourceBundle bundle() {
        return bundle.get();
    }

    /** The text of {@code key} now, with {@code args} formatted in ({@link MessageFormat}). */
    public String get(String key, Object... args) {
        String pattern;
        try {
            pattern = bundle.get().getString(key);
        } catch (MissingResourceException e) {
            return "!" + key + "!";
        }
        return args.length == 0 ? pattern : new MessageFormat(pattern, getLocale()).format(args);
    }

    public boolean has(String key) {
        return bundle.get().containsKey(key);
    }

    /** The text of {@code key}, following language changes. */
    public StringBinding text(String key, Object... args) {
        return Bindings.createStringBinding(() -> get(key, args), bundle);
    }

    /** A text computed from the bundle and other observables, recomputed when any of them changes. */
    public StringBinding bind(java.util.concurrent.Callable<String> text, ObservableValue<?>... also) {
        // The locale too: a text made from getLocale() alone (an attack's title) must follow a switch even when
        // nothing read the bundle since the last one (an unread property does not signal its next change).
        ObservableValue<?>[] deps = new ObservableValue<?>[also.length + 2];
        deps[0] = bundle;
        deps[1] = locale;
        System.arraycopy(also, 0, deps, 2, also.length);
        return Bindings.createStringBinding(text, deps);
    }

    public ObjectProperty<ResourceBundle> bundleProperty() {
        return bundle;
    }
}
