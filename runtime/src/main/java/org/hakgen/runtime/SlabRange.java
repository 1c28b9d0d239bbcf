package org.hakgen.runtime;

import java.lang.foreign.ValueLayout;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * The one address range every slab of every allocator in the process lives in, and the two side
 * tables that let the guard judge an address by arithmetic alone.
 *
 * <pre>
 *   SPAN bytes reserved once (PROT_NONE); a chunk is mapped read-write into a free 2 MiB slot of it
 *
 *   off = address - BASE
 *   (off &amp; MISS) != 0          -> not a block of any slab: outside the range, or not 8-byte aligned
 *   tag(off)   = TAGS[off &gt;&gt;&gt; 16]   int per 64 KiB unit: allocator id &lt;&lt; 8 | class, 0 = no slab
 *   state(off) = STATES[off &gt;&gt;&gt; 3]  byte per 8 bytes:   NONE (not a block start), FREE or ALLOCATED
 *   sealed(a)  = word 0 of the block == SEAL ^ a        seal mode: the block waits in a magazine
 * </pre>
 *
 * <p>Why: a free must find out whether an address is an allocated block of this allocator and which
 * class it is. Through the {@link SlabMap} and the slab's block index that is two dependent loads, a
 * multiply and a dozen bounds and field checks, about 6 ns of a 12 ns free+malloc pair (issue 4's A/B).
 * Here it is a subtraction, one mask test against a constant, one int load and one byte load (and in
 * seal mode a load of the block's first word).
 *
 * <p>Where a free block is, and what says it is free, in the guard's two modes ({@link HakConfig#guardSeal}):
 * <ul>
 *   <li>on a thread list, in a central pool or a slab's free list: its state byte is {@link #FREE} and its
 *       first word is the link, checked against the state before it is followed (both modes);</li>
 *   <li>in a magazine (a Java array the program cannot write), state mode: its state byte is {@link #FREE},
 *       written by every free and reset to {@link #ALLOCATED} by every malloc;</li>
 *   <li>in a magazine, seal mode: its state byte stays {@link #ALLOCATED} and its first word holds the
 *       <em>seal</em>, {@code SEAL ^ address} ({@link #seal}), for a process-wide random odd {@code SEAL},
 *       so never 0 and never a link. A free that finds the seal is a double free; a malloc that does not
 *       find it ({@code FrontEnd.handOutSealed}) is handing out a block the program wrote after freeing
 *       it, or freed twice with a write in between, and refuses it. The state table is then written only
 *       when a block moves between a magazine and a list (refills, the frees a full magazine cannot take,
 *       drains). Why: neighbouring blocks' state bytes share cache lines, and where blocks move between
 *       threads (larson) every free+malloc wrote a line another core wrote last: 81.9 ns per op in state
 *       mode, 72.1 sealed (issue 4). On one thread the seal costs: 6.42 against 5.82 ns on fixed 64 B.</li>
 * </ul>
 *
 * <p>The side tables are mapped read-write but {@code MAP_NORESERVE} over the whole range, so that any
 * offset inside the range can be read without a fault (untouched, it reads as zero: NONE, no slab); only
 * the parts under chunks in use are ever written. {@link #STATES} costs one byte per 8 bytes of chunk,
 * which {@link OsBudget} counts with the chunk; the tags cost 4 bytes per 64 KiB.
 *
 * <p>The constants are {@code static final}, so the JIT folds them into the instructions. The range is
 * the largest of 64, 16, 4 and 1 GiB the kernel grants; chunks beyond it fail like a memory limit.
 *
 * <p>Writes: a state byte by the thread that moves the block between a magazine and a list, or carves
 * it or gives it back under its class's lock; a seal by the thread whose magazine takes the block; a tag and a chunk's tables under the {@link SharedPool}'s lock. Reads without locks,
 * with the same argument as the slab map: an address a thread got from this allocator came with a
 * happens-before edge from the writes that made it a block.
 *
 * <p><b>Build SPI.</b> Public for the guard that generated fast paths inline: {@link #MISS},
 * {@link #offset}, {@link #tag}, {@link #state}, {@link #mark}, {@link #sealed}, {@link #seal} and the state
 * constants.
 */
public final class SlabRange {
    /** State of an 8-byte granule that is not the start of a carved block. */
    public static final byte NONE = 0;
    /** State of a block start that no program holds: cached, on a free list, or carved and unused. */
    public static final byte FREE = 1;
    /** State of a block the program holds. */
    public static final byte ALLOCATED = 2;

    /** Length of the range: a power of two. */
    static final long SPAN;
    /** First byte of the range, 2 MiB aligned. */
    static final long BASE;
    /** An offset with any of these bits set is no block: beyond the range or not a multiple of 8. */
    public static final long MISS;
    private static final long STATES;
    private static final long TAGS;
    private static final int STATE_SHIFT = 3;
    /**
     * The key of {@link #seal}: random per process, so no program's data carries it by design, and odd,
     * so a seal is never 0 (a cleared word) nor 8-byte aligned (a link).
     */
    private static final long SEAL = new SplittableRandom().nextLong() | 1;
    private static final int SLOTS;

    /** Free 2 MiB slots of the range. Guarded by the class. */
    private static final BitSet used = new BitSet();
    /** Allocator ids in use (1 … 2^23 - 1). Guarded by the class. */
    private static final BitSet ids = new BitSet();

    static {
        long span = 64L << 30;
        long[] reserved = null;
        OutOfMemoryError last = null;
        for (; span >= 1L << 30 && reserved == null; span >>= 2) {
            try {
                reserved = reserve(span);
            } catch (OutOfMemoryError e) {
                last = e;
            }
        }
        if (reserved == null) {
            throw new ExceptionInInitializerError("hakgen could not reserve even 1 GiB of address space for slabs: "
                    + last.getMessage());
        }
        span = reserved[3];
        SPAN = span;
        BASE = reserved[0];
        STATES = reserved[1];
        TAGS = reserved[2];
        MISS = ~(span - 1) | 7;
        SLOTS = (int) (span >>> Chunk.SHIFT);
    }

    private SlabRange() {}

    /** Base, states, tags and span of a new reservation of {@code span} bytes; unmaps what it mapped on failure. */
    private static long[] reserve(long span) {
        long base = OsMemory.reserve(span + Chunk.SIZE);
        long aligned = (base + Chunk.SIZE - 1) & -Chunk.SIZE;
        long states = 0;
        try {
            states = OsMemory.mapLazy(span >>> STATE_SHIFT);
            long tags = OsMemory.mapLazy((span >>> Chunk.UNIT_SHIFT) * Integer.BYTES);
            return new long[] {aligned, states, tags, span};
        } catch (OutOfMemoryError e) {
            OsMemory.unmap(base, span + Chunk.SIZE);
            if (states != 0) {
                OsMemory.unmap(states, span >>> STATE_SHIFT);
            }
            throw e;
        }
    }

    // ---- The guard's arithmetic: each a few instructions, inlined at every call site -------------

    /** The offset of {@code address} in the range; test it against {@link #MISS} before using it. */
    public static long offset(long address) {
        return address - BASE;
    }

    /** The tag of the unit holding {@code off}: {@code id << 8 | cls} of the slab there, or 0. */
    public static int tag(long off) {
        return OsMemory.ALL.get(ValueLayout.JAVA_INT_UNALIGNED, TAGS + (off >>> Chunk.UNIT_SHIFT << 2));
    }

    /** The state of the 8-byte granule at {@code off}: {@link #NONE}, {@link #FREE} or {@link #ALLOCATED}. */
    public static byte state(long off) {
        return OsMemory.ALL.get(ValueLayout.JAVA_BYTE, STATES + (off >>> STATE_SHIFT));
    }

    /** Sets the state of the block at {@code off}. */
    public static void mark(long off, byte state) {
        OsMemory.ALL.set(ValueLayout.JAVA_BYTE, STATES + (off >>> STATE_SHIFT), state);
    }

    /**
     * Whether the block at {@code address}, an allocated block of some slab by its tag and state, waits
     * in a magazine: its first word is its seal. A program's own data matches it with a chance of 2^-64.
     */
    public static boolean sealed(long address) {
        return OsMemory.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, address) == (SEAL ^ address);   // one level less deep (InlineBudget)
    }

    /**
     * Whether the carved block at {@code address}, whose state byte is {@code state}, is the program's:
     * {@link #ALLOCATED} and, in the guard's seal mode, not sealed in a magazine. For the slow paths and the
     * invariants; a fast path tests the two apart.
     */
    static boolean held(long address, byte state, boolean sealMode) {
        return state == ALLOCATED && !(sealMode && sealed(address));
    }

    /** Writes the seal into the first word of {@code address}: a block that passed a free's guard enters a magazine. */
    public static void seal(long address) {
        OsMemory.ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, SEAL ^ address);   // one level less deep (InlineBudget)
    }

    /** Whether {@code off} is a free block in a unit tagged {@code tag}; a fully checked pop of a free list. */
    static boolean isFree(long off, int tag) {
        return (off & MISS) == 0 && tag(off) == tag && state(off) == FREE;
    }

    // ---- Slow paths: allocators, chunks, slabs ----------------------------------------------------

    /** A fresh allocator id, for tags. */
    static synchronized int newId() {
        int id = ids.nextClearBit(1);
        if (id >= 1 << 23) {
            throw new IllegalStateException("more than 8,388,607 hakgen allocators are open at once");
        }
        ids.set(id);
        return id;
    }

    /** Gives an id back; the allocator's chunks are returned and their tags cleared. */
    static synchronized void releaseId(int id) {
        ids.clear(id);
    }

    /**
     * Maps a chunk read-write into a free slot of the range.
     *
     * @throws MemoryLimitError when the range is full (trimming other chunks may free a slot)
     */
    static synchronized long mapChunk() {
        int slot = used.nextClearBit(0);
        if (slot >= SLOTS) {
            throw new MemoryLimitError("hakgen's slab range of " + (SPAN >>> 30) + " GiB is full: "
                    + SLOTS + " chunks of 2 MiB are in use by this process's allocators");
        }
        long chunk = BASE + ((long) slot << Chunk.SHIFT);
        OsMemory.mapFixed(chunk, Chunk.SIZE);
        used.set(slot);
        return chunk;
    }

    /** Takes a chunk's memory back (the slot stays reserved and empty) and clears its side tables. */
    static synchronized void unmapChunk(long chunk) {
        long off = offset(chunk);
        OsMemory.unreserve(chunk, Chunk.SIZE);
        OsMemory.discard(STATES + (off >>> STATE_SHIFT), Chunk.SIZE >>> STATE_SHIFT);
        OsMemory.fill(TAGS + (off >>> Chunk.UNIT_SHIFT << 2), (long) Chunk.UNITS * Integer.BYTES, (byte) 0);
        used.clear((int) (off >>> Chunk.SHIFT));
    }

    /** Tags {@code units} units from {@code unit} with {@code tag} (0 clears them). */
    static void tagUnits(long unit, int units, int tag) {
        long at = TAGS + (offset(unit) >>> Chunk.UNIT_SHIFT << 2);
        for (int u = 0; u < units; u++) {
            OsMemory.ALL.set(ValueLayout.JAVA_INT_UNALIGNED, at + (long) u * Integer.BYTES, tag);
        }
    }

    /** Sets every state byte of {@code [from, from + length)} to {@link #NONE}: the slab there is gone. */
    static void clearStates(long from, long length) {
        OsMemory.fill(STATES + (offset(from) >>> STATE_SHIFT), length >>> STATE_SHIFT, NONE);
    }

    /** Bytes of side table a chunk's blocks can touch: counted with the chunk. */
    static long sideTableBytes(long chunkBytes) {
        return chunkBytes >>> STATE_SHIFT;
    }
}
