package org.hakgen.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.hakgen.generator.Hakgen;
import org.hakgen.generator.Profiles;
import org.hakgen.generator.TraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hakgen replay --trace FILE --build NAME…}: replays a trace against each build with the trace's
 * threads as threads ({@link ReplayBenchmark}, through JMH), and reports throughput and footprint:
 * peak bytes held from the OS against the trace's peak of live requested bytes (their ratio is the
 * fragmentation and overhead), and what each build still holds after the replay's frees and its trim.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replays an allocation trace against builds, its threads as threads: operations per second, "
                + "peak bytes mapped against peak live bytes, and bytes still mapped after the frees and trim().")
public final class Replay implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--trace", required = true, paramLabel = "FILE|NAME",
            description = "a trace file (glibc mtrace text with the fields of ../shared/traces/README.md, gzip or "
                    + "plain; or a JFR recording of Netty's buffer events), or the name of one in ../shared/traces "
                    + "(gcc, sqlite, perl, git-log, git-repack)")
    String trace;

    @Option(names = "--build", split = ",", paramLabel = "NAME", defaultValue = "generic,malloc",
            description = "builds to replay against: generic, a shipped profile's build (e.g. sqlite), generic:BUILD, "
                    + "or a peer (malloc, mimalloc, jemalloc, tcmalloc, netty-pooled, netty-adaptive, arena); "
                    + "default: ${DEFAULT-VALUE}; the first is the baseline of the ratios")
    List<String> builds;

    @Mixin
    EffortOptions measure;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "the report goes to DIR/replay-TRACE/ (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Scenario scenario;
        Trace t;
        try {
            Builds.checkAll("--build", builds);
            Path file = Profiles.resolveTrace(trace);
            log.println("reading " + file + " ...");
            log.flush();
            t = Trace.read(file);
            scenario = Scenario.trace(traceName(file), file, t);
        } catch (IllegalArgumentException e) {
            err.println("hakgen replay: " + e.getMessage());
            return Hakgen.USAGE;
        } catch (TraceException e) {
            err.println("hakgen replay: " + e.getMessage());
            return Hakgen.INVALID;
        } catch (IOException e) {
            err.println("hakgen replay: cannot read the trace: " + Hakgen.describe(e));
            return Hakgen.IO;
        }
        log.println("workload " + scenario.name() + ": " + scenario.summary());
        List<String> notes = new ArrayList<>();
        List<JmhRun.Trial> trials = MainJob.runnable(scenario, builds, notes);
        notes.forEach(n -> log.println("note: " + n));
        JmhRun.Effort effort = measure.effort();
        JmhRun run = new JmhRun(effort, MainJob.forkArgs(out), log);
        List<Result> results = run.run(trials, b -> b);
        notes.addAll(run.notes());
        Map<String, String> baselines = new LinkedHashMap<>();
        baselines.put(scenario.name(), trials.isEmpty() ? builds.getFirst() : trials.getFirst().build());
        Report report = new Report("hakgen replay " + scenario.name(), MainJob.command(spec),
                MainJob.context(effort, scenario), baselines, results, notes);
        log.println();
        log.print(report.table());
        log.println();
        log.print(footprints(results, t.peakLive()));
        for (Path p : report.write(out.resolve("replay-" + scenario.name()))) {
            log.println("wrote " + p);
        }
        log.flush();
        return results.size() == trials.size() ? Hakgen.OK : 4;
    }

    /** {@code gcc} for {@code .../gcc.mtrace.gz}, {@code netty} for {@code netty.jfr}. */
    static String traceName(Path file) {
        String n = file.getFileName().toString();
        for (String suffix : List.of(".gz", ".mtrace", ".txt", ".jfr")) {
            if (n.endsWith(suffix)) {
                n = n.substring(0, n.length() - suffix.length());
            }
        }
        return n;
    }

    /** Each build's footprint against the trace's peak of live requested bytes. */
    static String footprints(List<Result> results, long peakLive) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s %12s %12s %14s %14s%n", "build",
                "peak live", "peak mapped", "peak / live", "after trim"));
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT, "%-20s %12s %12s %14s %14s%n", r.label(), Report.bytes(peakLive),
                    Report.bytes(r.peak()) + (r.peakExact() ? "" : "*"),
                    peakLive > 0 && r.peak() > 0 ? String.format(Locale.ROOT, "%.2f×", (double) r.peak() / peakLive) : "-",
                    r.trimmed() < 0 ? "-" : Report.bytes(r.trimmed())));
        }
        return sb.append("peak live: the most requested bytes live at once in the trace; peak mapped: the most the build "
                + "held from the OS (* = sampled at the trace's peak of live bytes and at iteration ends: the allocator "
                + "keeps no high-water mark); after trim: held after the last replay freed everything and the build "
                + "trimmed\n").toString();
    }
}
