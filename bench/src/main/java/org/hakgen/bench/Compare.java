package org.hakgen.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.hakgen.generator.Generator;
import org.hakgen.generator.Hakgen;
import org.hakgen.generator.Profiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hakgen compare}: every profile's build, and the generic build, on every workload; a matrix
 * of speed-ups over the generic build, as a table and as a heatmap in the report.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Benchmarks every profile's build and the generic build on every workload: a matrix of "
                + "speed-ups over generic, printed and drawn as a heatmap in OUT/compare/report.html.")
public final class Compare implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--profiles", split = ",", paramLabel = "NAME|FILE",
            description = "the builds to compare (default: every profile in profiles/)")
    List<String> profiles;

    @Option(names = "--workloads", split = ",", paramLabel = "NAME|FILE",
            description = "profiles whose workload sections to run (default: the same as --profiles)")
    List<String> workloads;

    @Mixin
    EffortOptions measure;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "builds go to DIR/NAME/, the report to DIR/compare/ (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        checkNamed("--profiles", profiles);
        checkNamed("--workloads", workloads);
        List<String> names = profiles == null ? Profiles.names() : profiles;
        List<Generator.Source> builds = new ArrayList<>();
        for (String p : names) {
            int[] code = {Hakgen.OK};
            Generator.Source s = Hakgen.load(p, spec, code);
            if (s == null) {
                return code[0];
            }
            builds.add(s);
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (String w : workloads == null ? names : workloads) {
            int[] code = {Hakgen.OK};
            Generator.Source s = Hakgen.load(w, spec, code);
            if (s == null) {
                return code[0];
            }
            Scenario sc = MainJob.scenario(s, spec, code);
            if (sc == null) {
                return code[0];
            }
            scenarios.add(sc);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("generic", "generic (runtime)");
        for (Generator.Source s : builds) {
            Prepared.make(s, out, log);
            labels.put("out:" + s.profile().name(), s.profile().name() + " (generated)");
        }
        List<JmhRun.Trial> trials = new ArrayList<>();
        Map<String, String> baselines = new LinkedHashMap<>();
        for (Scenario sc : scenarios) {
            baselines.put(sc.name(), "generic");
            for (String b : labels.keySet()) {
                trials.add(new JmhRun.Trial(sc, b, "allocator"));
            }
        }
        JmhRun.Effort effort = measure.effort();
        JmhRun run = new JmhRun(effort, MainJob.forkArgs(out), log);
        List<Result> results = run.run(trials, b -> labels.getOrDefault(b, b));
        Report report = new Report("hakgen compare", MainJob.command(spec),
                MainJob.context(effort, scenarios.toArray(Scenario[]::new)), baselines, results, run.notes());
        log.println();
        log.print(matrix(report, scenarios, labels));
        for (Path p : report.write(out.resolve("compare"))) {
            log.println("wrote " + p);
        }
        log.flush();
        return results.size() == trials.size() ? Hakgen.OK : 4;
    }

    /** Refuses a list option given with no name in it ({@code --profiles ,}) or an empty one ({@code a,,b}). */
    private void checkNamed(String option, List<String> names) {
        if (names == null) {
            return;
        }
        try {
            MainJob.requireNames(option, names, "profile", "profile names or files separated by commas, such as "
                    + String.join(",", Profiles.names()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Builds down, workloads across, each cell the speed-up over generic on that workload. */
    static String matrix(Report report, List<Scenario> scenarios, Map<String, String> labels) {
        StringBuilder sb = new StringBuilder(String.format("%-26s", "build \\ workload"));
        scenarios.forEach(s -> sb.append(String.format("%16s", s.name())));
        sb.append('\n');
        for (Map.Entry<String, String> b : labels.entrySet()) {
            sb.append(String.format("%-26s", b.getValue()));
            for (Scenario s : scenarios) {
                Result r = report.results().stream().filter(x -> x.build().equals(b.getKey())
                        && x.workload().equals(s.name())).findFirst().orElse(null);
                Result base = r == null ? null : report.baselineOf(r);
                sb.append(String.format("%16s", r == null || base == null ? "-" : Report.ratio(r.speedupOver(base))));
            }
            sb.append('\n');
        }
        return sb.append("cells: speed-up over generic on that workload (its ns/op over the build's) ± error\n").toString();
    }
}
