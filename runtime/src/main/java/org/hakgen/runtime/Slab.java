package org.hakgen.runtime;

/**
 * A run of one chunk's units that holds blocks of one class.
 *
 * <pre>
 *   slab start            first block                                   limit
 *   | colour offset      | block 0 | block 1 | ... | block capacity-1 | tail |
 * </pre>
 *
 * Blocks are handed to thread caches in batches: first from the slab's own free list (an intrusive
 * list: the next pointer is the free block's first word), then by carving the never-used blocks in
 * order. Invariants, checked by {@link Invariants}:
 * <ul>
 *   <li>{@code inUse = carved - freeCount}, and {@code 0 <= freeCount <= carved <= capacity};</li>
 *   <li>the slab is on its class's partial list iff {@code available() > 0};</li>
 *   <li>{@code state(i) == ALLOCATED} iff block {@code i} is held by the program (not by any cache,
 *       slab free list, or uncarved).</li>
 * </ul>
 * The final fields are read without locks on the free path; everything else is guarded by the
 * {@link CentralPool}'s lock of the class, except the blocks' states in {@link SlabRange}, written by the
 * thread that allocates or frees the block (one byte per block, so threads never tear each other's
 * entries). A block's state is FREE from the moment it is carved.
 *
 */
final class Slab {
    final Chunk chunk;
    final int firstUnit;
    final int cls;
    final long size;
    /** Address of block 0. */
    final long start;
    /** Address just past the last block. */
    final long limit;
    final int capacity;
    final long reciprocal;

    long freeHead;
    int freeCount;
    int carved;
    /** Links of the class's partial list. */
    Slab prev, next;
    boolean onPartialList;

    Slab(Chunk chunk, int firstUnit, int cls, SizeClasses classes) {
        this.chunk = chunk;
        this.firstUnit = firstUnit;
        this.cls = cls;
        this.size = classes.size[cls];
        int offset = classes.colourOffset(cls, chunk.serial + firstUnit);
        this.start = chunk.unitAddress(firstUnit) + offset;
        this.capacity = classes.capacity(cls, offset);
        this.limit = start + capacity * size;
        this.reciprocal = classes.reciprocal[cls];
    }

    /**
     * Index of the block at {@code address}, or -1 when the address is not the start of one of this
     * slab's blocks (before the first block, in the tail, or inside a block). One multiply, no division,
     * and, with {@link #isBlock}, small enough (each under 35 bytecode bytes) for HotSpot to inline at
     * every call site.
     *
     * <p>Why one test on {@code i} covers every address: {@code i} is below 2^24, so {@code i * size}
     * is a non-negative offset below 2^39. If it equals {@code off = address - start}, then {@code off} is a multiple of
     * the block size at index {@code i}, and {@code i < capacity} puts it inside the slab; an offset
     * inside the slab gets its exact quotient from the reciprocal (see {@link SizeClasses}).
     */
    int indexOf(long address) {
        int i = (int) (((address - start) * reciprocal) >>> SizeClasses.RECIPROCAL_SHIFT);
        return isBlock(i, address) ? i : -1;
    }

    /** Whether block {@code i} of this slab starts at {@code address}; split out to keep both small. */
    private boolean isBlock(int i, long address) {
        return i < capacity && i * size == address - start;
    }

    int inUse() {
        return carved - freeCount;
    }

    int available() {
        return capacity - inUse();
    }

    /** Takes one block: the free list first, then the next uncarved one. Caller checked {@link #available()}. */
    long take() {
        long p = freeHead;
        if (p != 0) {
            if (indexOf(p) < 0) {   // a link written after free: report it, never follow it
                freeHead = 0;
                throw new IllegalStateException("hakgen: corrupted free list in the slab of " + size + "-byte blocks at 0x"
                        + Long.toHexString(start) + ": 0x" + Long.toHexString(p) + " is not one of its blocks (a write after free?)");
            }
            freeHead = OsMemory.getLong(p);
            freeCount--;
            return p;
        }
        long q = start + carved++ * size;
        SlabRange.mark(SlabRange.offset(q), SlabRange.FREE);
        return q;
    }

    /** The state of block {@code i}: {@link SlabRange#FREE} or {@link SlabRange#ALLOCATED} once carved, else NONE. */
    byte state(int i) {
        return SlabRange.state(SlabRange.offset(start + i * size));
    }

    void give(long p) {
        OsMemory.putLong(p, freeHead);
        freeHead = p;
        freeCount++;
    }
}
