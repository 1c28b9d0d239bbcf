package org.hakgen.bench;

import picocli.CommandLine.Option;

/** How long the benchmark commands measure: {@code --full}, the hidden {@code --smoke}, else quick (a picocli mixin). */
public final class EffortOptions {
    /** For the tests: one fork of 1+2 iterations; not for figures. */
    @Option(names = "--smoke", hidden = true)
    boolean smoke;

    @Option(names = "--full", description = "publication-grade measurement (5 forks × 5+10 iterations of 2 s); "
            + "the default quick mode is 2 forks × 3+4 iterations of 1 s")
    boolean full;

    /** The effort the options ask for. */
    JmhRun.Effort effort() {
        return smoke ? JmhRun.Effort.SMOKE : full ? JmhRun.Effort.FULL : JmhRun.Effort.QUICK;
    }
}
