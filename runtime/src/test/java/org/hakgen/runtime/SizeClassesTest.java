package org.hakgen.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeClassesTest {
    private final SizeClasses classes = new SizeClasses(HakConfig.defaults().tinyClasses());

    @Test
    void midClassesStepByQuarters() {
        assertEquals(8 + 20, classes.count);
        assertEquals(1280, classes.size[classes.tinyCount]);
        assertEquals(32768, classes.size[classes.count - 1]);
    }

    @Test
    void classOfPicksTheSmallestClassThatHolds() {
        for (int bytes = 0; bytes <= SizeClasses.MID_MAX; bytes++) {
            int c = classes.classOf(bytes);
            assertTrue(classes.size[c] >= bytes, "class of " + bytes);
            assertTrue(c == 0 || classes.size[c - 1] < bytes, "class of " + bytes + " is not the smallest");
        }
    }

    /** The reciprocal multiply must equal division for every offset a slab can hold, in every class. */
    @Test
    void reciprocalIndexEqualsDivision() {
        for (int c = 0; c < classes.count; c++) {
            long size = classes.size[c];
            long span = classes.slabBytes(c);
            for (long off = 0; off < span; off += 8) {
                long i = (off * classes.reciprocal[c]) >>> SizeClasses.RECIPROCAL_SHIFT;
                if (i != off / size) {
                    throw new AssertionError("class " + size + ": offset " + off + " gives " + i);
                }
            }
        }
    }

    @Test
    void classAlignmentHoldsForEveryBlockOfEveryColour() {
        for (int c = 0; c < classes.count; c++) {
            for (int colour = 0; colour < 8; colour++) {
                int off = classes.colourOffset(c, colour);
                for (int i = 0; i < classes.capacity(c, off); i++) {
                    long at = off + (long) i * classes.size[c];   // slabs start 64 KiB aligned
                    assertEquals(0, at % classes.alignment[c], "class " + classes.size[c] + " block " + i);
                }
            }
            assertTrue(classes.alignment[c] >= 8);
        }
    }

    @Test
    void colourOffsetsKeepPowerOfTwoAlignment() {
        for (int c = 0; c < classes.count; c++) {
            int size = classes.size[c];
            for (int colour = 0; colour < 8; colour++) {
                int off = classes.colourOffset(c, colour);
                if (Integer.bitCount(size) == 1) {
                    assertEquals(0, off % Math.min(size, 4096), "class " + size + " colour " + colour);
                }
                assertEquals(0, off % 8);
            }
        }
    }
}
