package org.hakgen.bench;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JmhRunTest {
    @Test
    void forksThatRanAtDifferentSpeedsAreNamedWithTheirFigures() {
        // The fresh clone's run of 2026-12-03: one fork of the build held 19-20 ns, the other 12-15.
        Optional<String> note = JmhRun.disagreement("c2c3-heavy · c2c3-heavy (generated) · allocator", new double[] {19.67, 13.42});
        assertTrue(note.isPresent());
        assertEquals("c2c3-heavy · c2c3-heavy (generated) · allocator: its forks disagree, 19.67, 13.42 ns/op (the slowest "
                + "1.47× the fastest, over 1.25×): a slow spell of the machine or another JIT compilation, so this figure and "
                + "the ratios taken from it move from run to run; run again, or add forks (--forks 4)", note.get());
        assertTrue(JmhRun.disagreement("t", new double[] {10, 10, 10, 10, 13}).orElseThrow().endsWith("(--forks 10)"),
                "more forks than the run had");
    }

    @Test
    void forksWithinTheirUsualSpreadAndSingleForksSayNothing() {
        assertEquals(Optional.empty(), JmhRun.disagreement("t", new double[] {12.3, 14.9}), "1.21×, as steady forks differ");
        assertEquals(Optional.empty(), JmhRun.disagreement("t", new double[] {10, 12.5}), "1.25× exactly is not over it");
        assertEquals(Optional.empty(), JmhRun.disagreement("t", new double[] {19.67}));
        assertEquals(Optional.empty(), JmhRun.disagreement("t", new double[] {Double.NaN, 12}), "no figure, no claim");
    }
}
