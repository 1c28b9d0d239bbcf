package org.hakgen.bench;

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
 * The randomMixed workload. hakmem's bench_random_mixed: a random slot of 256, sizes uniform in 16-1040 B. One op is one free plus one
 * malloc plus a write into the new block.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 3, jvmArgsAppend = {Bench.NATIVE, Bench.UNSAFE, Bench.OPEN_NIO, Bench.OPEN_MISC, Bench.NETTY_REFLECTION,
        Bench.NETTY_NO_LEAK_DETECTION, Bench.HEAP_MIN, Bench.HEAP_MAX})
public class RandomMixedBenchmark {
    /** The build under test (see {@link Builds}). */
    @Param({"generic", "random-mixed", "malloc", "netty-pooled", "netty-adaptive", "arena"})
    public String build;

    /** {@code allocator} (the thread's caches found on every call) or {@code heap} (held by the loop). */
    @Param({"allocator"})
    public String api;

    @Param({"16"})
    public long min;

    @Param({"1040"})
    public long max;

    @Param({"256"})
    public int workset;

    private SlotLoop loop;
    private Subject subject;
    private int[] slots;
    private long[] sizes;
    private int step, mask;

    @Setup(Level.Trial)
    public void setUp() {
        loop = new SlotLoop(build, api, Workload.uniform(min, max, workset), workset);
        subject = loop.subject;
        slots = loop.slots;
        sizes = loop.sizes;
        mask = loop.mask;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.close();
    }

    @Benchmark
    public void op() {
        int i = step++ & mask;
        subject.replace(slots[i], sizes[i]);
    }
}
