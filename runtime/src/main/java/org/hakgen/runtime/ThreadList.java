package org.hakgen.runtime;

import java.util.SplittableRandom;

/**
 * The thread list (L2, hakmem's "TLS SLL"): per class, an intrusive singly linked list of free blocks,
 * the link stored in the block's first word. Unbounded between drains; every
 * {@link HakConfig#drainInterval()} frees onto its lists, the owning cache trims each list to its
 * refill batch and hands the rest back to the central pool.
 *
 * <pre>
 *   head[cls] = offset of the first block in {@link SlabRange} &lt;&lt; {@value #OFFSET_SHIFT} | length
 *   link      = offset of the next block ^ {@link #KEY}, in the first word of each block on the list
 * </pre>
 *
 * <p>The length rides in the head's low bits ({@link SlabRange} is at most 64 GiB, so an offset takes
 * 36 bits and leaves 28, and a list holds at most a drain interval, 2^20, and a batch), so a push and a
 * pop keep it with two ALU operations on the word they load and store anyway, where a separate array
 * cost each a load, a store and a bounds check (issue 4). The layout is chosen so that every constant
 * fits an x86 instruction's 32-bit immediate: the offset is a shift away, the key is an int. A pop
 * follows at most {@code length} links: the last block's link is never read as a block, so a list
 * needs no terminator, and a length comes from this list's own arithmetic, never from a block.
 *
 * <p>A link lives in freed memory, which a buggy program can still write. So a block is checked in
 * {@link SlabRange} (a free block of this allocator and class) before its link is followed: a corrupted
 * link is reported, never dereferenced, and the rest of that list is abandoned (leaked), counted by
 * {@link CentralPool#abandon}, so the allocator keeps working. The link is XORed with a random key per
 * process (as glibc's safe-linking mangles its tcache pointers), whose low three bits are set: a word
 * the program writes there (a zero, a pointer, an aligned size) decodes to an offset that is not 8-byte
 * aligned, or to a random one, and fails the check, rather than naming another free block that would
 * then be handed out twice.
 *
 * <p>A pop is {@link FrontEnd#listPop}, a free {@link FrontEnd#listFree}: they are where the hot paths
 * meet the list, and their size is part of how they are compiled.
 *
 * <p>A block on a list is {@link SlabRange#FREE}; in the guard's seal mode one in a magazine is sealed
 * instead ({@link SlabRange}), so a block that moves between the two has its state byte written:
 * {@link #pushCached} and {@link FrontEnd#listPopCached}. A block handed out from a list
 * ({@link FrontEnd#listPop}) is marked {@link SlabRange#ALLOCATED} in both modes.
 *
 * <p>Cost: a pop that hands out is 1 load of the head, the check (a range and alignment test, a tag and a
 * state byte), 1 native load of the link, 1 store of the head and the state byte; a free onto the list is the
 * guard's state byte, 1 native store and 1 store of the head. The heads of all classes share a
 * few cache lines.
 */
final class ThreadList {
    /** A head's offset is above its length's bits. */
    static final int OFFSET_SHIFT = 28;
    /** The bits of an offset, below a head's {@value #OFFSET_SHIFT}. */
    static final long OFFSETS = -1L >>> OFFSET_SHIFT;
    /**
     * A head whose offset is no block of any slab has one of these bits: {@link SlabRange#MISS} in the
     * head's place, so tested without shifting the offset out. With the full 64 GiB range it is the
     * alignment bits alone (an immediate); with a smaller range, the offsets beyond it too, whose side
     * tables are not mapped.
     */
    static final long MISS = SlabRange.MISS << OFFSET_SHIFT;
    /** A head's length bits. */
    static final long LENGTH = (1L << OFFSET_SHIFT) - 1;
    /**
     * XORed into every link: random per process, an int so that it is an immediate operand, with its low
     * three bits set (see the class comment). Its sign extension reaches only bits a head shifts out.
     */
    static final long KEY = new SplittableRandom().nextInt() | 7;

    static {
        if (SlabRange.SPAN - 1 > OFFSETS) {
            throw new ExceptionInInitializerError("hakgen: a slab range of 0x" + Long.toHexString(SlabRange.SPAN)
                    + " bytes does not fit a thread list head's " + (64 - OFFSET_SHIFT) + " offset bits");
        }
    }

    /** Per class, the first block's offset and the length (see the class comment); a length of 0 is an empty list. */
    final long[] head;
    /** {@code id << 8} of the allocator: a block of class {@code cls} lies in a unit tagged {@code tagBase | cls}. */
    private final int tagBase;
    private final int[] sizes;
    /** The central pools by class, told how many blocks a list abandons ({@link CentralPool#abandon}). */
    private final CentralPool[] central;

    ThreadList(SizeClasses classes, int tagBase, CentralPool[] central) {
        this.central = central;
        head = new long[classes.count];
        this.tagBase = tagBase;
        this.sizes = classes.size;
    }

    /** The length a head holds. */
    static int length(long head) {
        return (int) (head & LENGTH);
    }

    /** Blocks on the list of {@code cls}. */
    int length(int cls) {
        return length(head[cls]);
    }

    /** The block a head (of length at least 1) names. */
    static long block(long head) {
        return SlabRange.BASE + (head >>> OFFSET_SHIFT);
    }

    /** The link to store in a block pushed onto a list whose head is {@code head}. */
    static long link(long head) {
        return (head >>> OFFSET_SHIFT) ^ KEY;
    }

    /** The head after a push of {@code block} onto a list whose head is {@code head}. */
    static long pushed(long head, long block) {
        return SlabRange.offset(block) << OFFSET_SHIFT | ((head & LENGTH) + 1);
    }

    /**
     * The head after a pop from a list whose head is {@code head} (of length at least 1), its first block
     * holding {@code link}: the shift drops the key's sign extension and whatever a program wrote above
     * an offset's 36 bits.
     */
    static long popped(long head, long link) {
        return (link ^ KEY) << OFFSET_SHIFT | ((head & LENGTH) - 1);
    }

    /** The block after {@code block} on a list or a chain cut from one, its link decoded but not checked. */
    static long follow(long block) {
        return block(popped(1, OsMemory.getLong(block)));
    }

    /** Pushes {@code block}, already marked {@link SlabRange#FREE} (a block from the central pool). */
    void push(int cls, long block) {
        long h = head[cls];
        OsMemory.putLong(block, link(h));
        head[cls] = pushed(h, block);
    }

    /** Pushes {@code block}, a block from a magazine, marking it {@link SlabRange#FREE} first (seal mode needs it). */
    void pushCached(int cls, long block) {
        SlabRange.mark(SlabRange.offset(block), SlabRange.FREE);
        push(cls, block);
    }

    /**
     * The head after {@code h}, a head of the list of {@code cls} of length at least 1, once its block
     * is known to be a free block of {@code cls}, for a walk of the list ({@link #cutAfter}); a pop
     * ({@link FrontEnd#listPop}) checks the block itself.
     */
    private long next(long h, int cls) {
        long off = h >>> OFFSET_SHIFT;
        if (!SlabRange.isFree(off, tagBase | cls)) {
            throw corruptedSlow(h, cls);
        }
        return popped(h, OsMemory.getLong(SlabRange.BASE + off));
    }

    /**
     * Abandons the list of {@code cls}, which reached {@code bad}, a head whose block is not a free
     * block of that class, and returns the exception to throw. It names the link as the program left
     * it: the low 36 bits of the word it wrote.
     */
    IllegalStateException corruptedSlow(long bad, int cls) {
        int abandoned = length(head[cls]);
        head[cls] = 0;
        central[cls].abandon(abandoned);
        return new IllegalStateException("hakgen: the thread list of class " + sizes[cls] + " B held the link 0x"
                + Long.toHexString(link(bad) & OFFSETS) + ", which names no free block of that class: a block was written "
                + "after it was freed. It was not handed out; the " + abandoned + " entries left on that list are "
                + "abandoned (leaked) and the allocator keeps working.");
    }

    /**
     * Cuts the list of {@code cls} after its first {@code keep} blocks and returns the first block of
     * the cut-off chain, whose length is {@code length - keep} before the call (its blocks linked as on
     * the list, read with {@link #follow}); 0 when there is nothing beyond {@code keep}.
     */
    long cutAfter(int cls, int keep) {
        long h = head[cls];
        if (length(h) <= keep) {
            return 0;
        }
        long rest = h;
        for (int i = 0; i < keep; i++) {
            rest = next(rest, cls);
        }
        head[cls] = keep == 0 ? 0 : (h & ~LENGTH) | keep;
        return block(rest);
    }
}
