package org.hakgen.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
 * Replays a real allocation trace ({@link Trace}), one event per op: malloc, free or realloc of the
 * event's block, each allocation written into. At the trace's end every block still live is freed and
 * the trace starts over. The events of all the trace's threads run on one thread, in trace order
 * (replaying them as threads is the trace issue's work).
 *
 * <p>{@code trace} is a file, or a name in the shared traces folder ({@code -Dhakgen.traces}, else
 * {@code ../shared/traces} beside the repository): {@code sqlite} means {@code sqlite.mtrace.gz}.
 */
@State(Scope.Thread)
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
    private Subject subject;
    private long[] ops;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Trace t = Trace.read(resolve(trace));
        ops = t.ops();
        b = Builds.open(build);
        FootprintProfiler.measure(b);
        subject = b.subject(Build.Api.of(api), Math.max(1, t.slotCount()));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        FootprintProfiler.closing(b);
        subject.freeAll();
        b.close();
    }

    @Benchmark
    public void op() {
        int i = next;
        if (i == ops.length) {
            subject.freeAll();
            i = 0;
        }
        long e = ops[i];
        next = i + 1;
        switch (Trace.op(e)) {
            case Trace.ALLOC -> subject.alloc(Trace.slot(e), Trace.size(e));
            case Trace.FREE -> subject.free(Trace.slot(e));
            default -> subject.realloc(Trace.slot(e), Trace.size(e));
        }
    }

    /** A trace file, or the name of one in the shared traces folder. */
    public static Path resolve(String trace) {
        Path file = Path.of(trace);
        if (Files.isRegularFile(file)) {
            return file;
        }
        String home = System.getProperty("hakgen.home", ".");
        Path folder = Path.of(System.getProperty("hakgen.traces", home + "/../shared/traces"));
        Path named = folder.resolve(trace + ".mtrace.gz");
        if (Files.isRegularFile(named)) {
            return named;
        }
        throw new IllegalArgumentException("no trace '" + trace + "': neither a file nor " + named
                + "; valid: a trace file, or a name in " + folder + " (set -Dhakgen.traces=DIR)");
    }
}
