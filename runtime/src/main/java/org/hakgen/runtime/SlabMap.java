package org.hakgen.runtime;

import java.util.Arrays;

/**
 * From any address to the slab that holds it, in two array loads and no hashing.
 *
 * <pre>
 *   address bits  | 46 ............ 32 | 31 ........ 16 | 15 ..... 0 |
 *                 |  leaf index (15)   | unit (16)      | in unit    |
 *   leaves[addr >>> 32][(addr >>> 16) & 0xFFFF] -> Slab, or null
 * </pre>
 *
 * A leaf covers 4 GiB of address space with 65,536 references (256 KiB of heap with compressed oops) and
 * is created the first time a chunk lands in its range; until then the range shares one empty leaf. Addresses at or above 2^47 (beyond user space
 * on x86-64 with 4-level paging) and addresses in units without a slab map to null: such a free is then
 * classified on the slow path as large, freed-slab or foreign.
 *
 * <p>Written only under the {@link SharedPool}'s lock; read without locks. A reader that sees a stale
 * null treats the address as not ours, which is only possible for an address the reader did not get
 * from this allocator through a happens-before edge.
 *
 * <p>The fast paths do not use it: their guard is {@link SlabRange}'s arithmetic. It serves the slow
 * paths (usableSize, realloc, owns, draining) and words the guard's error messages.
 */
final class SlabMap {
    private static final int LEAF_SHIFT = 32;
    private static final int LEAF_BITS = LEAF_SHIFT - Chunk.UNIT_SHIFT;
    private static final int LEAF_MASK = (1 << LEAF_BITS) - 1;
    private static final int TOP = 1 << (47 - LEAF_SHIFT);

    /** A leaf with no slab: every leaf of the table starts as this one, and so does the guard entry. */
    private static final Slab[] EMPTY = new Slab[1 << LEAF_BITS];

    /** Leaves by {@code address >>> 32}; the last entry, always {@link #EMPTY}, takes every address at or above 2^47. */
    private final Slab[][] leaves = new Slab[TOP + 1][];

    SlabMap() {
        Arrays.fill(leaves, EMPTY);
    }

    /**
     * The slab holding {@code address}, or null. Cost: 2 dependent loads and no branch but the bounds
     * checks; under 35 bytecode bytes, so HotSpot inlines it at every call site.
     */
    Slab lookup(long address) {
        return leaves[(int) Math.min(address >>> LEAF_SHIFT, TOP)][(int) (address >>> Chunk.UNIT_SHIFT) & LEAF_MASK];
    }

    /** Points each unit of {@code slab} at it; {@code null} clears them. */
    void set(Chunk chunk, int firstUnit, int units, Slab slab) {
        long first = chunk.unitAddress(firstUnit);
        int top = (int) (first >>> LEAF_SHIFT);
        Slab[] leaf = leaves[top];
        if (leaf == EMPTY) {
            leaf = new Slab[1 << LEAF_BITS];
            leaves[top] = leaf;
        }
        int unit = (int) (first >>> Chunk.UNIT_SHIFT) & LEAF_MASK;
        for (int u = 0; u < units; u++) {
            leaf[unit + u] = slab;
        }
    }
}
