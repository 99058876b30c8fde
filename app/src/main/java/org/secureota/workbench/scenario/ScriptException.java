package org.secureota.workbench.scenario;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A script refused before anything ran. Lists every problem found, not only the first, so an author
 * fixes a script in one round.
 */
public final class ScriptException extends Exception {

    private final List<ScriptProblem> problems;

    public ScriptException(List<ScriptProblem> problems) {
        super(problems.stream().map(ScriptProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ScriptProblem> problems() {
        return problems;
    }
}
