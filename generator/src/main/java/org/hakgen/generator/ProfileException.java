package org.hakgen.generator;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A profile that cannot be used, with every problem found in it. Each problem names the file, line and
 * column, the field, the bad value and what would be valid.
 */
public final class ProfileException extends Exception {
    private static final long serialVersionUID = 1L;

    /** One problem: {@code file:line:column: field: message}. */
    public record Problem(String file, int line, int column, String field, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column + ": " + field + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    public ProfileException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
