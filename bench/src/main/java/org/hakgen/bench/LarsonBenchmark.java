package org.hakgen.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Larson's server benchmark: N threads share {@code threads × workset} slots; each op allocates
 * 8-1000 B, writes into it, swaps it into a random shared slot and frees the block it displaced, which
 * another thread allocated (N-1)/N of the time. The swap is one atomic exchange, paid by every build
 * alike. The thread count is JMH's {@code -t} (default 2, the cores of these machines).
 *
 * <p>{@link #spread} below 1 keeps that share of ops on the shared slots and the rest on the thread's
 * own, so a block freed from a slot of its own was allocated by the same thread: cross-thread frees are
 * then {@code spread × (N-1)/N} of all frees. It measures where the guard's seal mode starts to pay.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Threads(2)
@Fork(value = 3, jvmArgsAppend = {Bench.NATIVE, Bench.UNSAFE, Bench.OPEN_NIO, Bench.OPEN_MISC, Bench.NETTY_REFLECTION,
        Bench.NETTY_NO_LEAK_DETECTION, Bench.HEAP_MIN, Bench.HEAP_MAX})
public class LarsonBenchmark {
    /** The build under test (see {@link Builds}); {@code arena} has no cross-thread free. */
    @Param({"generic", "larson", "malloc", "netty-pooled", "netty-adaptive"})
    public String build;

    @Param({"allocator"})
    public String api;

    @Param({"8"})
    public long min;

    @Param({"1000"})
    public long max;

    /** Slots per thread. */
    @Param({"1000"})
    public int workset;

    /** Share of ops whose slot is drawn from every thread's slots (Larson: 1); the rest use the thread's own. */
    @Param({"1"})
    public double spread;

    Build shared;
    private final AtomicInteger threadSeeds = new AtomicInteger();
    private int threads;

    @Setup(Level.Trial)
    public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) {
        threads = params.getThreads();
        shared = Builds.open(build);
        shared.shareSlots(threads * workset);
        FootprintProfiler.measure(shared);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        FootprintProfiler.closing(shared);
        shared.freeShared();
        shared.close();
    }

    /** One thread's subject and its own random sequence of shared slots and sizes. */
    @State(Scope.Thread)
    public static class Worker {
        Subject subject;
        int[] slots;
        long[] sizes;
        int step, mask;

        @Setup(Level.Trial)
        public void setUp(LarsonBenchmark b) {
            subject = b.shared.subject(Build.Api.of(b.api), 0);
            int self = b.threadSeeds.incrementAndGet();
            SplittableRandom random = new SplittableRandom(Workload.SEED + self);
            slots = new int[Workload.STEPS];
            sizes = new long[Workload.STEPS];
            for (int i = 0; i < Workload.STEPS; i++) {
                slots[i] = b.spread >= 1 || random.nextDouble() < b.spread ? random.nextInt(b.threads * b.workset)
                        : (self - 1) % b.threads * b.workset + random.nextInt(b.workset);
                sizes[i] = random.nextLong(b.min, b.max + 1);
            }
            mask = Workload.STEPS - 1;
        }
    }

    @Benchmark
    public void op(Worker w) {
        int i = w.step++ & w.mask;
        w.subject.exchange(w.slots[i], w.sizes[i]);
    }
}
