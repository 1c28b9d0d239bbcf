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
 *   <li>{@code state[i] == ALLOCATED} iff block {@code i} is held by the program (not by any cache,
 *       slab free list, or uncarved).</li>
 * </ul>
 * The final fields are read without locks on the free path; everything else is guarded by the
 * {@link CentralPool}'s lock of the class, except {@code state}, written by the thread that allocates
 * or frees the block (one byte per block, so threads never tear each other's entries).
 */
final class Slab {
    static final byte FREE = 0;
    static final byte ALLOCATED = 1;

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
    /** One byte per block: {@link #FREE} or {@link #ALLOCATED}; the guard's double-free check. */
    final byte[] state;

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
        this.state = new byte[capacity];
    }

    /**
     * Index of the block at {@code address}, or -1 when the address is not the start of one of this
     * slab's blocks (before the first block, in the tail, or inside a block). One multiply, no division.
     */
    int indexOf(long address) {
        long off = address - start;
        if (off < 0 || address >= limit) {
            return -1;
        }
        int i = (int) ((off * reciprocal) >>> SizeClasses.RECIPROCAL_SHIFT);
        return i * size == off ? i : -1;
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
            freeHead = OsMemory.getLong(p);
            freeCount--;
            return p;
        }
        return start + carved++ * size;
    }

    void give(long p) {
        OsMemory.putLong(p, freeHead);
        freeHead = p;
        freeCount++;
    }
}
