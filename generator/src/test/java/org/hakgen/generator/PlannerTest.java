package org.hakgen.generator;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.hakgen.templates.Plan;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planner's rules for the shape of a build: which classes get a body of their own (the profile's
 * UltraHot classes, and where the class sequence is predictable those of hakmem's default UltraHot sizes,
 * 16 and 32 B), and when the size table serves everything.
 */
class PlannerTest {
    /** hakmem's eight tiny classes with these shares, one line of YAML each. */
    private static String classes(double... shares) {
        int[] sizes = {8, 16, 32, 64, 128, 256, 512, 1024};
        StringBuilder b = new StringBuilder("classes:\n");
        for (int c = 0; c < sizes.length; c++) {
            b.append("  - { size: ").append(sizes[c]).append(", share: ").append(shares[c]).append(" }\n");
        }
        return b.toString();
    }

    private static Plan plan(String yaml) throws ProfileException {
        return resolve(yaml).plan();
    }

    private static Planner.Resolved resolve(String yaml) throws ProfileException {
        Profile p = ProfileReader.read("t.yaml", "t", ("name: t\ndescription: a test profile\n" + yaml)
                .getBytes(StandardCharsets.UTF_8));
        return Planner.plan(p, "0".repeat(64), null, "test");
    }

    @Test
    void anUnpredictableMixIsServedByTheTableAlone() throws ProfileException {
        // Sizes drawn independently: the commonest class, 1024 B at 51.5%, is the best guess of the next one.
        Plan plan = plan(classes(0, 0.001, 0.016, 0.031, 0.062, 0.125, 0.25, 0.515)
                + "workload: { kind: uniform, min: 16, max: 1040, workset: 256 }\n");
        assertTrue(plan.indexed());
        assertEquals(List.of(), plan.dispatch(), "no size test in front of the table to mispredict");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), plan.outOfLine());
        assertFalse(plan.config().ultraHot());
    }

    @Test
    void aPredictableIndexedBuildServes16And32BByNameInFrontOfItsTable() throws ProfileException {
        Plan plan = plan(classes(0, 0.001, 0.016, 0.031, 0.062, 0.125, 0.25, 0.515) + "predictability: 0.95\n"
                + "workload: { kind: uniform, min: 16, max: 1040, workset: 256 }\n");
        assertTrue(plan.indexed(), "no pair of classes dominates");
        assertEquals(List.of(2, 1), plan.dispatch(), "32 B, then 16 B: hottest first");
        assertEquals(List.of(0, 3, 4, 5, 6, 7), plan.outOfLine(), "the table serves the rest");
    }

    @Test
    void aDominantPairGetsUltraHotOnlyWhenItsSequenceIsPredictable() throws ProfileException {
        String mix = classes(0.02, 0.5, 0.4, 0.05, 0.02, 0.005, 0.003, 0.002);
        String workload = "workload: { kind: fixed, sizes: [16, 32], workset: 256 }\n";
        Plan drawn = plan(mix + workload);
        assertTrue(drawn.indexed(), "16 and 32 B drawn independently: a coin toss the dispatch would mispredict");
        assertFalse(drawn.config().ultraHot());
        assertFalse(drawn.config().heapV2());
        assertEquals(List.of(), drawn.dispatch());

        Plan ordered = plan(mix + "predictability: 0.9\n" + workload);
        assertFalse(ordered.indexed());
        assertEquals(List.of(1, 2), ordered.ultraHotClasses());
        assertEquals(List.of(1, 2), ordered.dispatch().subList(0, 2), "16 B, then 32 B: hottest first");
    }

    @Test
    void theGuardSealsCachedBlocksWhereFreesCrossThreads() throws ProfileException {
        String mix = classes(0.1, 0.2, 0.2, 0.2, 0.1, 0.1, 0.05, 0.05);
        String uniform = "workload: { kind: uniform, min: 8, max: 1000, workset: 256 }\n";
        Planner.Resolved larson = resolve(mix + "workload: { kind: larson, min: 8, max: 1000, workset: 1000, threads: 2 }\n");
        assertTrue(larson.plan().config().guardSeal(), "larson's 2 threads: half the frees cross");
        assertTrue(larson.reasons().contains("crossThreadFrees: 50.0% (planner: larson's 2 threads free a block another one "
                + "allocated (N-1)/N of the time)"), larson.reasons().toString());
        assertTrue(larson.reasons().stream().anyMatch(r -> r.startsWith("guard: always on, seal mode (planner: frees cross "
                + "threads at least 5.0% of the time")), larson.reasons().toString());
        assertFalse(plan(mix + uniform).config().guardSeal(), "one thread: the state byte is the cheaper");
        assertFalse(plan(mix + "crossThreadFrees: 0.0499\n" + uniform).config().guardSeal());
        assertTrue(plan(mix + "crossThreadFrees: 0.05\n" + uniform).config().guardSeal());
        Planner.Resolved chosen = resolve(mix + "crossThreadFrees: 0.5\nguard: { seal: false }\n" + uniform);
        assertFalse(chosen.plan().config().guardSeal(), "the profile's own choice wins");
        assertTrue(chosen.reasons().stream().anyMatch(r -> r.startsWith("guard: always on, state mode (from the profile)")),
                chosen.reasons().toString());
        ProfileException e = assertThrows(ProfileException.class, () -> plan(mix + "guard: { seal: sometimes }\n" + uniform));
        assertTrue(e.getMessage().contains("guard.seal: 'sometimes' is not valid; valid: true or false"), e.getMessage());
        e = assertThrows(ProfileException.class, () -> plan(mix + "crossThreadFrees: 1.5\n" + uniform));
        assertTrue(e.getMessage().contains("crossThreadFrees: 1.5 is not valid; valid: a share from 0 to 1"), e.getMessage());
    }

    @Test
    void predictabilityIsAShare() {
        ProfileException e = assertThrows(ProfileException.class,
                () -> plan(classes(0, 0, 0, 1, 0, 0, 0, 0) + "predictability: 1.5\n"
                        + "workload: { kind: fixed, sizes: [64], workset: 256 }\n"));
        assertTrue(e.getMessage().contains("predictability: 1.5 is not valid; valid: a share from 0 to 1"),
                e.getMessage());
    }

    @Test
    void aChainBuildServesThemAfterItsHotClasses() throws ProfileException {
        Plan plan = plan(classes(0, 0, 0, 1, 0, 0, 0, 0) + "workload: { kind: fixed, sizes: [64], workset: 256 }\n");
        assertFalse(plan.indexed());
        assertEquals(List.of(3, 1, 2), plan.dispatch(), "64 B first, its own; then 16 and 32 B");
    }

    @Test
    void anIndexedBuildServesItsUltraHotClassesByName() throws ProfileException {
        // Classes from 64 B: requests of 16 and 32 B both fall in the first class.
        Plan plan = plan("""
                classes:
                  - { size: 64, share: 0.2 }
                  - { size: 96, share: 0.2 }
                  - { size: 128, share: 0.3 }
                  - { size: 256, share: 0.3 }
                layers:
                  ultraHot: { classes: [64, 128] }
                  heapV2: { classes: [64, 96, 128] }
                workload: { kind: uniform, min: 16, max: 256, workset: 256 }
                """);
        assertTrue(plan.indexed());
        assertEquals(List.of(2, 0), plan.dispatch(), "128 B and 64 B, hottest first");
        assertEquals(List.of(1), plan.layeredCold(), "96 B has only HeapV2: behind the mask test");
    }

    @Test
    void theInliningBudgetBoundsTheClassesServedByName() throws ProfileException {
        // With statistics for every layer each body is larger: not every class served by name fits.
        Plan plan = plan(classes(0, 0.2, 0.2, 0.15, 0.15, 0.1, 0.1, 0.1)
                + "layers:\n  ultraHot: { classes: [64, 128] }\n  heapV2: { classes: [16, 32, 64, 128] }\n"
                + "stats: [ultraHot, heapV2, threadList]\npredictability: 0.95\n"
                + "workload: { kind: uniform, min: 16, max: 1040, workset: 256 }\n");
        assertTrue(plan.indexed());
        assertTrue(plan.dispatch().size() < 4, "four bodies with counters do not fit 325 bytes: " + plan.dispatch());
        assertFalse(plan.dispatch().isEmpty());
    }
}
