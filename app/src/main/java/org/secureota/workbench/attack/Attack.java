package org.secureota.workbench.attack;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One attack of the catalogue, as a value: its id, where it acts, its parameters with defaults, the outcome
 * a secure device must show, and the act itself, which returns its {@link Undo}. Titles and explanations
 * (English and French) are in the {@code i18n.attacks} bundle.
 */
public final class Attack {

    /** Performs the attack on the target and returns how to undo it. */
    @FunctionalInterface
    interface Act {
        ArmedChange arm(AttackTarget target, AttackParameters parameters) throws Exception;
    }

    /**
     * What arming changed: a sentence for the journal and the console, and the undo. {@code stolen} is set
     * by an attack judged by what it took rather than by a device's attempt (the image thief); else null.
     */
    record ArmedChange(String description, Undo undo, StolenImage stolen) {
        ArmedChange(String description, Undo undo) {
            this(description, undo, null);
        }
    }

    private final String id;
    private final AttackSurface surface;
    private final List<ParameterSpec> parameters;
    private final Function<AttackParameters, ExpectedOutcome> expected;
    private final Act act;

    Attack(String id, AttackSurface surface, List<ParameterSpec> parameters,
           Function<AttackParameters, ExpectedOutcome> expected, Act act) {
        this.id = Objects.requireNonNull(id, "id");
        this.surface = Objects.requireNonNull(surface, "surface");
        this.parameters = List.copyOf(parameters);
        this.expected = Objects.requireNonNull(expected, "expected");
        this.act = Objects.requireNonNull(act, "act");
    }

    public String id() {
        return id;
    }

    public AttackSurface surface() {
        return surface;
    }

    public List<ParameterSpec> parameters() {
        return parameters;
    }

    /** Validates parameters given by name; unknown names and bad values are refused by name. */
    public AttackParameters resolve(Map<String, String> given) {
        return AttackParameters.resolve(id, parameters, given);
    }

    /** The parameters' defaults. */
    public AttackParameters defaults() {
        return resolve(Map.of());
    }

    /** The outcome a secure device must show with these parameters. */
    public ExpectedOutcome expected(AttackParameters p) {
        return expected.apply(p);
    }

    public String title(Locale locale) {
        return AttackTexts.title(id, locale);
    }

    public String explanation(Locale locale) {
        return AttackTexts.explanation(id, locale);
    }

    public String parameterHelp(String parameter, Locale locale) {
        return AttackTexts.parameter(id, parameter, locale);
    }

    ArmedChange act(AttackTarget target, AttackParameters p) throws Exception {
        return act.arm(target, p);
    }

    @Override
    public String toString() {
        return id;
    }
}
