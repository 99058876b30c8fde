package org.secureota.workbench.scenario;

/**
 * One expectation as last evaluated: what it wanted, what the lab showed, and whether that held.
 *
 * @param description the expectation in words ({@code esp32-lab-01 runs version 2.0.0})
 * @param expected    the value wanted ({@code 2.0.0}, {@code >= 1})
 * @param seen        the value read from the journal or the device model ({@code 1.0.0}, {@code 0})
 * @param expectation what was evaluated, for a view that says it in another language; null when unknown
 */
public record ExpectationResult(String description, String expected, String seen, boolean held,
                                ScriptPosition position, Expectation expectation) {

    /** A result known only by its words (a report read back, a test). */
    public ExpectationResult(String description, String expected, String seen, boolean held, ScriptPosition position) {
        this(description, expected, seen, held, position, null);
    }
}
