package org.hakgen.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The size classes of one build: the tiny table from {@link HakConfig#tinyClasses()}, then the mid
 * classes up to {@link #midMax} ({@link HakConfig#midMax()}); anything larger is a large allocation with
 * a mapping of its own.
 *
 * <p>Mid classes step by quarters of each power of two (1280, 1536, 1792, 2048, 2560, … 32768), so a mid
 * request wastes under 20%; those below the last tiny class are left out. Above 32 KiB the classes keep
 * the 512 KiB slab: 8, 4 or 2 blocks to it. A class is identified by its
 * index {@code cls}: tiny classes first, then mid.
 *
 * <p>Per class this fixes the slab geometry: how many 64 KiB units a slab spans (1 for tiny; for mid,
 * the fewest of 1, 2, 4 or 8 that hold {@value #MID_SLAB_BLOCKS} blocks, and 8 above 32 KiB),
 * the colour stride that staggers slab starts so that slabs of different classes do not all compete for
 * the same L1/L2 sets (PERF-NOTES: 20–40% on random-mixed), and the refill batch.
 *
 * <p>Alignment: every block is 8-byte aligned; a power-of-two class is aligned to its size up to
 * 4 KiB, because slabs start unit-aligned and the colour offset is a multiple of the block size.
 */
final class SizeClasses {
    /** Slab units of the largest mid slab: 512 KiB holds 16 blocks of 32 KiB, and 2 of the largest mid class. */
    static final int MID_SLAB_UNITS = 8;
    /**
     * Blocks a mid slab holds at least, up to 32 KiB blocks: a slab is one class's, so a program that
     * uses a mid class at all holds one of its slabs, and with every mid slab 512 KiB the traces' replays
     * held 3–6.5× their peak of live bytes (sqlite: 13.6 MiB mapped for 2.1 MiB live).
     */
    static final int MID_SLAB_BLOCKS = 16;

    /** Colours cycle over this many offsets. */
    private static final int COLOURS = 8;

    /** {@code (off * reciprocal) >>> RECIPROCAL_SHIFT == off / size} for every offset inside a slab. */
    static final int RECIPROCAL_SHIFT = 40;

    /** Largest request served from slabs; above it a request gets its own mapping. */
    final int midMax;
    final int tinyCount;
    final int count;
    final int[] size;
    final int[] slabUnits;
    final int[] colourStride;
    final int[] batch;
    final long[] reciprocal;
    /** Every block of the class starts at a multiple of this: the lowest set bit of its size and colour stride. */
    final int[] alignment;

    /** Class of each request size rounded up to 8 bytes: {@code lookup[(size + 7) >>> 3]}. */
    private final byte[] lookup;

    SizeClasses(List<Integer> tinyClasses, int midMax) {
        this.midMax = midMax;
        List<Integer> all = new ArrayList<>(tinyClasses);
        int tinyMax = tinyClasses.getLast();
        for (int base = 512; base < midMax; base <<= 1) {
            for (int quarter = 1; quarter <= 4; quarter++) {
                int s = base + base / 4 * quarter;
                if (s > tinyMax) {
                    all.add(s);
                }
            }
        }
        tinyCount = tinyClasses.size();
        count = all.size();
        size = all.stream().mapToInt(Integer::intValue).toArray();
        slabUnits = new int[count];
        colourStride = new int[count];
        batch = new int[count];
        reciprocal = new long[count];
        alignment = new int[count];
        for (int c = 0; c < count; c++) {
            int s = size[c];
            slabUnits[c] = c < tinyCount ? 1 : midSlabUnits(s);
            // Colour only where the stagger costs little of a 64 KiB slab: at most 7 × 256 B.
            colourStride[c] = s > 256 ? 0 : Integer.bitCount(s) == 1 ? Math.max(64, s) : 64;
            // A refill moves about 16 KiB, but never fewer than 2 nor more than 64 blocks.
            batch[c] = Math.clamp(16 * 1024 / s, 2, 64);
            reciprocal[c] = ((1L << RECIPROCAL_SHIFT) + s - 1) / s;
            int stride = colourStride[c] == 0 ? 1 << Chunk.UNIT_SHIFT : colourStride[c];
            alignment[c] = Math.min(Integer.lowestOneBit(s), Integer.lowestOneBit(stride));
        }
        lookup = new byte[(midMax >>> 3) + 1];
        int c = 0;
        for (int i = 0; i < lookup.length; i++) {
            while (size[c] < i << 3) {
                c++;
            }
            lookup[i] = (byte) c;
        }
    }

    /** Units of a mid slab of {@code size}-byte blocks: the fewest of 1, 2, 4 and 8 that hold {@link #MID_SLAB_BLOCKS} of them. */
    static int midSlabUnits(int size) {
        int units = 1;
        while (units < MID_SLAB_UNITS && ((long) units << Chunk.UNIT_SHIFT) < (long) MID_SLAB_BLOCKS * size) {
            units <<= 1;
        }
        return units;
    }

    /** Class of a request of {@code bytes} (0 … {@link #midMax}); 0 bytes get the smallest class. */
    int classOf(long bytes) {
        return lookup[(int) ((bytes + 7) >>> 3)];
    }

    /** A copy of the lookup {@link #classOf} reads: {@code table()[(size + 7) >>> 3]}. */
    byte[] table() {
        return lookup.clone();
    }

    boolean isTiny(int cls) {
        return cls < tinyCount;
    }

    /** Bytes a slab of this class spans. */
    long slabBytes(int cls) {
        return (long) slabUnits[cls] << Chunk.UNIT_SHIFT;
    }

    /** Offset of the first block from the slab's start, for the slab at {@code colour} (any int). */
    int colourOffset(int cls, int colour) {
        return (colour & (COLOURS - 1)) * colourStride[cls];
    }

    /** Blocks a slab of this class holds when its first block starts {@code offset} bytes in. */
    int capacity(int cls, int offset) {
        return (int) ((slabBytes(cls) - offset) / size[cls]);
    }

    @Override
    public String toString() {
        return "SizeClasses" + Arrays.toString(size);
    }
}
