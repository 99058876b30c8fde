package org.secureota.workbench.firmware;

import java.util.List;

/**
 * Input that cannot be read as the format it claims to be (a CSV partition table with a bad line,
 * an image that fails validation when a valid one is required). The message is meant for a person;
 * {@link #problems()} lists every problem found, when there are several.
 */
public class FirmwareFormatException extends RuntimeException {

    private final List<ImageProblem> problems;

    public FirmwareFormatException(String message) {
        this(message, List.of());
    }

    public FirmwareFormatException(String message, List<ImageProblem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public List<ImageProblem> problems() {
        return problems;
    }
}
