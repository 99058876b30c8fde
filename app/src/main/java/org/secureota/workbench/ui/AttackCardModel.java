package org.secureota.workbench.ui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.secureota.workbench.attack.Attack;
import org.secureota.workbench.attack.AttackTexts;
import org.secureota.workbench.attack.ExpectedOutcome;
import org.secureota.workbench.attack.Judgement;
import org.secureota.workbench.attack.JudgementResult;
import org.secureota.workbench.attack.ParameterSpec;

/**
 * One attack's toggle in the attacker panel: its texts in the current language, its parameters,
 * whether it is armed, what a secure device must show, and how the last device fared.
 */
public final class AttackCardModel {

    private final Attack attack;
    private final I18n i18n;
    private final Map<String, StringProperty> parameters = new LinkedHashMap<>();
    private final BooleanProperty armed = new SimpleBooleanProperty(this, "armed");
    private final BooleanProperty available = new SimpleBooleanProperty(this, "available");
    private final ObjectProperty<Judgement> judgement = new SimpleObjectProperty<>(this, "judgement");
    /** The releases a store attack alters now, e.g. "shop-display 3.0.0" (empty when none): it follows deployments. */
    private final StringProperty attacking = new SimpleStringProperty(this, "attacking", "");
    private final StringBinding title;
    private final StringBinding explanation;
    private final StringBinding expected;
    private final StringBinding outcome;
    private final StringBinding armLabel;
    private final StringBinding attackingText;
    private final StringBinding outcomeStyle;
    /** Whether the card matches the attacker panel's search (set by {@link AttackerViewModel}). */
    private final BooleanProperty shown = new SimpleBooleanProperty(this, "shown", true);
    private final List<AttackParameterModel> parameterModels = new java.util.ArrayList<>();

    AttackCardModel(Attack attack, I18n i18n) {
        this.attack = attack;
        this.i18n = i18n;
        for (ParameterSpec p : attack.parameters()) {
            parameters.put(p.name(), new SimpleStringProperty(this, p.name(), p.defaultValue() == null ? "" : p.defaultValue()));
        }
        title = i18n.bind(() -> attack.title(i18n.getLocale()));
        explanation = i18n.bind(() -> attack.explanation(i18n.getLocale()));
        expected = i18n.bind(this::expectedText);
        outcome = i18n.bind(this::outcomeText, judgement);
        armLabel = i18n.bind(() -> i18n.get(armed.get() ? "attacker.armed" : "attacker.arm"), armed);
        attackingText = i18n.bind(() -> attacking.get().isEmpty() ? "" : i18n.get("attacker.attacking", attacking.get()), attacking);
        outcomeStyle = javafx.beans.binding.Bindings.createStringBinding(() -> outcomeStyle(judgement.get()), judgement);
        parameters.forEach((name, value) -> parameterModels.add(new AttackParameterModel(this, name, value, i18n)));
        // A judgement speaks about an armed attack: disarmed, the card (and the device's banner) forget it.
        armed.addListener((o, was, now) -> {
            if (!now) {
                judgement.set(null);
            }
        });
    }

    /**
     * The outcome's style class: red only for an attack that got through; no attempt yet is not a failure;
     * empty without a judgement.
     */
    static String outcomeStyle(Judgement j) {
        if (j == null) {
            return "";
        }
        return switch (j.result()) {
            case RESISTED -> "resisted";
            case NOT_RESISTED -> "not-resisted";
            case NO_ATTEMPT -> "no-attempt";
        };
    }

    /** The card's title (in the current language) or id contains every word of {@code query}, case aside. */
    public boolean matches(String query) {
        if (query == null || query.isBlank()) {
            return true;
        }
        String text = (title.get() + " " + id()).toLowerCase(Locale.ROOT);
        for (String word : query.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
            if (!text.contains(word)) {
                return false;
            }
        }
        return true;
    }

    private String expectedText() {
        ExpectedOutcome e;
        try {
            e = attack.expected(attack.resolve(values()));
        } catch (RuntimeException bad) {
            e = attack.expected(attack.defaults());
        }
        return i18n.get("attacker.expected", String.join(" / ", new TreeSet<>(e.verdicts())), check(e.stoppedBy().wireName()))
                + (e.needsRestart() ? "\n" + i18n.get("attacker.needsRestart") : "");
    }

    private String outcomeText() {
        Judgement j = judgement.get();
        if (j == null) {
            return "";
        }
        Locale l = i18n.getLocale();
        String result = AttackTexts.label("result." + j.result().wireName(), l);
        String verdict = j.verdict() == null ? "—" : j.verdict();
        String stoppedBy = check(attack.expected(attack.defaults()).stoppedBy().wireName());
        if (j.verdict() == null && j.result() != JudgementResult.NO_ATTEMPT) {
            // An attack judged by what it took (the image thief), not by a device's attempt.
            return i18n.get("attacker.outcome.copy", result, String.join("; ", j.reasons()));
        }
        return switch (j.result()) {
            // Stopped where the catalogue says: its check, named in the current language; otherwise (survived a
            // cut, or refused at another check) the attacker's own reason says what happened.
            case RESISTED -> (j.expected().contains(verdict) && !"UPDATED".equals(verdict)
                    ? i18n.get("attacker.outcome.resisted", j.deviceId(), result, verdict, stoppedBy,
                    j.versionAfter() == null ? "?" : j.versionAfter())
                    : i18n.get("attacker.outcome.resistedOther", j.deviceId(), result, why(j)))
                    // Surviving is not winning: a denied update is named as such.
                    + AttackTexts.availability(attack.id(), l).filter(a -> !"UPDATED".equals(j.verdict()))
                            .map(a -> "\n" + a).orElse("");
            case NOT_RESISTED -> i18n.get("attacker.outcome.notResisted", j.deviceId(), result, verdict,
                    reasons(j));
            case NO_ATTEMPT -> i18n.get("attacker.outcome.noAttempt", j.deviceId(), result, why(j));
        };
    }

    private String why(Judgement j) {
        return JudgementEvidence.why(i18n, j);
    }

    private String reasons(Judgement j) {
        return JudgementEvidence.evidence(i18n, j);
    }

    private String check(String wireName) {
        String key = "check." + wireName;
        return i18n.has(key) ? i18n.get(key) : wireName;
    }

    public Attack attack() {
        return attack;
    }

    public String id() {
        return attack.id();
    }

    /** The parameter values as typed (by name). */
    public Map<String, String> values() {
        Map<String, String> v = new LinkedHashMap<>();
        parameters.forEach((k, p) -> {
            if (p.get() != null && !p.get().isBlank()) {
                v.put(k, p.get().trim());
            }
        });
        return v;
    }

    public Map<String, StringProperty> parameters() {
        return parameters;
    }

    /** A parameter's name in the current language (scripts and the CLI keep the wire name, in the tooltip). */
    public String parameterLabel(String name) {
        java.util.ResourceBundle b = AttackTexts.bundle(i18n.getLocale());
        String own = attack.id() + ".name." + name;
        return b.containsKey(own) ? b.getString(own) : b.containsKey("name." + name) ? b.getString("name." + name) : name;
    }

    /** A parameter value as shown: a keyword (once, every, fixed, random) in the current language. */
    public String displayValue(String wire) {
        java.util.ResourceBundle b = AttackTexts.bundle(i18n.getLocale());
        return wire != null && b.containsKey("value." + wire) ? b.getString("value." + wire) : wire;
    }

    /** The value the attack gets for what was typed: a keyword in either language, else the text as typed. */
    public String wireValue(String typed) {
        if (typed == null) {
            return "";
        }
        String t = typed.trim();
        for (Locale l : I18n.LOCALES) {
            java.util.ResourceBundle b = AttackTexts.bundle(l);
            for (String key : b.keySet()) {
                if (key.startsWith("value.") && b.getString(key).equalsIgnoreCase(t)) {
                    return key.substring("value.".length());
                }
            }
        }
        return typed;
    }

    public String parameterHelp(String name) {
        return attack.parameterHelp(name, i18n.getLocale());
    }

    /** Whether the attack can reach the devices of this lab. */
    public BooleanProperty availableProperty() {
        return available;
    }

    public BooleanProperty armedProperty() {
        return armed;
    }

    public ObjectProperty<Judgement> judgementProperty() {
        return judgement;
    }

    public StringProperty attackingProperty() {
        return attacking;
    }

    public StringBinding titleProperty() {
        return title;
    }

    public StringBinding explanationProperty() {
        return explanation;
    }

    public StringBinding expectedProperty() {
        return expected;
    }

    public StringBinding outcomeProperty() {
        return outcome;
    }

    /** The toggle's text: Arm, or Armed while the attacker says it is armed. */
    public StringBinding armLabelProperty() {
        return armLabel;
    }

    /** "Attacks shop-display 3.0.0" while a store attack alters releases; empty otherwise. */
    public StringBinding attackingTextProperty() {
        return attackingText;
    }

    /** The style class of the outcome line ({@link #outcomeStyle(Judgement)}). */
    public StringBinding outcomeStyleProperty() {
        return outcomeStyle;
    }

    /** Whether the card matches the panel's search. */
    public javafx.beans.property.ReadOnlyBooleanProperty shownProperty() {
        return shown;
    }

    void setShown(boolean value) {
        shown.set(value);
    }

    /** The parameters as the card's fields show them, in catalogue order. */
    public List<AttackParameterModel> parameterModels() {
        return parameterModels;
    }
}
