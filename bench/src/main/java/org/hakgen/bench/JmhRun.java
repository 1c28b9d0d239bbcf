package org.hakgen.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs scenarios × builds × APIs through JMH's own runner, in forked JVMs, and prints one progress
 * line per fork as its iterations come in.
 */
public final class JmhRun {
    /**
     * How long to measure. {@code quick} is the default of the main job (about a minute for two builds
     * on two APIs); {@code full} is for figures worth publishing.
     */
    public record Effort(String name, int forks, int warmups, int measurements, int seconds) {
        public static final Effort QUICK = new Effort("quick", 2, 3, 4, 1);
        public static final Effort FULL = new Effort("full", 5, 5, 10, 2);
        /** For the tests: one short fork. */
        public static final Effort SMOKE = new Effort("smoke", 1, 1, 2, 1);

        /** Seconds one trial takes, JVM start included. */
        double trialSeconds() {
            return forks * ((warmups + measurements) * seconds + 1.5);
        }
    }

    /** One JMH trial to run: a build through an API on a scenario. */
    public record Trial(Scenario scenario, String build, String api) {
    }

    /** How far apart, slowest over fastest, the forks of one trial may run before the report says so. */
    static final double FORKS_AGREE = 1.25;

    private final Effort effort;
    private final List<String> jvmArgs;
    private final PrintWriter out;
    private final List<String> notes = new ArrayList<>();

    public JmhRun(Effort effort, List<String> extraJvmArgs, PrintWriter out) {
        this.effort = effort;
        this.jvmArgs = new ArrayList<>(Bench.jvmArgs());
        this.jvmArgs.addAll(extraJvmArgs);
        this.out = out;
    }

    /**
     * Runs every trial, its forks interleaved with the other trials' (round 1: the first fork of each
     * trial in turn; round 2: the second; …), and merges each trial's forks into one result as JMH
     * merges the forks of one run. A trial that fails is reported and left out of the results.
     *
     * <p>Why interleaved: these machines change speed for seconds at a time, and every allocator with
     * them — glibc's malloc as much as hakgen's (issue 4: all of them 25–40% slower together for about
     * 12 s, then back, in {@link Drift}). Run one trial's forks after another's, as a JMH run of
     * several parameters does, and such a spell lands on one build's forks only and moves the ratio
     * between builds; interleaved, it falls on neighbouring forks of different builds alike.
     */
    public List<Result> run(List<Trial> trials, Function<String, String> labels) throws RunnerException {
        notes.clear();
        out.printf("bench: %d trials, %s mode (%d forks × %d+%d iterations of %d s, forks of the trials in turn), "
                        + "about %.0f s%n", trials.size(), effort.name(), effort.forks(), effort.warmups(),
                effort.measurements(), effort.seconds(), trials.size() * effort.trialSeconds());
        out.flush();
        List<List<BenchmarkResult>> forks = new ArrayList<>();
        trials.forEach(t -> forks.add(new ArrayList<>()));
        boolean[] failed = new boolean[trials.size()];
        for (int round = 1; round <= effort.forks(); round++) {
            for (int i = 0; i < trials.size(); i++) {
                if (failed[i]) {
                    continue;
                }
                Trial t = trials.get(i);
                String title = String.format("[%d/%d] %s · %s · %s · fork %d of %d", i + 1, trials.size(),
                        t.scenario().name(), labels.apply(t.build()), t.api(), round, effort.forks());
                try {
                    for (RunResult r : new Runner(options(t).build(), new Progress(out, title, t.scenario().perOp())).run()) {
                        forks.get(i).addAll(r.getBenchmarkResults());
                    }
                } catch (RunnerException e) {
                    out.println("  failed: " + rootMessage(e) + " (left out of the results)");
                    failed[i] = true;
                }
                out.flush();
            }
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            if (!failed[i] && !forks.get(i).isEmpty()) {
                RunResult merged = new RunResult(forks.get(i).get(0).getParams(), forks.get(i));
                Result r = result(trials.get(i), labels.apply(trials.get(i).build()), merged);
                out.printf(Locale.ROOT, "[%d/%d] %s · %s: %.2f ± %.2f ns/op over %d forks%n", i + 1, trials.size(),
                        r.label(), r.api(), r.ns(), r.error(), forks.get(i).size());
                double perOp = trials.get(i).scenario().perOp();
                double[] forkNs = forks.get(i).stream().mapToDouble(f -> f.getPrimaryResult().getScore() / perOp).toArray();
                disagreement(r.workload() + " · " + r.label() + " · " + r.api(), forkNs).ifPresent(d -> {
                    out.println("  note: " + d);
                    notes.add(d);
                });
                results.add(r);
            }
        }
        if (results.size() < trials.size()) {
            notes.add((trials.size() - results.size()) + " trial(s) failed and are left out; their errors are printed above");
        }
        out.flush();
        return results;
    }

    /**
     * What the last {@link #run} has to say in the report's notes, one line each: the trials whose forks ran
     * at different speeds (over {@link #FORKS_AGREE} apart), then how many trials failed, if any did.
     */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /**
     * The note for a trial whose slowest fork ran over {@link #FORKS_AGREE} × its fastest (the means of
     * their measured iterations, ns/op), or empty. Forks of one build on a steady machine agree within
     * about 1.2×; a fork that held another speed for all its iterations (19–20 ns where the other ran
     * 12–15, issue 4) is a slow spell of the machine or another JIT compilation, and it moves the trial's
     * figure, and every ratio taken from it, by its share of the forks.
     */
    static Optional<String> disagreement(String trial, double[] forkNs) {
        if (forkNs.length < 2) {
            return Optional.empty();
        }
        double fastest = Arrays.stream(forkNs).min().orElseThrow();
        double slowest = Arrays.stream(forkNs).max().orElseThrow();
        if (!(slowest > FORKS_AGREE * fastest)) {
            return Optional.empty();
        }
        StringBuilder each = new StringBuilder();
        for (double ns : forkNs) {
            each.append(each.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", ns));
        }
        return Optional.of(String.format(Locale.ROOT, "%s: its forks disagree, %s ns/op (the slowest %.2f× the "
                + "fastest, over %.2f×): a slow spell of the machine or another JIT compilation, so this figure and the "
                + "ratios taken from it move from run to run; run again, or add forks (--forks %d)", trial, each,
                slowest / fastest, FORKS_AGREE, Math.max(4, 2 * forkNs.length)));
    }

    /** One fork of {@code t}. */
    private ChainedOptionsBuilder options(Trial t) {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(t.scenario().include())
                .param("build", t.build())
                .param("api", t.api())
                .threads(t.scenario().threads())
                .forks(1)
                .warmupIterations(effort.warmups())
                .warmupTime(TimeValue.seconds(effort.seconds()))
                .measurementIterations(effort.measurements())
                .measurementTime(TimeValue.seconds(effort.seconds()))
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .addProfiler(FootprintProfiler.class)
                .shouldFailOnError(true);
        for (Map.Entry<String, String> p : t.scenario().params().entrySet()) {
            o.param(p.getKey(), p.getValue());
        }
        return o;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static Result result(Trial t, String label, RunResult r) {
        var primary = r.getPrimaryResult();
        var secondary = r.getSecondaryResults();
        var peak = secondary.containsKey("peak") ? secondary.get("peak") : secondary.get("peak-sampled");
        var mapped = secondary.get("mapped");
        var trimmed = secondary.get("trimmed");
        double err = primary.getScoreError();
        double perOp = t.scenario().perOp();
        return new Result(t.scenario().name(), t.build(), label, t.api(), t.scenario().threads(), primary.getScore() / perOp,
                Double.isNaN(err) ? 0 : err / perOp, primary.getSampleCount(),
                mapped == null ? 0 : Math.round(mapped.getScore()), peak == null ? 0 : Math.round(peak.getScore()),
                secondary.containsKey("peak"), trimmed == null ? -1 : Math.round(trimmed.getScore()));
    }

    /** JMH's output, reduced to one line per fork: the warm-up and measured ns/op as they arrive. */
    static final class Progress implements OutputFormat {
        private final PrintWriter out;
        private final String title;
        private final double perOp;

        /** {@code perOp}: allocator operations per benchmark op, which the printed figures are divided by. */
        Progress(PrintWriter out, String title, double perOp) {
            this.out = out;
            this.title = title;
            this.perOp = perOp;
        }

        @Override
        public void startBenchmark(BenchmarkParams params) {
            out.println(title);
            out.flush();
        }

        @Override
        public void iteration(BenchmarkParams params, IterationParams iteration, int n) {
            if (iteration.getType() == IterationType.WARMUP && n == 1) {
                out.print("  fork: warm-up");
            } else if (iteration.getType() == IterationType.MEASUREMENT && n == 1) {
                out.print(" | measured");
            }
            out.flush();
        }

        @Override
        public void iterationResult(BenchmarkParams params, IterationParams iteration, int n, IterationResult data) {
            out.printf(" %.1f", data.getPrimaryResult().getScore() / perOp);
            if (iteration.getType() == IterationType.MEASUREMENT && n == iteration.getCount()) {
                out.println(" ns/op");
            }
            out.flush();
        }

        @Override
        public void endBenchmark(BenchmarkResult result) {
            if (result != null) {
                var p = result.getPrimaryResult();
                double error = p.getScoreError() / perOp;
                out.println(Double.isNaN(error)
                        ? String.format(Locale.ROOT, "  = %.2f ns/op (too few iterations for an error)", p.getScore() / perOp)
                        : String.format(Locale.ROOT, "  = %.2f ± %.2f ns/op", p.getScore() / perOp, error));
            }
            out.flush();
        }

        @Override
        public void startRun() {
        }

        @Override
        public void endRun(Collection<RunResult> result) {
        }

        @Override
        public void print(String s) {
            showFailure(s);
        }

        @Override
        public void println(String s) {
            showFailure(s);
        }

        /** JMH prints a failing fork's exception through here: show the line that names the failure. */
        private void showFailure(String s) {
            if (s != null && (s.contains("Exception") || s.contains("Error") || s.startsWith("<failure>"))) {
                out.println("  " + s.lines().findFirst().orElse(s));
                out.flush();
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
        }

        @Override
        public void verbosePrintln(String s) {
        }

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b) {
        }
    }
}
