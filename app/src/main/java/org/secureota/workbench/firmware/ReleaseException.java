package org.secureota.workbench.firmware;

import java.util.List;

/**
 * A publish was refused: bad product name, bad image, a version already published, or a store that
 * cannot be written. The message says what to do; {@link #problems()} lists an image's validation
 * problems when that was the reason.
 */
public class ReleaseException extends RuntimeException {

    private final List<ImageProblem> problems;

    public ReleaseException(String message) {
        this(message, List.of(), null);
    }

    public ReleaseException(String message, List<ImageProblem> problems, Throwable cause) {
        super(message, cause);
        this.problems = List.copyOf(problems);
    }

    public List<ImageProblem> problems() {
        return problems;
    }
}
