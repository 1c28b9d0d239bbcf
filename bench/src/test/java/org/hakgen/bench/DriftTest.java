package org.hakgen.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import org.hakgen.generator.Hakgen;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hakgen drift}: its arithmetic, a short run, and what it says of bad input. */
class DriftTest {
    final StringWriter out = new StringWriter(), err = new StringWriter();

    int run(String... args) {
        var cl = Hakgen.commandLine(new MainJob(), Map.of("drift", new Drift()));
        return cl.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void correlationIsOneForSeriesThatMoveTogetherAndMinusOneForOpposite() {
        double[] a = {10, 12, 20, 11}, together = {5, 6, 10, 5.5}, opposite = {-10, -12, -20, -11};
        assertEquals(1.0, Drift.correlation(a, together), 1e-12);
        assertEquals(-1.0, Drift.correlation(a, opposite), 1e-12);
        assertTrue(Double.isNaN(Drift.correlation(a, new double[] {3, 3, 3, 3})), "a flat series has no correlation");
    }

    @Test
    void summaryNamesEachBuildsMedianAndRangeAndEveryPair() {
        String s = Drift.summary(List.of("x", "y"), new double[][] {{3, 1, 2}, {30, 10, 20}});
        assertTrue(s.contains("x") && s.contains("median 2.00 ns/op, rounds 1.00 to 3.00"), s);
        assertTrue(s.contains("correlation of rounds, x with y: 1.00"), s);
    }

    @Test
    void runsBuildsInTurnAndPrintsEveryRound() {
        assertEquals(Hakgen.OK, run("drift", "--builds", "generic,tiny-fixed-64", "--workload", "tiny-fixed-64",
                "--rounds", "3", "--ops", "1000"), out + "\n" + err);
        String printed = out.toString();
        assertTrue(printed.contains("round  generic  tiny-fixed-64"), printed);
        assertTrue(printed.lines().anyMatch(l -> l.trim().startsWith("3 ")), "round 3 is printed: " + printed);
        assertTrue(printed.contains("correlation of rounds, generic with tiny-fixed-64"), printed);
    }

    @Test
    void badInputIsAUsageErrorThatNamesWhatIsValid() {
        assertEquals(Hakgen.USAGE, run("drift", "--builds", "nope", "--workload", "tiny-fixed-64"));
        assertTrue(err.toString().contains("no build 'nope'; valid: generic"), err.toString());
        assertEquals(Hakgen.USAGE, run("drift", "--builds", ",", "--workload", "tiny-fixed-64"));
        assertTrue(err.toString().contains("hakgen drift: --builds names no build; valid: builds separated by commas"),
                "named after the command, as every error of hakgen's: " + err);
        assertEquals(Hakgen.USAGE, run("drift", "--builds", "generic,,malloc", "--workload", "tiny-fixed-64"));
        assertTrue(err.toString().contains("--builds generic,,malloc names an empty build"), err.toString());
        assertEquals(Hakgen.USAGE, run("drift", "--builds", "generic", "--workload", "larson"));
        assertTrue(err.toString().contains("--workload larson is a larson workload; valid: a profile whose workload is "
                + "fixed or uniform"), err.toString());
        assertEquals(Hakgen.USAGE, run("drift", "--builds", "generic", "--workload", "tiny-fixed-64", "--rounds", "0"));
        assertTrue(err.toString().contains("--rounds 0 is not valid; valid: 1 to 10000"), err.toString());
        String absent = NativeBuild.Lib.absenceOf("mimalloc").orElse(null);
        if (absent != null) {   // where mimalloc is installed this is no error: the other checks still ran
            assertEquals(Hakgen.USAGE, run("drift", "--builds", "generic,mimalloc", "--workload", "tiny-fixed-64"));
            assertTrue(err.toString().contains("--builds: " + absent), err.toString());
        }
    }
}
