package org.hakgen.runtime;

/**
 * The thread list (L2, hakmem's "TLS SLL"): per class, an intrusive singly linked list of free blocks,
 * the next pointer stored in the block's first word. Unbounded between drains; every
 * {@link HakConfig#drainInterval()} frees onto its lists, the owning cache trims each list to its
 * refill batch and hands the rest back to the central pool.
 *
 * <p>A link lives in freed memory, which a buggy program can still write, so a block is checked in
 * {@link SlabRange} (a free block of this allocator and class) before its link is followed: a
 * corrupted link is reported, never dereferenced, and the rest of that list is abandoned (leaked) so
 * the allocator keeps working.
 *
 * <p>A pop is {@link FrontEnd#listPop}, a free {@link FrontEnd#listFree}: they are where the hot paths
 * meet the list, and their size is part of how they are compiled.
 *
 * <p>A block on a list is {@link SlabRange#FREE}; in the guard's seal mode one in a magazine is sealed
 * instead ({@link SlabRange}), so a block that moves between the two has its state byte written:
 * {@link #pushCached} and {@link FrontEnd#listPop}.
 *
 * <p>Cost: pop is 1 load of the head, the check (a mask test, a tag and a state byte), 1 native load of
 * the next pointer, 2 stores (and the state byte and the seal in seal mode); push is 1 native store and
 * 2 stores, and the state byte when the block comes from a magazine. The heads of all classes share a
 * few cache lines.
 */
final class ThreadList {
    final long[] head;
    final int[] length;
    /** {@code id << 8} of the allocator: a block of class {@code cls} lies in a unit tagged {@code tagBase | cls}. */
    private final int tagBase;
    private final int[] sizes;
    /** The central pools by class, told how many blocks a list abandons ({@link CentralPool#abandon}). */
    private final CentralPool[] central;

    ThreadList(SizeClasses classes, int tagBase, CentralPool[] central) {
        this.central = central;
        head = new long[classes.count];
        length = new int[classes.count];
        this.tagBase = tagBase;
        this.sizes = classes.size;
    }

    /** Pushes {@code block}, already marked {@link SlabRange#FREE} (a block from the central pool). */
    void push(int cls, long block) {
        OsMemory.putLong(block, head[cls]);
        head[cls] = block;
        length[cls]++;
    }

    /** Pushes {@code block}, a block from a magazine, marking it {@link SlabRange#FREE} first (seal mode needs it). */
    void pushCached(int cls, long block) {
        SlabRange.mark(SlabRange.offset(block), SlabRange.FREE);
        push(cls, block);
    }

    /**
     * The link of {@code p}, once {@code p} is known to be a free block of {@code cls}, for a walk of the
     * list ({@link #cutAfter}); a pop ({@link FrontEnd#listPop}) checks the block itself.
     */
    long next(long p, int cls) {
        if (!SlabRange.isFree(SlabRange.offset(p), tagBase | cls)) {
            throw corruptedSlow(p, cls);
        }
        return OsMemory.getLong(p);
    }

    IllegalStateException corruptedSlow(long p, int cls) {
        int abandoned = length[cls];
        head[cls] = 0;
        length[cls] = 0;
        central[cls].abandon(abandoned);
        return new IllegalStateException("hakgen: the thread list of class " + sizes[cls] + " B held 0x"
                + Long.toHexString(p) + ", which is not a free block of that class: a block was written after it "
                + "was freed. It was not handed out; the " + abandoned + " entries left on that list are abandoned "
                + "(leaked) and the allocator keeps working.");
    }

    /**
     * Cuts the list of {@code cls} after its first {@code keep} blocks and returns the cut-off chain
     * (its length is {@code length - keep} before the call); 0 when there is nothing beyond {@code keep}.
     */
    long cutAfter(int cls, int keep) {
        if (length[cls] <= keep) {
            return 0;
        }
        long chain;
        if (keep == 0) {
            chain = head[cls];
            head[cls] = 0;
        } else {
            long last = head[cls];
            for (int i = 1; i < keep; i++) {
                last = next(last, cls);
            }
            chain = next(last, cls);
            OsMemory.putLong(last, 0);
        }
        length[cls] = keep;
        return chain;
    }
}
