package org.hakgen.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hakgen.generator.Hakgen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The main job end to end, in forked JMH JVMs, with the smallest measurement that still runs every step. */
class MainJobTest {
    final StringWriter out = new StringWriter(), err = new StringWriter();

    int run(String... args) {
        var cl = Hakgen.commandLine(new MainJob(), java.util.Map.of("compare", new Compare(), "replay", new Replay()));
        return cl.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void profileGeneratesCompilesBenchmarksAndReports(@TempDir Path tmp) throws Exception {
        int code = run("--profile", "tiny-fixed-64", "--smoke", "--out", tmp.toString());
        assertEquals(Hakgen.OK, code, out + "\n" + err);
        Path root = tmp.resolve("tiny-fixed-64");
        assertTrue(Files.isRegularFile(root.resolve("classes/org/hakgen/generated/tinyfixed64/TinyFixed64Allocator.class")));
        JsonNode report = new ObjectMapper().readTree(root.resolve("report.json").toFile());
        assertEquals(4, report.get("results").size(), out.toString());
        for (JsonNode r : report.get("results")) {
            assertTrue(r.get("nsPerOp").asDouble() > 0 && r.get("bytesMapped").asLong() > 0, r.toString());
            assertTrue(r.get("peakIsExact").asBoolean(), r.toString());
            assertTrue(r.has("speedupOverBaseline"), r.toString());
        }
        assertEquals("generic:out:tiny-fixed-64", report.get("baselines").get("tiny-fixed-64").asText());
        String html = Files.readString(root.resolve("report.html"));
        assertTrue(html.contains("<svg ") && html.contains("tiny-fixed-64 (generated)"));
        String printed = out.toString();
        assertTrue(printed.contains("[4/4] tiny-fixed-64") && printed.contains("measured"), "progress is shown: " + printed);
        assertTrue(printed.contains("× baseline"), printed);
    }

    @Test
    void forksOfTheTrialsRunInTurnAndEachTrialMergesItsForks(@TempDir Path tmp) throws Exception {
        assertEquals(Hakgen.OK, run("--profile", "tiny-fixed-64", "--smoke", "--forks", "2", "--out", tmp.toString()),
                out + "\n" + err);
        String printed = out.toString();
        int lastFirstRound = printed.lastIndexOf("fork 1 of 2"), firstSecondRound = printed.indexOf("fork 2 of 2");
        assertTrue(lastFirstRound >= 0 && firstSecondRound > lastFirstRound,
                "every trial's first fork runs before any trial's second: " + printed);
        assertTrue(printed.contains("[4/4] tiny-fixed-64 · tiny-fixed-64 (generated) · heap · fork 2 of 2"), printed);
        JsonNode report = new ObjectMapper().readTree(tmp.resolve("tiny-fixed-64/report.json").toFile());
        for (JsonNode r : report.get("results")) {
            assertEquals(2 * JmhRun.Effort.SMOKE.measurements(), r.get("samples").asInt(),
                    "a trial's result holds the measured iterations of both its forks: " + r);
            assertTrue(r.get("nsPerOpError").asDouble() > 0, "two forks give an error: " + r);
        }
    }

    @Test
    void forksAreValidatedAndOverrideTheMode(@TempDir Path tmp) {
        assertEquals(Hakgen.USAGE, run("--profile", "tiny-fixed-64", "--forks", "0", "--out", tmp.toString()));
        assertTrue(err.toString().contains("hakgen: Invalid value for option '--forks': '0' is not valid; valid: 1 to 50"),
                err.toString());
        assertFalse(Files.exists(tmp.resolve("tiny-fixed-64")), "nothing runs on a usage error");
        EffortOptions e = new EffortOptions();
        e.full = true;
        e.forks = 7;
        assertEquals(new JmhRun.Effort("full", 7, 5, 10, 2), e.effort());
    }

    @Test
    void anInvalidProfileWritesNothing(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("broken.yaml");
        Files.writeString(bad, "name: broken\ndescription: x\nclasses: [{ size: 12, share: 1.0 }]\n"
                + "workload: { kind: fixed, sizes: [16], workset: 4 }\n");
        assertEquals(Hakgen.INVALID, run("--profile", bad.toString(), "--smoke", "--out", tmp.resolve("o").toString()));
        assertFalse(Files.exists(tmp.resolve("o")), "nothing is written for an invalid profile");
        assertTrue(err.toString().contains("broken.yaml:3"), err.toString());
    }

    @Test
    void anOutFolderThatCannotBeMadeIsNamedNotAStackTrace(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("taken"), "a file, not a folder");
        Path out = file.resolve("reports");
        assertEquals(Hakgen.IO, run("--profile", "tiny-fixed-64", "--smoke", "--out", out.toString()), out + "\n" + err);
        String e = err.toString();
        assertTrue(e.contains("hakgen: a file could not be read or written: ") && e.contains(file.toString()), e);
        assertFalse(e.contains("\tat "), "no stack trace: " + e);
        assertEquals("a file, not a folder", Files.readString(file), "the file in the way is left as it was");
    }

    /** A list option that names nothing runs nothing and says so, rather than an empty table with exit 0. */
    @Test
    void emptyListsOfProfilesOrBuildsAreUsageErrors() {
        assertEquals(Hakgen.USAGE, run("compare", "--profiles", ",,"));
        assertTrue(err.toString().contains("hakgen compare: --profiles names no profile; valid: profile names or files "
                + "separated by commas, such as c2c3-heavy,"), err.toString());
        assertEquals(Hakgen.USAGE, run("compare", "--profiles", "generic", "--workloads", "generic,,larson"));
        assertTrue(err.toString().contains("--workloads generic,,larson names an empty profile"), err.toString());
        assertEquals(Hakgen.USAGE, run("replay", "--trace", "any", "--build", ","));
        assertTrue(err.toString().contains("hakgen replay: --build names no build"), err.toString());
        assertFalse(out.toString().contains("bench:"), "nothing was run: " + out);
    }

    /** A file with no allocation in it (here not a trace at all) is refused before any benchmark runs. */
    @Test
    void replayingAFileWithNoAllocationsIsRefused(@TempDir Path tmp) throws Exception {
        Path passwd = Files.writeString(tmp.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        assertEquals(Hakgen.INVALID, run("replay", "--trace", passwd.toString(), "--smoke"));
        assertTrue(err.toString().contains("hakgen replay: " + passwd + " has no allocations (" + passwd + ": 0 events, 1 line(s) "
                + "skipped"), err.toString());
        assertFalse(out.toString().contains("bench:"), "nothing was run: " + out);
    }

    /** A profile whose workload replays a trace that is missing or is not a trace: one line, exit 1, nothing written. */
    @Test
    void aTraceWorkloadThatCannotBeReplayedIsNamedAndNothingIsWritten(@TempDir Path tmp) throws Exception {
        String gcc = Files.readString(Path.of(System.getProperty("hakgen.home", "..")).resolve("profiles/gcc.yaml"));
        Path notATrace = Files.writeString(tmp.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        for (String trace : List.of(tmp.resolve("missing.mtrace").toString(), notATrace.toString())) {
            String name = trace.endsWith("passwd") ? "not-a-trace" : "missing-trace";
            Path profile = Files.writeString(tmp.resolve(name + ".yaml"), gcc.replace("name: gcc", "name: " + name)
                    .replace("file: gcc.mtrace.gz", "file: " + trace));
            Path out = tmp.resolve("out-" + name);
            assertEquals(Hakgen.INVALID, run("--profile", profile.toString(), "--smoke", "--out", out.toString()), out + "\n" + err);
            String e = err.toString();
            assertTrue(e.contains("hakgen: " + profile + ": workload: ") && e.contains(trace) && e.contains("; nothing was written"), e);
            assertFalse(e.contains("\tat "), "no stack trace: " + e);
            assertFalse(Files.exists(out), "nothing was written under " + out);
        }
        assertTrue(err.toString().contains("has no allocations"), err.toString());
    }
}
