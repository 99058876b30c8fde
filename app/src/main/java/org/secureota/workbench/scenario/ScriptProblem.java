package org.secureota.workbench.scenario;

/** One thing wrong with a script: where, and what was expected there. */
public record ScriptProblem(ScriptPosition position, String message) {

    @Override
    public String toString() {
        return position + ": " + message;
    }
}
