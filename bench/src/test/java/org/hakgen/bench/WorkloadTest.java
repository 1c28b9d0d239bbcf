package org.hakgen.bench;

import java.util.Arrays;

import org.hakgen.generator.Generator;
import org.hakgen.generator.Profiles;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadTest {
    @Test
    void tablesAreTheSameForEveryBuildAndRun() {
        Workload a = Workload.uniform(16, 1040, 256), b = Workload.uniform(16, 1040, 256);
        assertArrayEquals(a.slots(), b.slots());
        assertArrayEquals(a.sizes(), b.sizes());
        assertTrue(Arrays.stream(a.sizes()).allMatch(s -> s >= 16 && s <= 1040));
        assertTrue(Arrays.stream(a.sizes()).anyMatch(s -> s == 16) && Arrays.stream(a.sizes()).anyMatch(s -> s > 1000));
        assertTrue(Arrays.stream(a.slots()).allMatch(s -> s >= 0 && s < 256));
    }

    @Test
    void fixedTakesSlotsInTurnAndMixesTheSizes() {
        Workload w = Workload.fixed(Workload.sizes("16/32"), 256);
        for (int i = 0; i < Workload.STEPS; i++) {
            assertEquals(i % 256, w.slots()[i]);
        }
        long sixteens = Arrays.stream(w.sizes()).filter(s -> s == 16).count();
        assertTrue(sixteens > Workload.STEPS * 0.45 && sixteens < Workload.STEPS * 0.55, "16 B steps: " + sixteens);
        assertTrue(Arrays.stream(w.sizes()).allMatch(s -> s == 16 || s == 32));
    }

    @Test
    void badParametersSayWhatIsValid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.sizes("16,x"));
        assertTrue(e.getMessage().contains("e.g. 16/32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Workload.uniform(100, 10, 4));
        assertTrue(e.getMessage().contains("0 <= min <= max"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Workload.fixed(new long[] {16}, 0));
        assertTrue(e.getMessage().contains("1 or more"), e.getMessage());
    }

    @Test
    void everyShippedWorkloadMapsToItsBenchmark() throws Exception {
        boolean traces = java.nio.file.Files.isDirectory(Profiles.tracesFolder());
        for (String name : Profiles.names()) {
            var workload = Generator.read(Profiles.resolve(name)).profile().workload();
            String expected = switch (name) {
                case "c2c3-heavy", "tiny-fixed-64" -> "FixedBenchmark";
                case "generic", "random-mixed" -> "RandomMixedBenchmark";
                case "mid-heavy" -> "MidBenchmark";
                case "larson" -> "LarsonBenchmark";
                case "gcc", "sqlite", "perl", "git-log", "git-repack" -> "ReplayBenchmark";
                default -> throw new AssertionError("a new profile: say which benchmark runs it: " + name);
            };
            if (expected.equals("ReplayBenchmark")) {
                assertEquals(name + ".mtrace.gz", workload.file(), name + " replays the shared trace it was inferred from");
                if (!traces) {
                    continue;   // the shared traces are not beside this clone: the scenario cannot read its trace
                }
            }
            assertEquals(expected, Scenario.of(name, workload).benchmark(), name);
        }
        Scenario c2c3 = Scenario.of("c2c3-heavy", Generator.read(Profiles.resolve("c2c3-heavy")).profile().workload());
        assertEquals("16/32", c2c3.params().get("sizes"));
    }
}
