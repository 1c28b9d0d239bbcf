package org.hakgen.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.hakgen.generator.Generator;
import org.hakgen.generator.Hakgen;
import org.hakgen.generator.Profile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hakgen drift}: several builds in one JVM, a chunk of ops of each in turn, round after round,
 * with each chunk's ns/op; then how closely the builds' figures move together.
 *
 * <p>What it is for: telling a build's own drift from the machine's. A JMH run measures one build's
 * forks after another's, so a spell of a slower machine looks like a slower build. Here every build
 * runs every round a few hundred milliseconds apart: where a build slows alone, it is the build; where
 * every build slows in the same rounds, glibc's malloc among them, it is the machine (issue 4 found
 * the latter for random-mixed's "bursts": all three allocators 25–40% slower together for about 12 s).
 *
 * <p>Not a benchmark: one loop drives every build, so its call sites see several classes and the
 * figures are slower than JMH's; compare a build's rounds with each other, and the builds' movements,
 * not their levels.
 */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = "Runs builds in turn in one JVM, a chunk of ops each per round, and prints each chunk's ns/op "
                + "and how closely the builds' figures move together: tells a build's drift from the machine's. "
                + "Not a benchmark (one loop drives every build); use --profile or compare for figures.")
public final class Drift implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--builds", split = ",", required = true, paramLabel = "BUILD",
            description = "builds to run in turn: generic, a shipped build, out:NAME (a build ./hakgen --profile "
                    + "compiled), generic:BUILD, or a peer (malloc, mimalloc, jemalloc, tcmalloc, netty-pooled, "
                    + "netty-adaptive, arena)")
    List<String> builds;

    @Option(names = "--workload", required = true, paramLabel = "NAME|FILE",
            description = "the profile whose workload to run: a fixed or uniform one (one thread)")
    String workload;

    @Option(names = "--rounds", defaultValue = "60", paramLabel = "N",
            description = "rounds, 1 to 10000 (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--ops", defaultValue = "5000000", paramLabel = "N",
            description = "ops per build per round, 1000 to 1000000000 (default: ${DEFAULT-VALUE})")
    long ops;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "where builds named out:NAME are: the folder ./hakgen --profile compiled them into "
                    + "(default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() {
        PrintWriter log = spec.commandLine().getOut();
        System.setProperty("hakgen.out", out.toAbsolutePath().normalize().toString());
        if (rounds < 1 || rounds > 10_000) {
            throw new ParameterException(spec.commandLine(), "--rounds " + rounds + " is not valid; valid: 1 to 10000");
        }
        if (ops < 1000 || ops > 1_000_000_000) {
            throw new ParameterException(spec.commandLine(), "--ops " + ops + " is not valid; valid: 1000 to 1000000000");
        }
        try {
            Builds.checkAll("--builds", builds);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        for (String b : builds) {
            String absent = NativeBuild.Lib.absenceOf(b).orElse(null);
            if (absent != null) {
                throw new ParameterException(spec.commandLine(), "--builds: " + absent);
            }
        }
        int[] code = {Hakgen.OK};
        Generator.Source source = Hakgen.load(workload, spec, code);
        if (source == null) {
            return code[0];
        }
        Workload steps = steps(source.profile().workload());
        List<SlotLoop> loops = new ArrayList<>();
        try {
            for (String b : builds) {
                loops.add(new SlotLoop(b, "allocator", steps, source.profile().workload().workset()));
            }
            double[][] ns = measure(loops, log);
            log.print(summary(builds, ns));
        } finally {
            loops.forEach(SlotLoop::close);
        }
        log.flush();
        return Hakgen.OK;
    }

    private Workload steps(Profile.Workload w) {
        return switch (w.kind()) {
            case FIXED -> Workload.fixed(w.sizes().stream().mapToLong(Integer::longValue).toArray(), w.workset());
            case UNIFORM -> Workload.uniform(w.min(), w.max(), w.workset());
            case LARSON, TRACE -> throw new ParameterException(spec.commandLine(), "--workload " + workload + " is a "
                    + w.kind().name().toLowerCase(Locale.ROOT) + " workload; valid: a profile whose workload is fixed "
                    + "or uniform (one thread)");
        };
    }

    /** ns/op of each build (first index) in each round (second), printed a round a line as they come. */
    private double[][] measure(List<SlotLoop> loops, PrintWriter log) {
        double[][] ns = new double[loops.size()][rounds];
        int[] step = new int[loops.size()];
        // One round first, not counted: the JIT compiles the loop and the builds during it.
        for (int b = 0; b < loops.size(); b++) {
            step[b] = run(loops.get(b), step[b], ops);
        }
        log.println("round  " + String.join("  ", builds) + "   (ns/op, " + ops + " ops per build per round, after one "
                + "round of warm-up)");
        for (int r = 0; r < rounds; r++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5d", r + 1));
            for (int b = 0; b < loops.size(); b++) {
                long t0 = System.nanoTime();
                step[b] = run(loops.get(b), step[b], ops);
                ns[b][r] = (System.nanoTime() - t0) / (double) ops;
                line.append(String.format(Locale.ROOT, "  %8.2f", ns[b][r]));
            }
            log.println(line);
            log.flush();
        }
        return ns;
    }

    /** Runs {@code ops} steps of {@code loop} from {@code step}; returns the step it stopped at. */
    private static int run(SlotLoop loop, int step, long ops) {
        Subject s = loop.subject;
        int[] slots = loop.slots;
        long[] sizes = loop.sizes;
        int mask = loop.mask;
        for (long k = 0; k < ops; k++) {
            int i = step++ & mask;
            s.replace(slots[i], sizes[i]);
        }
        return step;
    }

    /** Each build's median, fastest and slowest round, and the correlation of every pair's rounds. */
    static String summary(List<String> names, double[][] ns) {
        StringBuilder s = new StringBuilder("\n");
        for (int b = 0; b < names.size(); b++) {
            double[] sorted = ns[b].clone();
            Arrays.sort(sorted);
            s.append(String.format(Locale.ROOT, "%-28s median %.2f ns/op, rounds %.2f to %.2f%n", names.get(b),
                    sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1]));
        }
        for (int a = 0; a < names.size(); a++) {
            for (int b = a + 1; b < names.size(); b++) {
                s.append(String.format(Locale.ROOT, "correlation of rounds, %s with %s: %.2f%n", names.get(a),
                        names.get(b), correlation(ns[a], ns[b])));
            }
        }
        s.append("near 1: the builds slowed and recovered together (the machine); near 0: each on its own\n");
        return s.toString();
    }

    /** Pearson's correlation of {@code x} and {@code y}; NaN when either never varies. */
    static double correlation(double[] x, double[] y) {
        double mx = Arrays.stream(x).average().orElse(0), my = Arrays.stream(y).average().orElse(0);
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
