package org.hakgen.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.hakgen.generator.Profiles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replays a real allocation trace ({@link Trace}) with its threads as threads ({@link Replayer}): one op
 * is the whole trace, every event run against the build (each allocation written into) and every block
 * freed at the end. The main job divides the time by the trace's events, so reports show ns per event.
 *
 * <p>Footprint: the profiler's {@code peak} is the build's high-water mark (for builds without one, the
 * most sampled, once per replay at the trace's peak of live bytes); {@code trimmed} is what the build
 * still holds after the last replay's frees, its workers' end and the build's trim.
 *
 * <p>{@code trace} is a file, or a name in the shared traces folder ({@code -Dhakgen.traces}, else
 * {@code ../shared/traces} beside the repository): {@code sqlite} means {@code sqlite.mtrace.gz}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 3, jvmArgsAppend = {Bench.NATIVE, Bench.UNSAFE, Bench.OPEN_NIO, Bench.OPEN_MISC, Bench.NETTY_REFLECTION,
        Bench.NETTY_NO_LEAK_DETECTION, Bench.HEAP_MIN, Bench.HEAP_MAX})
public class ReplayBenchmark {
    @Param({"generic", "malloc"})
    public String build;

    @Param({"allocator"})
    public String api;

    @Param({"sqlite"})
    public String trace;

    private Build b;
    private Replayer replayer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Trace t = Trace.read(Profiles.resolveTrace(trace));
        b = Builds.open(build);
        FootprintProfiler.measure(b);
        replayer = new Replayer(t, b, Build.Api.of(api));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        FootprintProfiler.closing(b);
        replayer.close();
        b.trim();
        FootprintProfiler.trimmed(b.footprint().mapped());
        b.close();
    }

    @Benchmark
    public void op() {
        replayer.replay();
    }
}
