package org.hakgen.bench;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** How long the benchmark commands measure: {@code --full}, the hidden {@code --smoke}, else quick (a picocli mixin). */
public final class EffortOptions {
    /** For the tests: one fork of 1+2 iterations; not for figures. */
    @Option(names = "--smoke", hidden = true)
    boolean smoke;

    @Option(names = "--full", description = "publication-grade measurement (5 forks × 5+10 iterations of 2 s); "
            + "the default quick mode is 2 forks × 3+4 iterations of 1 s")
    boolean full;

    @Option(names = "--forks", paramLabel = "N", converter = Forks.class, description = "JMH forks per trial, 1 to 50, "
            + "in place of the mode's (quick: 2, full: 5); more forks narrow the error where forks disagree, e.g. "
            + "replays of threaded traces")
    Integer forks;

    /** Reads {@code --forks}: a whole number from 1 to 50. */
    static final class Forks implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                n = 0;
            }
            if (n < 1 || n > 50) {
                throw new TypeConversionException("'" + value + "' is not valid; valid: 1 to 50");
            }
            return n;
        }
    }

    /** The effort the options ask for. */
    JmhRun.Effort effort() {
        JmhRun.Effort e = smoke ? JmhRun.Effort.SMOKE : full ? JmhRun.Effort.FULL : JmhRun.Effort.QUICK;
        if (forks == null) {
            return e;
        }
        return new JmhRun.Effort(e.name(), forks, e.warmups(), e.measurements(), e.seconds());
    }
}
