package org.hakgen.runtime;

/**
 * The front gate: from any address to the slab that holds it, in two array loads and no hashing.
 *
 * <pre>
 *   address bits  | 46 ............ 32 | 31 ........ 16 | 15 ..... 0 |
 *                 |  leaf index (15)   | unit (16)      | in unit    |
 *   leaves[addr >>> 32][(addr >>> 16) & 0xFFFF] -> Slab, or null
 * </pre>
 *
 * A leaf covers 4 GiB of address space with 65,536 references (256 KiB of heap with compressed oops) and
 * is created the first time a chunk lands in its range. Addresses at or above 2^47 (beyond user space
 * on x86-64 with 4-level paging) and addresses in units without a slab map to null: such a free is then
 * classified on the slow path as large, freed-slab or foreign.
 *
 * <p>Written only under the {@link SharedPool}'s lock; read without locks. A reader that sees a stale
 * null treats the address as not ours, which is only possible for an address the reader did not get
 * from this allocator through a happens-before edge.
 */
final class SlabMap {
    private static final int LEAF_SHIFT = 32;
    private static final int LEAF_BITS = LEAF_SHIFT - Chunk.UNIT_SHIFT;
    private static final int LEAF_MASK = (1 << LEAF_BITS) - 1;

    private final Slab[][] leaves = new Slab[1 << (47 - LEAF_SHIFT)][];

    /** The slab holding {@code address}, or null. Cost: 2 dependent loads and one bounds check. */
    Slab lookup(long address) {
        long top = address >>> LEAF_SHIFT;
        if (top >= leaves.length) {
            return null;
        }
        Slab[] leaf = leaves[(int) top];
        return leaf == null ? null : leaf[(int) (address >>> Chunk.UNIT_SHIFT) & LEAF_MASK];
    }

    /** Points each unit of {@code slab} at it; {@code null} clears them. */
    void set(Chunk chunk, int firstUnit, int units, Slab slab) {
        long first = chunk.unitAddress(firstUnit);
        int top = (int) (first >>> LEAF_SHIFT);
        Slab[] leaf = leaves[top];
        if (leaf == null) {
            leaf = new Slab[1 << LEAF_BITS];
            leaves[top] = leaf;
        }
        int unit = (int) (first >>> Chunk.UNIT_SHIFT) & LEAF_MASK;
        for (int u = 0; u < units; u++) {
            leaf[unit + u] = slab;
        }
    }
}
