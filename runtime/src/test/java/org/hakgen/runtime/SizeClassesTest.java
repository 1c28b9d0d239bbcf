package org.hakgen.runtime;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeClassesTest {

    /** hakmem's table with every valid mid maximum: the geometry must hold for each. */
    static List<SizeClasses> everyMidMax() {
        return IntStream.of(32768, 65536, 131072, 262144)
                .mapToObj(max -> new SizeClasses(HakConfig.defaults().tinyClasses(), max)).toList();
    }

    /** The table a generated build keeps ({@code FrontEnd.classTable}) is the runtime's lookup for every request size up to midMax. */
    @ParameterizedTest
    @ValueSource(ints = {32768, 262144})
    void theClassTableOfAGeneratedBuildIsTheRuntimesLookup(int midMax) {
        HakConfig config = HakConfig.defaults().toBuilder().tinyClasses(List.of(24, 56, 80, 136, 496)).midMax(midMax).build();
        SizeClasses classes = new SizeClasses(config.tinyClasses(), midMax);
        byte[] table = FrontEnd.classTable(config);
        assertEquals(midMax / 8 + 1, table.length);
        for (int size = 0; size <= midMax; size++) {
            assertEquals(classes.classOf(size), table[(size + 7) >>> 3], "class of " + size + " B");
        }
    }

    /** A mid slab holds 16 blocks in as few units as it can (1, 2, 4 or 8); above 32 KiB it is 512 KiB. */
    @ParameterizedTest
    @MethodSource("everyMidMax")
    void midSlabsHoldSixteenBlocksInTheFewestUnits(SizeClasses classes) {
        for (int c = classes.tinyCount; c < classes.count; c++) {
            int units = classes.slabUnits[c];
            assertTrue(List.of(1, 2, 4, 8).contains(units), classes.size[c] + " B: " + units + " units");
            if (classes.size[c] <= 32768) {
                assertTrue(classes.capacity(c, 0) >= SizeClasses.MID_SLAB_BLOCKS, classes.size[c] + " B: " + classes.capacity(c, 0));
                assertTrue(units == 1 || (units / 2 << Chunk.UNIT_SHIFT) / classes.size[c] < SizeClasses.MID_SLAB_BLOCKS,
                        classes.size[c] + " B: half of " + units + " units would do");
            } else {
                assertEquals(SizeClasses.MID_SLAB_UNITS, units);
            }
        }
        assertEquals(List.of(1, 2, 4, 8), IntStream.of(1280, 8192, 16384, 32768).map(SizeClasses::midSlabUnits).boxed().toList());
    }

    /** A spare magazine's room: all its slots up to 32 KiB blocks, then 512 KiB worth, never under 2. */
    @Test
    void spareSlotsHoldOneMidSlabAtMost() {
        assertEquals(List.of(16, 16, 16, 8, 4, 2),
                IntStream.of(16, 1280, 32768, 65536, 131072, 262144).map(FrontEnd::spareSlots).boxed().toList());
    }

    @Test
    void midClassesStepByQuarters() {
        SizeClasses classes = new SizeClasses(HakConfig.defaults().tinyClasses(), HakConfig.MID_MAX_DEFAULT);
        assertEquals(8 + 20, classes.count);
        assertEquals(1280, classes.size[classes.tinyCount]);
        assertEquals(32768, classes.size[classes.count - 1]);
    }

    @ParameterizedTest
    @ValueSource(ints = {65536, 131072, 262144})
    void aHigherMidMaxAddsFourClassesPerDoublingOnTheSameSlab(int midMax) {
        SizeClasses classes = new SizeClasses(HakConfig.defaults().tinyClasses(), midMax);
        int doublings = Integer.numberOfTrailingZeros(midMax) - 15;
        assertEquals(8 + 20 + 4 * doublings, classes.count);
        assertEquals(40960, classes.size[8 + 20]);
        assertEquals(8 + 20, classes.classOf(32769));
        assertEquals(midMax, classes.size[classes.count - 1]);
        assertEquals(classes.count - 1, classes.classOf(midMax));
        assertEquals(512 * 1024 / midMax, classes.capacity(classes.count - 1, 0));
    }

    @ParameterizedTest
    @MethodSource("everyMidMax")
    void classOfPicksTheSmallestClassThatHolds(SizeClasses classes) {
        for (int bytes = 0; bytes <= classes.midMax; bytes++) {
            int c = classes.classOf(bytes);
            assertTrue(classes.size[c] >= bytes, "class of " + bytes);
            assertTrue(c == 0 || classes.size[c - 1] < bytes, "class of " + bytes + " is not the smallest");
        }
    }

    /** The reciprocal multiply must equal division for every offset a slab can hold, in every class. */
    @ParameterizedTest
    @MethodSource("everyMidMax")
    void reciprocalIndexEqualsDivision(SizeClasses classes) {
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

    @ParameterizedTest
    @MethodSource("everyMidMax")
    void classAlignmentHoldsForEveryBlockOfEveryColour(SizeClasses classes) {
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

    @ParameterizedTest
    @MethodSource("everyMidMax")
    void colourOffsetsKeepPowerOfTwoAlignment(SizeClasses classes) {
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
