package org.hakgen.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hakgen.generator.Generator;
import org.hakgen.generator.Hakgen;
import org.hakgen.generator.Profiles;
import org.hakgen.generator.TraceException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code hakgen --profile NAME}: validate → explain → generate → compile in-process → run the profile's
 * own workload for the generic build configured exactly as the profile's build (the baseline) and the
 * specialized build, through both APIs (and the peers and the floor with {@code --peers}) → print the table → write
 * {@code OUT/NAME/report.json} and {@code report.html}.
 */
public final class MainJob implements Hakgen.MainJob {
    @Option(names = "--peers", description = "also run the allocators Java users pick today: malloc, mimalloc, "
            + "jemalloc and tcmalloc through FFM (those installed), Netty's pooled and adaptive allocators, Arena; "
            + "and the floor, a bare LIFO with neither guard nor cross-thread frees, through both APIs")
    boolean peers;

    @Mixin
    EffortOptions measure;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out",
            description = "where each profile's build and report go: DIR/NAME/ (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public int run(String profile, CommandSpec spec) throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        int[] code = {Hakgen.OK};
        Generator.Source source = Hakgen.load(profile, spec, code);
        if (source == null) {
            return code[0];
        }
        int explained = Hakgen.explain(profile, spec);
        if (explained != Hakgen.OK) {
            return explained;
        }
        Scenario scenario = scenario(source, spec, code);
        if (scenario == null) {
            return code[0];
        }
        Prepared build = Prepared.make(source, out, log);
        String name = build.name();
        String fresh = "out:" + name, baseline = "generic:" + fresh;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(baseline, "generic, configured as " + name);
        labels.put(fresh, name + " (generated)");
        List<JmhRun.Trial> trials = new ArrayList<>();
        for (String api : List.of("allocator", "heap")) {
            trials.add(new JmhRun.Trial(scenario, baseline, api));
            trials.add(new JmhRun.Trial(scenario, fresh, api));
        }
        List<String> notes = new ArrayList<>();
        if (peers) {
            trials.addAll(runnable(scenario, Builds.PEERS, notes));
            labels.put(Builds.FLOOR, "floor (bare LIFO, no guard)");
            trials.addAll(runnable(scenario, List.of(Builds.FLOOR), List.of("allocator", "heap"), notes));
        }
        notes.forEach(n -> log.println("note: " + n));
        log.println("workload " + name + ": " + scenario.summary());
        JmhRun.Effort effort = measure.effort();
        JmhRun run = new JmhRun(effort, forkArgs(out), log);
        List<Result> results = run.run(trials, b -> labels.getOrDefault(b, b));
        notes.addAll(run.notes());
        Report report = new Report("hakgen --profile " + name, command(spec), context(effort, scenario),
                Map.of(name, baseline), results, notes);
        log.println();
        log.print(report.table());
        for (Path p : report.write(build.root())) {
            log.println("wrote " + p);
        }
        log.flush();
        return results.size() == trials.size() ? Hakgen.OK : 4;
    }

    /**
     * The scenario of {@code source}'s workload; or null, with one line saying why and {@code code[0]} set,
     * when it cannot be run: a trace it names that cannot be read ({@link Hakgen#IO}), or that is not there
     * or not a replayable trace ({@link Hakgen#INVALID}). Called before anything is written.
     */
    static Scenario scenario(Generator.Source source, CommandSpec spec, int[] code) {
        try {
            return Scenario.of(source.profile().name(), source.profile().workload());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": " + source.display() + ": workload: "
                    + e.getMessage() + "; nothing was written");
            boolean unreadable = e.getCause() instanceof IOException && !(e.getCause() instanceof TraceException);
            code[0] = unreadable ? Hakgen.IO : Hakgen.INVALID;
            return null;
        }
    }

    /**
     * Refuses the value of a list option ({@code option}, a list of {@code what}) that names nothing
     * ({@code --builds ,}) or holds an empty name ({@code a,,b}); {@code valid} says what would do.
     */
    static void requireNames(String option, List<String> names, String what, String valid) {
        if (names.isEmpty() || names.contains("")) {
            throw new IllegalArgumentException(option + (names.isEmpty() ? " names no " + what
                    : " " + String.join(",", names) + " names an empty " + what) + "; valid: " + valid);
        }
    }

    /**
     * Trials of those {@code builds} that can run {@code scenario} here, through the allocator API; the
     * rest (a native peer not installed, an arena on a workload with cross-thread frees, the floor on one
     * with threads) are named in {@code notes} with the reason.
     */
    static List<JmhRun.Trial> runnable(Scenario scenario, List<String> builds, List<String> notes) {
        return runnable(scenario, builds, List.of("allocator"), notes);
    }

    /** As {@link #runnable(Scenario, List, List)}, each build through each of {@code apis}. */
    static List<JmhRun.Trial> runnable(Scenario scenario, List<String> builds, List<String> apis, List<String> notes) {
        List<JmhRun.Trial> trials = new ArrayList<>();
        for (String build : builds) {
            String absent = NativeBuild.Lib.absenceOf(build).orElse(null);
            String refusal = scenario.refusal(build);
            if (absent != null) {
                notes.add("skipped " + absent);
            } else if (refusal != null) {
                notes.add("skipped " + build + " on " + scenario.name() + ": " + refusal);
            } else {
                apis.forEach(api -> trials.add(new JmhRun.Trial(scenario, build, api)));
            }
        }
        return trials;
    }

    /** System properties every fork needs: where the fresh builds are, and the repository (for traces). */
    static List<String> forkArgs(Path out) {
        return List.of("-Dhakgen.out=" + out.toAbsolutePath().normalize(), "-Dhakgen.home=" + Profiles.home());
    }

    static String command(CommandSpec spec) {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        return "./hakgen " + String.join(" ", args);
    }

    static Map<String, String> context(JmhRun.Effort effort, Scenario... scenarios) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        c.put("JDK", System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        c.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        c.put("JMH", effort.name() + ": " + effort.forks() + " forks × (" + effort.warmups() + " warm-up + "
                + effort.measurements() + " measured iterations of " + effort.seconds() + " s), average time per op");
        for (Scenario s : scenarios) {
            c.put("workload " + s.name(), s.benchmark() + " " + s.params() + ": " + s.summary());
        }
        return c;
    }
}
