package org.hakgen.bench;

import java.util.Collection;
import java.util.List;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Adds each build's footprint to its JMH result, read off the hot path after every iteration:
 * {@code ·mapped} (bytes held from the OS at iteration ends, averaged) and {@code ·peak} (the most at
 * any time when the allocator keeps a high-water mark, else the most seen at iteration ends) and, for
 * benchmarks that trim at their end, {@code ·trimmed} (what the build still held after it). Enable
 * with {@code -prof org.hakgen.bench.FootprintProfiler}; the main job always does.
 */
public final class FootprintProfiler implements InternalProfiler {
    /** The build of the benchmark now running in this JVM; set by its set-up. */
    private static volatile Build current;

    /** The footprint read just before the trial's tear-down freed everything. */
    private static volatile Build.Footprint last;

    /** What the build held after the trial's frees and its trim, or -1 when the benchmark does not trim. */
    private static volatile long trimmed = -1;

    /** Called by each benchmark's trial set-up. */
    static void measure(Build build) {
        last = null;
        trimmed = -1;
        current = build;
    }

    /**
     * Called by each benchmark's trial tear-down before it frees anything: JMH tears the trial down
     * before the last iteration's {@link #afterIteration}, which then reports this reading.
     */
    static void closing(Build build) {
        if (current == build) {
            last = build.footprint();
            current = null;
        }
    }

    /** Called by a trial tear-down that freed everything and trimmed the build: what it still holds. */
    static void trimmed(long bytes) {
        trimmed = bytes;
    }

    @Override
    public String getDescription() {
        return "bytes each build holds from the OS (hakgen's stats, mallinfo2, mi_process_info, stats.mapped, Netty's metric)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        Build b = current;
        Build.Footprint f = b != null ? b.footprint() : last;
        if (f == null) {
            return List.of();
        }
        List<Result> results = new java.util.ArrayList<>(List.of(new ScalarResult("mapped", f.mapped(), "B", AggregationPolicy.AVG),
                new ScalarResult(f.exactPeak() ? "peak" : "peak-sampled", f.peak(), "B", AggregationPolicy.MAX)));
        if (b == null && trimmed >= 0) {
            results.add(new ScalarResult("trimmed", trimmed, "B", AggregationPolicy.MAX));
        }
        return results;
    }
}
