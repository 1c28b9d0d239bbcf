package org.hakgen.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.hakgen.generator.Profile;
import org.hakgen.generator.Profiles;

/**
 * One workload as a JMH benchmark and its parameters: what a profile's {@code workload} section means
 * to the bench.
 *
 * @param name      the workload's name in reports (the profile it came from)
 * @param benchmark the benchmark class's simple name
 * @param params    its parameters other than {@code build} and {@code api}
 * @param threads   JMH threads
 * @param summary   one line saying what runs
 * @param perOp     allocator operations in one benchmark op: 1 for the loops, the trace's for a replay;
 *                  results are divided by it, so they are per allocator operation
 * @param crossThread whether blocks are freed by threads that did not allocate them
 */
public record Scenario(String name, String benchmark, Map<String, String> params, int threads, String summary,
                       long perOp, boolean crossThread) {

    /** The benchmark a profile's workload section asks for. */
    public static Scenario of(String name, Profile.Workload w) {
        Map<String, String> p = new LinkedHashMap<>();
        return switch (w.kind()) {
            case FIXED -> {
                p.put("sizes", w.sizes().stream().map(String::valueOf).collect(Collectors.joining("/")));
                p.put("workset", String.valueOf(w.workset()));
                yield new Scenario(name, "FixedBenchmark", p, 1, "fixed sizes " + p.get("sizes") + " B over "
                        + w.workset() + " slots, one free + malloc + write per op", 1, false);
            }
            case UNIFORM -> {
                p.put("min", String.valueOf(w.min()));
                p.put("max", String.valueOf(w.max()));
                p.put("workset", String.valueOf(w.workset()));
                String bench = w.min() > 1024 || w.max() > 4096 ? "MidBenchmark" : "RandomMixedBenchmark";
                yield new Scenario(name, bench, p, 1, "sizes uniform in " + w.min() + "-" + w.max() + " B over "
                        + w.workset() + " random slots, one free + malloc + write per op", 1, false);
            }
            case LARSON -> {
                p.put("min", String.valueOf(w.min()));
                p.put("max", String.valueOf(w.max()));
                p.put("workset", String.valueOf(w.workset()));
                yield new Scenario(name, "LarsonBenchmark", p, w.threads(), w.threads() + " threads, " + w.min() + "-"
                        + w.max() + " B, each op frees a block another thread allocated (Larson)", 1, true);
            }
            case TRACE -> trace(name, w.file());
        };
    }

    /**
     * The replay of trace {@code file} (a path, or a name in the shared traces folder), read once here
     * for its size and threads.
     *
     * @throws IllegalArgumentException if the trace cannot be found or read; the message says why
     */
    public static Scenario trace(String name, String file) {
        Path path = Profiles.resolveTrace(file);
        try {
            return trace(name, path, Trace.read(path));
        } catch (IOException e) {
            throw new IllegalArgumentException("trace " + file + " cannot be replayed: " + e.getMessage(), e);
        }
    }

    /** The replay of trace {@code t}, read from {@code path}. */
    public static Scenario trace(String name, Path path, Trace t) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("trace", path.toAbsolutePath().toString());
        return new Scenario(name, "ReplayBenchmark", p, 1, String.format(Locale.ROOT, "replay of %s: %,d operations on "
                + "%d thread(s) (%,d cross-thread frees), peak live %,d B; figures per operation",
                path.getFileName(), t.operations(), t.threads(), t.crossThreadFrees(), t.peakLive()),
                t.operations(), t.threads() > 1);
    }

    /** The regular expression JMH selects the benchmark by. */
    public String include() {
        return "^" + Scenario.class.getPackageName().replace(".", "\\.") + "\\." + benchmark + "\\.op$";
    }

    /**
     * Why {@code build} cannot run this workload at all, or null when it can: a confined arena cannot be
     * freed by another thread; the floor is one thread's lists of blocks up to 64 KiB, for the loops.
     */
    public String refusal(String build) {
        if (build.equals("arena") && crossThread) {
            return "a confined arena can only be freed by the thread that made it";
        }
        if (build.equals(Builds.FLOOR)) {
            if (threads > 1 || crossThread || benchmark.equals("ReplayBenchmark")) {
                return "the floor is one thread's lists, for the fixed, random-mixed and mid loops";
            }
            long largest = params.containsKey("sizes")
                    ? Arrays.stream(Workload.sizes(params.get("sizes"))).max().orElse(0)
                    : Long.parseLong(params.getOrDefault("max", "0"));
            if (largest > FloorBuild.MAX_SIZE) {
                return "the floor's classes stop at " + FloorBuild.MAX_SIZE + " B and this workload asks for " + largest + " B";
            }
        }
        return null;
    }

    /** Names of the parameters, in order, for lookups. */
    public List<String> paramNames() {
        return List.copyOf(params.keySet());
    }
}
