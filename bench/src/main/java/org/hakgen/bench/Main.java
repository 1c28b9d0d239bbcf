package org.hakgen.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.hakgen.generator.Hakgen;

/**
 * The {@code hakgen} command line with the bench's main job: {@code hakgen --profile NAME} generates,
 * compiles and benchmarks; {@code hakgen compare} benchmarks many builds on many workloads; {@code hakgen drift}
 * tells a build's drift from the machine's.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("compare", new Compare());
        more.put("replay", new Replay());
        more.put("drift", new Drift());
        return Hakgen.commandLine(new MainJob(), more).execute(args);
    }
}
