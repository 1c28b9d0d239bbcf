package org.hakgen.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.CompilerControl;

/**
 * Replays a {@link Trace} against a build with the trace's threads as threads: program 0 runs on the
 * thread that calls {@link #replay()}, each other program on a worker thread of its own that lives as
 * long as the replayer (so its caches stay warm from one replay to the next, as a program's threads'
 * would). A {@link Trace#WAIT} entry spins, then yields, until the named program has got that far;
 * each program publishes how far it has got after every entry.
 *
 * <p>If a program throws, the others stop at their next wait and {@link #replay()} rethrows.
 */
final class Replayer implements AutoCloseable {
    /** Longs between two threads' progress counters: one per 128 bytes, no false sharing. */
    private static final int PAD = 16;
    private static final VarHandle PROGRESS = MethodHandles.arrayElementVarHandle(long[].class);

    private final Trace trace;
    private final Build build;
    private final Subject[] subjects;
    private final Thread[] workers;
    private final long[] progress;
    private final AtomicInteger finished = new AtomicInteger();
    private volatile int generation;
    private volatile boolean closing;
    private volatile Throwable failure;

    /** Starts the workers; each makes its subject over the same slots on its first replay. */
    Replayer(Trace trace, Build build, Build.Api api) {
        this.trace = trace;
        this.build = build;
        int n = trace.threads();
        this.subjects = new Subject[n];
        this.progress = new long[n * PAD];
        subjects[0] = build.subject(api, Math.max(1, trace.slotCount()));
        workers = new Thread[n];
        for (int t = 1; t < n; t++) {
            int program = t;
            workers[t] = new Thread(() -> work(program), "replay-" + trace.threadIds()[t]);
            workers[t].setDaemon(true);
            workers[t].start();
        }
    }

    /** Runs every program once, concurrently; returns when all have ended. */
    void replay() {
        int n = trace.threads();
        for (int t = 0; t < n; t++) {
            PROGRESS.setRelease(progress, t * PAD, 0L);
        }
        finished.set(0);
        generation++;
        for (int t = 1; t < n; t++) {
            LockSupport.unpark(workers[t]);
        }
        try {
            run(0);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        }
        for (int spins = 0; finished.get() < n - 1; spins++) {
            if (failure != null) {
                break;
            }
            pause(spins);
        }
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("replay failed in a trace thread: " + f, f);
        }
    }

    private void work(int t) {
        int seen = 0;
        while (true) {
            while (generation == seen && !closing) {
                LockSupport.park(this);
            }
            if (closing) {
                return;
            }
            seen = generation;
            try {
                if (subjects[t] == null) {
                    subjects[t] = subjects[0].twin();
                }
                run(t);
            } catch (Throwable e) {
                failure = e;
            }
            finished.incrementAndGet();
        }
    }

    private void run(int t) {
        long[] program = trace.programs()[t];
        Subject s = subjects[t];
        int[] peakAt = trace.peakAt();
        int sampleAt = peakAt[0] == t ? peakAt[1] : -1;
        int at = t * PAD;
        for (int i = 0; i < program.length; i++) {
            long e = program[i];
            switch (Trace.op(e)) {
                case Trace.ALLOC -> alloc(s, Trace.slot(e), Trace.size(e));
                case Trace.FREE -> free(s, Trace.slot(e));
                case Trace.REALLOC -> realloc(s, Trace.slot(e), Trace.size(e));
                case Trace.CALLOC -> calloc(s, Trace.slot(e), Trace.size(e));
                default -> await(Trace.slot(e), Trace.size(e));
            }
            PROGRESS.setRelease(progress, at, (long) i + 1);
            if (i == sampleAt) {
                build.footprint();   // at the trace's peak of live bytes: builds without a high-water mark sample it here
            }
        }
    }

    // Each operation is a call, as a program's are, with the build inlined into it: inlined all into the
    // loop above, a build's malloc, free and realloc overran C2's node budget in some forks and not in
    // others, and the same build measured 8.4 or 11.8 ns per operation by fork.

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static void alloc(Subject s, int slot, long size) {
        s.alloc(slot, size);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static void calloc(Subject s, int slot, long size) {
        s.calloc(slot, size);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static void free(Subject s, int slot) {
        s.free(slot);
    }

    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    static void realloc(Subject s, int slot, long size) {
        s.realloc(slot, size);
    }

    private void await(int program, long entries) {
        int at = program * PAD;
        for (int spins = 0; (long) PROGRESS.getAcquire(progress, at) < entries; spins++) {
            if (failure != null) {
                throw new IllegalStateException("another trace thread failed");
            }
            pause(spins);
        }
    }

    private static void pause(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** Stops the workers; their subjects' blocks were freed by the last replay. */
    @Override
    public void close() {
        closing = true;
        for (int t = 1; t < workers.length; t++) {
            LockSupport.unpark(workers[t]);
        }
        for (int t = 1; t < workers.length; t++) {
            try {
                workers[t].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
