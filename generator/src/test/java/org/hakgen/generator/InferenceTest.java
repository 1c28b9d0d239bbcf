package org.hakgen.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InferenceTest {
    /** A trace of {@code n} blocks of each size, each freed right after, on one thread. */
    static Path trace(Path dir, int n, long... sizes) throws IOException {
        StringBuilder b = new StringBuilder("= Start\n");
        long address = 0x10000;
        for (long size : sizes) {
            for (int i = 0; i < n; i++) {
                b.append("@ [0x1] + 0x").append(Long.toHexString(address)).append(" 0x").append(Long.toHexString(size))
                        .append(" t=1\n@ [0x1] - 0x").append(Long.toHexString(address)).append(" t=1\n");
                address += 0x1000;
            }
        }
        Path file = dir.resolve("t.mtrace");
        Files.writeString(file, b.append("= End\n"));
        return file;
    }

    @Test
    void aSingleSizeGetsAClassOfExactlyThatSize(@TempDir Path dir) throws IOException, ProfileException {
        for (long size : new long[] {24, 40, 200, 1000, 1024}) {
            Inference.Result r = Inference.infer(trace(dir, 50, size), "one", 8, "t.mtrace");
            assertEquals(List.of((int) size), r.classes(), "requests of " + size + " B only");
            assertEquals((size + 7) / 8 * 8 - size, r.waste() / 50, "waste per request");
            Profile p = ProfileReader.read("one.yaml", "one", Inference.validated(r, "one.yaml", "one").clone());
            assertEquals(1.0, p.classes().getFirst().share(), 1e-6);
            assertEquals(0.0, p.mid(), 1e-9);
        }
    }

    /** {@code counts[i]} requests of {@code sizes[i]} bytes, in that order. */
    private static long[] mix(long[] sizes, int[] counts) {
        java.util.stream.LongStream.Builder all = java.util.stream.LongStream.builder();
        for (int i = 0; i < sizes.length; i++) {
            for (int k = 0; k < counts[i]; k++) {
                all.add(sizes[i]);
            }
        }
        return all.build().toArray();
    }

    private static Integer inferredMidMax(Path trace) throws IOException, ProfileException {
        Inference.Result r = Inference.infer(trace, "m", 8, "t.mtrace");
        Profile p = ProfileReader.read("m.yaml", "m", Inference.validated(r, "m.yaml", "m"));
        return p.layers().mid() == null ? null : p.layers().mid().max();
    }

    @Test
    void theMidPoolIsRaisedToHoldMostRequestsAbove32KiBWhereTheyAreCommon(@TempDir Path dir)
            throws IOException, ProfileException {
        // 5% above 32 KiB: 60% of them up to 64 KiB, all up to 128 KiB.
        assertEquals(131072, inferredMidMax(trace(dir, 1, mix(new long[] {64, 61_440, 102_400}, new int[] {95, 3, 2}))));
        // 5% above 32 KiB, all up to 64 KiB.
        assertEquals(65536, inferredMidMax(trace(dir, 1, mix(new long[] {64, 61_440}, new int[] {95, 5}))));
        // Above 256 KiB: no maximum holds 90% of them.
        assertNull(inferredMidMax(trace(dir, 1, mix(new long[] {64, 1 << 20}, new int[] {95, 5}))));
        // 0.5% above 32 KiB: mappings serve them (hakmem's 32 KiB).
        assertNull(inferredMidMax(trace(dir, 1, mix(new long[] {64, 61_440}, new int[] {995, 5}))));
    }

    @Test
    void theTableIsOptimalAgainstEveryTableOfAFewClasses() {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 30; round++) {
            long[] count = new long[Inference.GRANULES + 1], bytes = new long[Inference.GRANULES + 1];
            for (int i = 0; i < 6; i++) {   // a few sizes up to 128 B, so every table of up to 3 classes can be tried
                int g = 1 + random.nextInt(16);
                long n = 1 + random.nextInt(1000);
                count[g] += n;
                bytes[g] += n * (8L * g - random.nextInt(8));
            }
            Inference.Histogram h = new Inference.Histogram(count, bytes, random.nextInt(5), 0);
            for (int budget = 1; budget <= 3; budget++) {
                List<Integer> best = Inference.optimalClasses(h, budget);
                long bestWaste = Inference.waste(h, best);
                assertTrue(best.size() <= budget, best + " has more than " + budget + " classes");
                for (List<Integer> table : tables(budget, 16)) {
                    assertTrue(bestWaste <= Inference.waste(h, table),
                            "round " + round + ": " + table + " wastes less than the chosen " + best);
                }
            }
        }
    }

    /** Every ascending table of 1 to {@code k} classes over granules 1 … {@code granules}, and up to 1024 B. */
    static List<List<Integer>> tables(int k, int granules) {
        List<List<Integer>> out = new ArrayList<>();
        extend(new ArrayList<>(), 1, k, granules, out);
        return out;
    }

    private static void extend(List<Integer> prefix, int from, int k, int granules, List<List<Integer>> out) {
        if (!prefix.isEmpty()) {
            out.add(List.copyOf(prefix));
        }
        if (prefix.size() == k) {
            return;
        }
        List<Integer> candidates = new ArrayList<>();
        for (int g = from; g <= granules; g++) {
            candidates.add(8 * g);
        }
        candidates.add(1024);
        for (int c : candidates) {
            if (prefix.isEmpty() || c > prefix.getLast()) {
                prefix.add(c);
                extend(prefix, c / 8 + 1, k, granules, out);
                prefix.removeLast();
            }
        }
    }

    @Test
    void aPatternIsPredictableAndACoinTossIsNot() {
        Inference.Predictor pattern = new Inference.Predictor(4);
        int[] loop = {0, 0, 1, 2, 1, 3, 0, 2};
        for (int i = 0; i < 80_000; i++) {
            pattern.next(1, loop[i % loop.length]);
        }
        assertTrue(pattern.predictability() > 0.999, "a loop of 8 classes: " + pattern.predictability());

        Inference.Predictor coin = new Inference.Predictor(4);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            coin.next(1, random.nextInt(10) < 7 ? 1 : 2);
        }
        assertEquals(0.7, coin.predictability(), 0.02, "drawn independently, 70% one class: the best guess is that class");

        Inference.Predictor threads = new Inference.Predictor(4);
        for (int i = 0; i < 80_000; i++) {
            threads.next(i % 2, i % 4 < 2 ? 0 : 3);   // each thread alternates 0 and 3: predictable within it
        }
        assertTrue(threads.predictability() > 0.999, "each thread's own sequence: " + threads.predictability());
        assertEquals(1.0, new Inference.Predictor(4).predictability(), "no mallocs, nothing mispredicted");
    }

    @Test
    void theInferredProfileStatesItsPredictability(@TempDir Path dir) throws IOException, ProfileException {
        long[] sizes = new long[3000];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = i % 3 == 2 ? 100 : 16;   // 16, 16, 100, 16, 16, 100, …
        }
        Path file = dir.resolve("p.mtrace");
        StringBuilder b = new StringBuilder("= Start\n");
        for (int i = 0; i < sizes.length; i++) {
            b.append("@ [0x1] + 0x").append(Long.toHexString(0x10000 + 0x100L * i)).append(" 0x")
                    .append(Long.toHexString(sizes[i])).append(" t=1\n");
        }
        Files.writeString(file, b.append("= End\n"));
        Inference.Result r = Inference.infer(file, "p", 8, "p.mtrace");
        Profile p = ProfileReader.read("p.yaml", "p", Inference.validated(r, "p.yaml", "p"));
        assertTrue(p.predictability() > 0.99, "a repeating pattern: " + p.predictability());
    }

    @Test
    void theInferredProfileStatesItsCrossThreadFreesAndTheGuardFollows(@TempDir Path dir) throws IOException, ProfileException {
        // 20 blocks from thread 1: 12 freed by thread 1, 4 by thread 2, 4 moved by a realloc on thread 2.
        StringBuilder b = new StringBuilder("= Start\n");
        for (int i = 0; i < 20; i++) {
            b.append("@ [0x1] + 0x").append(Long.toHexString(0x10000 + 0x100L * i)).append(" 0x40 t=1\n");
        }
        for (int i = 0; i < 20; i++) {
            String block = Long.toHexString(0x10000 + 0x100L * i);
            if (i < 12) {
                b.append("@ [0x1] - 0x").append(block).append(" t=1\n");
            } else if (i < 16) {
                b.append("@ [0x1] - 0x").append(block).append(" t=2\n");
            } else {
                b.append("@ [0x1] < 0x").append(block).append(" t=2\n@ [0x1] > 0x")
                        .append(Long.toHexString(0x90000 + 0x100L * i)).append(" 0x80 t=2\n");
            }
        }
        Path file = dir.resolve("x.mtrace");
        Files.writeString(file, b.append("= End\n"));
        Inference.Result r = Inference.infer(file, "x", 8, "x.mtrace");
        assertEquals(0.4, r.crossThreadFrees(), 1e-9, "8 of 20 frees, realloc's included");
        Profile p = ProfileReader.read("x.yaml", "x", Inference.validated(r, "x.yaml", "x"));
        assertEquals(0.4, p.crossThreadFrees(), 1e-6);
        assertTrue(r.yaml().contains("# 8 of 20 frees by a thread other than the allocating one."), r.yaml());
        assertTrue(Planner.plan(p, "0".repeat(64), null, "test").plan().config().guardSeal(), "40% of frees cross threads");
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

    static Stream<Path> sharedTraces() throws IOException {
        Path folder = Profiles.tracesFolder();
        Assumptions.assumeTrue(Files.isDirectory(folder), "the shared traces are not on this machine: " + folder);
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".mtrace.gz")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("sharedTraces")
    void onEachSharedTraceTheTableWastesNoMoreThanTheDefaultAndTheResultIsDeterministic(Path file)
            throws IOException, ProfileException {
        String name = Profiles.nameOf(file).replace(".mtrace.gz", "");
        Inference.Result a = Inference.infer(file, name, 8, file.getFileName().toString());
        assertTrue(a.waste() <= a.defaultWaste(), name + ": waste " + a.waste() + " > default " + a.defaultWaste());
        assertEquals(a.waste(), Inference.waste(a.histogram(), a.classes()));
        Inference.Result b = Inference.infer(file, name, 8, file.getFileName().toString());
        assertEquals(a.yaml(), b.yaml(), "inferring twice gives the same profile");
        Profile p = ProfileReader.read(name + ".yaml", name, Inference.validated(a, name + ".yaml", name));
        assertEquals(Profile.Workload.Kind.TRACE, p.workload().kind());
        Path committed = Path.of("..", "profiles", name + ".yaml");
        if (Files.exists(committed)) {
            assertEquals(a.yaml(), Files.readString(committed),
                    "profiles/" + name + ".yaml is stale: regenerate it with the command in its header");
        }
    }
}
