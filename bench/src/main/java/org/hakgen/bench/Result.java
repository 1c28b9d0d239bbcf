package org.hakgen.bench;

/**
 * One build on one workload: JMH's average time per op with its error (the half-width of the 99.9%
 * confidence interval JMH reports) and the build's footprint.
 *
 * @param workload  the scenario's name
 * @param build     the build parameter ({@link Builds})
 * @param label     how reports name it
 * @param api       {@code allocator} or {@code heap}
 * @param threads   threads running the op at once
 * @param ns        ns per op (per thread)
 * @param error     ± ns per op
 * @param samples   measurement iterations over all forks
 * @param mapped    bytes held from the OS at iteration ends (mean)
 * @param peak      the most bytes held
 * @param peakExact whether {@code peak} is the allocator's own high-water mark (else the most sampled)
 * @param trimmed   bytes still held after the run's frees and the build's trim; -1 when not measured
 */
public record Result(String workload, String build, String label, String api, int threads, double ns, double error,
                     long samples, long mapped, long peak, boolean peakExact, long trimmed) {

    /** Operations per second over all threads. */
    public double opsPerSecond() {
        return threads * 1e9 / ns;
    }

    /** How many times faster than {@code base} (its time over this one's), with the error of both. */
    public double[] speedupOver(Result base) {
        double r = base.ns / ns;
        double rel = Math.hypot(error / ns, base.error / base.ns);
        return new double[] {r, r * rel};
    }
}
