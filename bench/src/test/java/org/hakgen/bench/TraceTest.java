package org.hakgen.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.hakgen.generator.Profiles;
import org.hakgen.generator.TraceException;
import org.hakgen.runtime.HakConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceTest {
    static Trace read(String text) throws IOException {
        return Trace.read("t.mtrace", new BufferedReader(new StringReader(text)));
    }

    static List<String> decode(long[] program) {
        List<String> out = new ArrayList<>();
        for (long e : program) {
            out.add(switch (Trace.op(e)) {
                case Trace.ALLOC -> "alloc " + Trace.slot(e) + " " + Trace.size(e);
                case Trace.FREE -> "free " + Trace.slot(e);
                case Trace.REALLOC -> "realloc " + Trace.slot(e) + " " + Trace.size(e);
                case Trace.CALLOC -> "calloc " + Trace.slot(e) + " " + Trace.size(e);
                default -> "wait " + Trace.slot(e) + " " + Trace.size(e);
            });
        }
        return out;
    }

    @Test
    void everyLineKindBecomesAProgramEntry() throws IOException {
        Trace t = read("""
                = Start
                @ [0x1] + 0x1000 0x30 t=7
                @ [0x1] + 0x2000 0x18 t=7 k=calloc
                @ ./prog:[0x4005d4] + (nil) 0x7fffffffffff t=7
                @ [0x1] < 0x2000 t=7
                @ [0x1] > 0x3000 0x400 t=7
                @ [0x1] ! 0x3000 0x10000000 t=7
                @ [0x1] - 0x1000 t=7
                @ [0x1] + 0x1000 0x10 t=7 k=posix_memalign a=64
                @ [0x1] - 0xdead t=7
                something else entirely
                @ [0x1] - 0x3000 t=7 k=realloc
                = End
                """);
        assertEquals(1, t.threads());
        assertEquals(List.of("alloc 0 48", "calloc 1 24", "realloc 1 1024", "free 0", "alloc 0 16", "free 1", "free 0"),
                decode(t.programs()[0]), "the block still live at the end is freed last");
        assertEquals(2, t.slotCount());
        assertEquals(48 + 1024, t.peakLive(), "the realloc grew block 1 to 1024 B while block 0 held 48");
        assertEquals(9, t.events());
        assertEquals(1, t.skipped());
        assertEquals(1, t.unmatched());
        assertEquals(7, t.operations());
    }

    @Test
    void aBlockFreedByAnotherThreadWaitsForItsAllocation() throws IOException {
        Trace t = read("""
                @ [0x1] + 0x1000 0x30 t=1
                @ [0x1] + 0x2000 0x30 t=2
                @ [0x1] - 0x1000 t=2
                @ [0x1] + 0x3000 0x40 t=2
                @ [0x1] - 0x2000 t=1
                """);
        assertEquals(2, t.threads());
        assertEquals(List.of("alloc 0 48", "wait 1 1", "free 1"), decode(t.programs()[0]),
                "thread 1 frees thread 2's block after thread 2's first entry");
        assertEquals(List.of("alloc 1 48", "wait 0 1", "free 0", "alloc 0 64", "free 0"), decode(t.programs()[1]),
                "thread 2 reuses the slot it freed itself without waiting, and frees its live block at the end");
        assertEquals(2, t.crossThreadFrees());
        assertEquals(1, t.peakAt()[0]);
    }

    @Test
    void aTraceIsNamedByItsFileWithoutItsFormatSuffixes() {
        assertEquals("gcc", Replay.traceName(java.nio.file.Path.of("../shared/traces/gcc.mtrace.gz")));
        assertEquals("netty", Replay.traceName(java.nio.file.Path.of("/tmp/netty.jfr")));
    }

    @Test
    void aRequestTooLargeToReplayIsNamed() {
        TraceException e = assertThrows(TraceException.class, () -> read("@ [0x1] + 0x1000 0x2000000000 t=1\n"));
        assertTrue(e.getMessage().startsWith("t.mtrace:1: 137438953472 bytes: more than the 137438953471 a replay holds"),
                e.getMessage());
    }

    @Test
    void aTraceWithNoAllocationIsRefusedNamingWhatWasSkipped() {
        TraceException e = assertThrows(TraceException.class, () -> read("root:x:0:0:root:/root:/bin/bash\nbin:x:1:1\n"));
        assertEquals("t.mtrace has no allocations (t.mtrace: 0 events, 2 line(s) skipped as neither a header ('=') nor an "
                + "event ('@'), the first at line 1); valid: a trace with at least one '+' event", e.getMessage());
        e = assertThrows(TraceException.class, () -> read(""));
        assertEquals("t.mtrace has no allocations (t.mtrace: 0 events); valid: a trace with at least one '+' event",
                e.getMessage());
        e = assertThrows(TraceException.class, () -> read("= Start\n@ [0x1] - 0x10\n"));
        assertTrue(e.getMessage().startsWith("t.mtrace has no allocations (t.mtrace: 1 events"), e.getMessage());
    }

    @Test
    void malformedLinesNameTheFileAndLine() {
        for (String bad : List.of("@ [0x1] + 0x1000", "@ [0x1] + 0x10 12", "@ [0x1] * 0x10 0x10", "@ [0x1]",
                "@ [0x1] > 0x10 0x10", "@ [0x1] + 0x10 0x10 t=x")) {
            TraceException e = assertThrows(TraceException.class, () -> read("= Start\n" + bad + "\n"));
            assertTrue(e.getMessage().startsWith("t.mtrace:2: "), e.getMessage());
        }
        TraceException e = assertThrows(TraceException.class, () -> read("@ [0x1] + 0x10 0x10\n@ [0x1] + 0x10 0x10\n"));
        assertTrue(e.getMessage().contains("t.mtrace:2: address 0x10 is allocated again while live"), e.getMessage());
    }

    /**
     * Reported as skipped, with the reason, when the shared traces are not beside the repository: the
     * tests over each of them then have no cases, and a run's summary would not show that they did not run.
     */
    @Test
    void theSharedTracesAreOnThisMachine() {
        Assumptions.assumeTrue(Files.isDirectory(Profiles.tracesFolder()), "the shared traces are not on this machine ("
                + Profiles.tracesFolder() + "): the tests over each of them did not run");
    }

    /** The shared traces, when this machine has them beside the repository. */
    static Stream<Path> sharedTraces() throws IOException {
        Path folder = Profiles.tracesFolder();
        Assumptions.assumeTrue(Files.isDirectory(folder), "the shared traces are not on this machine: " + folder);
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".mtrace.gz")).sorted().toList().stream();
        }
    }

    /** Replays {@code t} once, its threads as threads, against {@code b}. */
    static void replay(Trace t, Build b) {
        try (Replayer r = new Replayer(t, b, Build.Api.ALLOCATOR)) {
            r.replay();
        }
    }

    @ParameterizedTest
    @MethodSource("sharedTraces")
    void replayingASharedTraceLeavesNothingInUse(Path file) throws IOException {
        Trace t = Trace.read(file);
        assertTrue(t.events() > 100_000, "events " + t.events());
        try (HakBuild b = (HakBuild) Builds.open("generic")) {
            replay(t, b);
            replay(t, b);   // twice: the workers' caches are warm the second time
            assertEquals(0, b.stats().bytesInUse(), file + ": bytes in use after the replay");
            assertEquals(0, b.stats().largeBlocks(), file + ": large blocks still mapped after the replay");
        }
    }

    @Test
    void aRecordedTraceReadsAndReplaysAsTheOriginal(@TempDir Path dir) throws IOException {
        // Each thread's events after its first wait on the other's, so every concurrent replay runs them in
        // this order and the recording has the original's peak (a free-running pair could interleave differently).
        Trace original = read("""
                @ [0x1] + 0x1000 0x30 t=1
                @ [0x1] - 0x1000 t=2
                @ [0x1] + 0x2000 0x500 t=2
                @ [0x1] + 0x3000 0x40 t=2 k=calloc
                @ [0x1] < 0x3000 t=2
                @ [0x1] > 0x4000 0x9000 t=2
                @ [0x1] - 0x4000 t=1
                @ [0x1] + 0x5000 0x18 t=1
                """);
        assertEquals(0x500 + 0x9000, original.peakLive());
        Path file = dir.resolve("rec.mtrace.gz");
        try (HakBuild b = new HakBuild("generic", org.hakgen.runtime.Hakmem.generic(HakConfig.defaults().toBuilder()
                .trace(file).build()))) {
            replay(original, b);
        }
        Trace recorded = Trace.read(file);
        assertEquals(original.operations(), recorded.operations(), "operations");
        assertEquals(original.peakLive(), recorded.peakLive(), "peak live bytes");
        assertEquals(original.threads(), recorded.threads(), "threads");
        assertEquals(0, recorded.unmatched() + recorded.skipped());
        try (HakBuild b = (HakBuild) Builds.open("generic")) {
            replay(recorded, b);
            assertEquals(0, b.stats().bytesInUse());
        }
    }
}
