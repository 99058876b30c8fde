package org.secureota.workbench.attack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** An attack's parameters after validation: every parameter has a value, given or default. */
public record AttackParameters(Map<String, String> values) {

    public AttackParameters {
        values = Map.copyOf(values);
    }

    /**
     * Validates {@code given} against {@code specs}: an unknown name or a bad value is refused with a message
     * that names it; missing parameters take their defaults.
     */
    static AttackParameters resolve(String attackId, List<ParameterSpec> specs, Map<String, String> given) {
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        Set<String> unknown = new TreeSet<>(given.keySet());
        unknown.removeAll(byName.keySet());
        if (!unknown.isEmpty()) {
            throw new AttackException(attackId + " has no parameter " + String.join(", ", unknown) + "; its parameters: "
                    + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (ParameterSpec s : specs) {
            String v = given.get(s.name());
            values.put(s.name(), v == null ? s.defaultValue() : s.validate(attackId, v));
        }
        return new AttackParameters(values);
    }

    public String text(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter '" + name + "'");
        }
        return v;
    }

    public long number(String name) {
        return Long.parseLong(text(name));
    }

    public boolean is(String name, String value) {
        return value.equals(values.get(name));
    }

    /** "offset=random repeat=once", in the order of the specs' names sorted. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        new TreeSet<>(values.keySet()).forEach(k -> s.append(s.isEmpty() ? "" : " ").append(k).append('=')
                .append(values.get(k)));
        return s.toString();
    }
}
