package org.hakgen.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

/**
 * The machine, not an allocator: one cache line handed back and forth between two threads, so one op
 * of either thread is a round trip of the line, to the other core and back. Larson's ops each pay such
 * transfers (the shared slot's exchange, the state byte of a block the other thread allocated), in
 * every build and peer alike, so where this moves between forks, Larson moves with it. Run it beside a
 * Larson run to tell the machine's state from the allocator's.
 *
 * <p>Each thread waits for its turn with a compare-and-set; {@link Control#stopMeasurement} lets the
 * waiting one leave when the iteration ends and its partner no longer answers.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 6, jvmArgsAppend = {Bench.HEAP_MIN, Bench.HEAP_MAX})
public class CoreToCoreBenchmark {
    private final AtomicBoolean turn = new AtomicBoolean();

    @Benchmark
    @Group("handOff")
    public void ping(Control control) {
        while (!turn.compareAndSet(false, true) && !control.stopMeasurement) {
            Thread.onSpinWait();
        }
    }

    @Benchmark
    @Group("handOff")
    public void pong(Control control) {
        while (!turn.compareAndSet(true, false) && !control.stopMeasurement) {
            Thread.onSpinWait();
        }
    }
}
