package org.secureota.workbench.attack;

import java.util.List;
import java.util.Objects;

/**
 * One parameter of an attack: its name, its kind, its default and the values it accepts. Its help text
 * is in the attacks bundle, under {@code <attack id>.param.<name>}.
 *
 * @param name         as typed on the console: {@code offset=100}
 * @param kind         what values it takes
 * @param defaultValue used when the parameter is not given
 * @param choices      the accepted values of a {@link Kind#CHOICE}; empty otherwise
 * @param min          the smallest accepted {@link Kind#INTEGER}
 */
public record ParameterSpec(String name, Kind kind, String defaultValue, List<String> choices, long min) {

    public enum Kind { INTEGER, CHOICE, TEXT }

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(defaultValue, "defaultValue");
        choices = List.copyOf(choices);
    }

    static ParameterSpec integer(String name, long defaultValue, long min) {
        return new ParameterSpec(name, Kind.INTEGER, Long.toString(defaultValue), List.of(), min);
    }

    /** An integer that may also be given as one keyword (e.g. {@code offset=random}). */
    static ParameterSpec integerOr(String name, String keyword, long min) {
        return new ParameterSpec(name, Kind.INTEGER, keyword, List.of(keyword), min);
    }

    static ParameterSpec choice(String name, String defaultValue, String... choices) {
        return new ParameterSpec(name, Kind.CHOICE, defaultValue, List.of(choices), 0);
    }

    static ParameterSpec text(String name, String defaultValue) {
        return new ParameterSpec(name, Kind.TEXT, defaultValue, List.of(), 0);
    }

    /** Checks one given value; the message names the attack, the parameter and what it accepts. */
    String validate(String attackId, String value) {
        if (value == null || value.isBlank()) {
            throw new AttackException(attackId + ": parameter '" + name + "' is empty; " + accepts());
        }
        switch (kind) {
            case INTEGER -> {
                if (choices.contains(value)) {
                    return value;
                }
                long n;
                try {
                    n = Long.parseLong(value.strip());
                } catch (NumberFormatException e) {
                    throw new AttackException(attackId + ": parameter '" + name + "' is '" + value + "', not a number; "
                            + accepts());
                }
                if (n < min) {
                    throw new AttackException(attackId + ": parameter '" + name + "' is " + n + "; " + accepts());
                }
                return Long.toString(n);
            }
            case CHOICE -> {
                if (!choices.contains(value)) {
                    throw new AttackException(attackId + ": parameter '" + name + "' is '" + value + "'; " + accepts());
                }
                return value;
            }
            default -> {
                return value.strip();
            }
        }
    }

    /** "it takes a whole number of at least 1 (default 4096)". */
    public String accepts() {
        return switch (kind) {
            case INTEGER -> "it takes a whole number of at least " + min
                    + (choices.isEmpty() ? "" : " or '" + String.join("', '", choices) + "'")
                    + " (default " + defaultValue + ")";
            case CHOICE -> "it takes one of " + String.join(", ", choices) + " (default " + defaultValue + ")";
            case TEXT -> "it takes a text (default " + defaultValue + ")";
        };
    }
}
