package org.hakgen.runtime;

/**
 * One 2 MiB mapping from the OS, aligned to its size, cut into 32 units of 64 KiB.
 *
 * <pre>
 *   base (2 MiB aligned)
 *   | unit 0 | unit 1 | unit 2 | ... | unit 31 |
 *   |  slab  |  slab  |   free |     |         |      a tiny slab spans 1 unit,
 *   |<------ mid slab (8 units) ---->|         |      a mid slab 1, 2, 4 or 8, aligned to its units
 * </pre>
 *
 * <p>{@code freeUnits} has bit {@code i} set when unit {@code i} belongs to no slab. A chunk's memory
 * holds only blocks: its metadata (this object, the slabs, the slab map) lives on the Java heap, so the
 * allocator never allocates its own bookkeeping (hakmem hung when it did). Guarded by the
 * {@link SharedPool}'s lock.
 */
final class Chunk {
    /** 2 MiB: one transparent huge page on x86-64. */
    static final int SHIFT = 21;
    static final long SIZE = 1L << SHIFT;
    /** 64 KiB: a tiny slab. */
    static final int UNIT_SHIFT = 16;
    static final int UNITS = 1 << (SHIFT - UNIT_SHIFT);
    private static final int ALL_FREE = (int) ((1L << UNITS) - 1);

    final long base;
    /** Serial number, mixed into slab colours so equal units of different chunks differ. */
    final int serial;
    int freeUnits = ALL_FREE;
    /** Whether the pages of free units were given back with madvise since they were last used. */
    boolean discarded;

    Chunk(long base, int serial) {
        this.base = base;
        this.serial = serial;
    }

    boolean isEmpty() {
        return freeUnits == ALL_FREE;
    }

    /** First unit of a free run of {@code units} units aligned to {@code units}, or -1. */
    int findRun(int units) {
        int run = (int) ((1L << units) - 1);
        for (int u = 0; u < UNITS; u += units) {
            if ((freeUnits >>> u & run) == run) {
                return u;
            }
        }
        return -1;
    }

    void take(int unit, int units) {
        freeUnits &= ~((int) ((1L << units) - 1) << unit);
        discarded = false;
    }

    void give(int unit, int units) {
        freeUnits |= (int) ((1L << units) - 1) << unit;
    }

    long unitAddress(int unit) {
        return base + ((long) unit << UNIT_SHIFT);
    }
}
