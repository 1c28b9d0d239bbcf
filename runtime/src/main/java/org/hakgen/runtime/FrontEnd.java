package org.hakgen.runtime;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * One thread's caches of one allocator: the part of the front end that every build shares. A build
 * supplies the fast paths ({@link #mallocLocal}, {@link #freeLocal}) and the magazines they use; this
 * class holds the thread lists and everything off the fast path: refill, drain, large blocks, the
 * guard's messages, calloc, realloc, aligned allocation, the owner check and the counters.
 *
 * <p><b>Build SPI.</b> The generic build ({@code ThreadCache}) and every generated build extend this
 * class; it is public so that generated code in a user's package can, and is not meant to be used
 * otherwise. Its protected members may change with any release of the runtime that the generator
 * changes with.
 *
 * <p>The thread lists (L2, hakmem's "TLS SLL"): per class an intrusive singly linked list of free
 * blocks, the next pointer in each block's first word, popped with {@link #listPop}, freed onto with
 * {@link #listFree} and refilled with {@link #listPush}; each list's length rides in its head ({@link #listLength}).
 * Unbounded between drains; every {@link HakConfig#drainInterval()} frees onto them, {@link #drainSlow}
 * trims each list to its refill batch and hands the rest back to the central pool. Only those frees
 * count: a free a magazine takes cannot grow a list, and counting every free cost a fast path a field
 * increment, a compare and a call site the JIT must keep registers around (issue 4: 8.0 → 5.6 ns per
 * free+malloc on fixed 16 B through {@code HakHeap}).
 *
 * <p>The spare magazines ({@link #spare}): {@value #SPARE_SLOTS} slots per class, in front of the thread
 * list, for the mid classes and, in the guard's seal mode only, for the tiny classes without UltraHot or
 * HeapV2 ({@link #tinySpares}); in state mode such a tiny class has its thread list alone. The generic build
 * reaches them through {@link #mallocCold} and {@link #freeCold}; a generated build pops and pushes them
 * inline, after its own size table ({@link #classTable}), and both hand out the same blocks: reached
 * through {@code mallocCold}, a build on a workload whose hot classes were not its own ran at 0.75–0.8×
 * the generic build (issue 4). A class a generated build serves by name keeps a magazine of the same
 * size in the build's own fields instead. Statistics count a spare magazine's hits as the thread list's
 * ({@link HakConfig.Layer#THREAD_LIST}) or the mid classes' ({@link HakConfig.Layer#MID}).
 *
 * <p>A fast path must leave any layer it cannot serve from to the methods here, whose names end in
 * {@code Slow} or {@code Cold}, and to the thread list's {@link #listPop} and {@link #listFree}: they
 * are kept out of line on purpose, and the generator's bytecode test checks that nothing else a fast
 * path calls is too big for HotSpot to inline.
 *
 * <p>Closing: {@link Backend#close()} empties every layer with {@link #forget()} and clears the slab
 * map, so after {@code close()} every fast path misses and lands on a slow path that reports the
 * closed allocator; no fast path reads a flag for it.
 */
public abstract class FrontEnd implements HakHeap {
    /** Counter slots: a layer's base plus {@link #HIT}, {@link #MISS}, {@link #REFILL} or {@link #DRAIN}. */
    protected static final int ULTRA_HOT = 0, HEAP_V2 = 4, THREAD_LIST = 8, MID = 12;
    protected static final int HIT = 0, MISS = 1, REFILL = 2, DRAIN = 3;
    static final int COUNTERS = HakConfig.Layer.values().length * 4;

    final Backend backend;
    final Thread owner;
    final SizeClasses classes;
    final ThreadList list;
    /** The thread list's heads ({@link ThreadList#head}), one load nearer the hot paths. */
    private final long[] listHeads;
    /** The slab map, for the slow paths. */
    final SlabMap map;
    /**
     * {@code id << 8} of this allocator: a unit of {@link SlabRange} whose tag is {@code tagBase | cls}
     * holds this allocator's blocks of class {@code cls}. The guard compares with it.
     */
    protected final int tagBase;
    /** The guard's mode ({@link HakConfig#guardSeal}): true when magazines hold sealed blocks. */
    protected final boolean seal;
    /** Statistics: {@code counters[layer + kind]}; only layers in {@link HakConfig#stats()} are counted. */
    protected final long[] counters = new long[COUNTERS];
    /** The largest request the mid classes serve ({@link HakConfig#midMax()}). */
    protected final int midMax;
    /** Frees onto the thread lists left until the next drain, counted down from {@link #drainInterval}. */
    private int drainBudget;
    /** Frees onto the thread lists between two drains. */
    private final int drainInterval;
    private final boolean statTiny, statMid;
    /** Slots of a spare magazine, the runtime's and a generated build's alike. */
    public static final int SPARE_SLOTS = 16;
    private static final int SPARE = SPARE_SLOTS;
    /**
     * The spare magazines: class {@code cls}'s at {@code cls * }{@value #SPARE_SLOTS}, its first
     * {@code spareCount[cls]} slots full, of which {@code spareRoom[cls]} may fill (0 for a tiny class in
     * state mode, {@link #tinySpares}). The mid classes use them, and in seal mode the tiny classes without
     * UltraHot or HeapV2: on mid-heavy's 1–32 KiB mix a mid class's magazine in front of its thread list ran
     * 11.99 ns per free+malloc against 19.78 through the list alone (the list's pop reads the freed
     * block's link, a cache miss on blocks this large).
     */
    protected final long[] spare;
    /** Blocks in each class's spare magazine. */
    protected final int[] spareCount;
    /**
     * Bytes a mid class's spare magazine may hold, the largest mid slab's worth: at most {@value #SPARE_SLOTS}
     * blocks, fewer (never under 2) for the classes above 32 KiB that a raised
     * {@link HakConfig#midMax()} adds (128 KiB blocks: 4). So the default mid classes keep all 16
     * slots (3.2 MiB per thread if every class's magazine were full), and a thread using classes up
     * to 256 KiB keeps at most about 9 MiB in them, where 16 slots each would be 29 MiB. With 128 KiB
     * instead, 32 KiB blocks got 4 slots and mid-heavy's 1–32 KiB mix ran 15.92 against 14.21 ns.
     */
    static final int MID_SPARE_BYTES = SizeClasses.MID_SLAB_UNITS << Chunk.UNIT_SHIFT;
    /**
     * Slots each class's spare magazine may fill ({@link #spareSlots}): {@value #SPARE_SLOTS} but for large
     * mid classes, and 0 for the tiny classes in state mode ({@link #tinySpares}).
     */
    protected final int[] spareRoom;

    protected FrontEnd(Backend backend, Thread owner) {
        this.backend = backend;
        this.owner = owner;
        this.classes = backend.classes;
        this.map = backend.map;
        this.midMax = classes.midMax;
        this.tagBase = backend.id << 8;
        this.seal = backend.config.guardSeal();
        this.list = new ThreadList(classes, backend.id << 8, backend.central);
        this.listHeads = list.head;
        this.drainInterval = backend.config.drainInterval();
        this.drainBudget = drainInterval;
        this.statTiny = backend.config.stats().contains(HakConfig.Layer.THREAD_LIST);
        this.statMid = backend.config.stats().contains(HakConfig.Layer.MID);
        this.spare = new long[classes.count * SPARE];
        this.spareCount = new int[classes.count];
        this.spareRoom = new int[classes.count];
        boolean tinySpares = tinySpares(backend.config);
        for (int c = 0; c < classes.count; c++) {
            spareRoom[c] = classes.isTiny(c) && !tinySpares ? 0 : spareSlots(classes.size[c]);
        }
    }

    /**
     * Whether the tiny classes without UltraHot or HeapV2 keep a spare magazine in front of their thread
     * list: in the guard's seal mode only. In state mode the thread list is their cache, popped and freed
     * onto inline, with nothing in front of it: a magazine kept a count per class that every malloc and
     * free read, wrote and compared. On 2026-12-07's machine (AMD EPYC, Zen 3) a list alone, without a
     * length, ran c2c3-heavy's 16/32 B mix about 1.2× faster (bench/experiments/magazines); shipped, with
     * the length kept, c2c3-heavy's build ran 1.08–1.15× faster through {@code HakHeap} and level through
     * {@code HakAllocator} (docs/results-log.md, 2026-12-08). In seal mode a
     * block entering a list has its state byte written and one leaving it is sealed
     * ({@link #listPop}), a cost a magazine saves on all but its misses. The mid classes keep
     * theirs in both modes (see {@link #spare}).
     */
    public static boolean tinySpares(HakConfig config) {
        return config.guardSeal();
    }

    /**
     * Slots the spare magazine of a class of {@code blockSize} bytes may fill: {@value #SPARE_SLOTS}, or
     * {@link #MID_SPARE_BYTES} worth of blocks (at least 2) for a mid class above 32 KiB.
     */
    public static int spareSlots(int blockSize) {
        return Math.clamp(MID_SPARE_BYTES / blockSize, 2, SPARE);
    }

    /**
     * The class of each request size, rounded up to 8 bytes, that {@code config}'s allocators serve from
     * slabs: {@code classTable(config)[(int) ((size + 7) >>> 3)]} for a size of 0 … {@link HakConfig#midMax()},
     * the runtime's own lookup. A new array: a generated build keeps it in a static final field.
     */
    protected static byte[] classTable(HakConfig config) {
        return new SizeClasses(config.tinyClasses(), config.midMax()).table();
    }

    // ---- What a build supplies ----------------------------------------------------------------

    /** A block of at least {@code size} bytes for the owner thread (see {@link HakAllocator#malloc}). */
    public abstract long mallocLocal(long size);

    /** Frees {@code address} into the owner thread's caches (see {@link HakAllocator#free}). */
    public abstract void freeLocal(long address);

    /** Moves every block the build's own layers hold for {@code cls} onto the thread list, counting drains. */
    protected abstract void flushLayers(int cls);

    /** Blocks of {@code cls} held by the build's own layers (not the thread list). */
    protected abstract int cachedInLayers(int cls);

    /** Hands each block the build's own layers hold for {@code cls} to {@code sink}; for {@link Invariants}. */
    protected abstract void forEachInLayers(int cls, LongConsumer sink);

    /** Empties the build's own layers without handing anything back: the allocator is closing. */
    protected abstract void forgetLayers();

    /**
     * In HeapV2's leftover mode, moves blocks from the thread list of {@code cls} into its HeapV2
     * magazine while the list holds more than {@code keep}; called by a drain. Nothing by default.
     */
    protected void topUpSlow(int cls, int keep) {
    }

    // ---- Thread lists -------------------------------------------------------------------------

    /**
     * Pushes {@code block}, from one of the build's magazines, onto the thread list of {@code cls}, not
     * counting it as a free. Small enough to inline anywhere.
     */
    protected final void listPush(int cls, long block) {
        list.pushCached(cls, block);
    }

    /** Blocks on the thread list of {@code cls}. */
    protected final int listLength(int cls) {
        return list.length(cls);
    }

    /**
     * Frees {@code block} (past the guard) onto the thread list of {@code cls}: the last resort of a
     * free. Every {@link HakConfig#drainInterval()} such frees, the lists are drained.
     *
     * <p>The block is marked {@link SlabRange#FREE} here: in seal mode its free sealed it and left the
     * state byte alone; in state mode its free marked it already, and the second store costs nothing
     * against the link's.
     *
     * <p>It does the push itself rather than call {@link ThreadList#push}, so that it is above C2's
     * MaxInlineSize (35 bytecode bytes), for the reason {@link #listPop} gives.
     */
    protected final void listFree(int cls, long block) {
        long[] heads = listHeads;
        SlabRange.mark(SlabRange.offset(block), SlabRange.FREE);
        long h = heads[cls];
        OsMemory.putLong(block, ThreadList.link(h));
        heads[cls] = ThreadList.pushed(h, block);
        if (--drainBudget == 0) {
            drainSlow();
        }
    }

    /**
     * Hands out the head of the thread list of {@code cls}, its link checked and the block marked
     * {@link SlabRange#ALLOCATED}, or returns 0 when the list is empty.
     *
     * <p>Above C2's MaxInlineSize (35 bytecode bytes) on purpose, as is {@link #listFree} (the runtime's
     * MissPathTest keeps them there), and called from a fast path directly, never through a smaller
     * wrapper: C2 inlines a callee of at most 35 bytes wherever it runs on more than 0.85% of the caller's
     * calls, and a larger one only where it runs on a quarter of them. A magazine misses on about 1% of
     * c2c3-heavy's calls per class, so the pop, when it was a 9-byte wrapper over small methods, was inlined
     * in some forks and not in others, and where it was, its four native accesses used up the compilation's
     * node budget (NodeCountInliningCutoff): the hot path's own {@link #handOut} and the caller's next
     * write stayed calls, 15 ns a free+malloc pair instead of 8. Where the list is the hot path (a tiny
     * class in state mode, which has no magazine in front of its list), C2 still inlines it.
     *
     * <p>The block leaves allocated, in both guard modes, so a malloc returns it as it is: the mark uses
     * the state byte's address the check computed. Through {@link #handOut} after the paths had merged,
     * the address was computed again from the block (the JIT cannot see through the merge), and in seal
     * mode the block was sealed here only for {@link #handOutSealed} to check and clear the seal: c2c3-heavy's
     * loop ran 9 instructions longer (issue 4). A block a drain moves into a magazine instead comes through
     * {@link #listPopCached}.
     *
     * <p>The check calls {@link SlabRange} directly, not through a helper of the list's: a
     * native access is about ten levels of force-inlined JDK methods with one plain method at the bottom
     * (the segment's alignment mask), which C2 refuses past its inlining depth (MaxInlineLevel). Through
     * the list's {@code unlink}, {@code next} and {@code isFree} the pop's first read sat three levels deeper, and as
     * the hot path of c2c3-heavy's build that one method stayed a call ("inlining too deep"): 29 ns per
     * free+malloc, where written out the pop runs 20 (issue 4).
     */
    protected final long listPop(int cls) {
        long[] heads = listHeads;
        long h = heads[cls];
        long p = 0;
        if ((h & ThreadList.LENGTH) != 0) {
            long off = h >>> ThreadList.OFFSET_SHIFT;
            if ((h & ThreadList.MISS) != 0 || SlabRange.tag(off) != (tagBase | cls)
                    || SlabRange.state(off) != SlabRange.FREE) {
                throw list.corruptedSlow(h, cls);
            }
            p = SlabRange.BASE + off;
            heads[cls] = ThreadList.popped(h, OsMemory.getLong(p));
            SlabRange.mark(off, SlabRange.ALLOCATED);
        }
        return p;
    }

    /**
     * Pops the head of the thread list of {@code cls} for a magazine, or 0 when the list is empty: a
     * block in a magazine is {@link SlabRange#FREE} in state mode, and {@link SlabRange#ALLOCATED} and
     * sealed in seal mode. For HeapV2's top-up in leftover mode, on a drain.
     */
    protected final long listPopCached(int cls) {
        long p = listPop(cls);
        if (p != 0) {
            if (seal) {
                SlabRange.seal(p);
            } else {
                SlabRange.mark(SlabRange.offset(p), SlabRange.FREE);
            }
        }
        return p;
    }

    // ---- Slow paths ---------------------------------------------------------------------------

    /**
     * The generic build's malloc path of every class without UltraHot or HeapV2: the spare magazine of
     * the size's class, its thread list, then a refill; large and negative sizes go to
     * {@link #mallocLarge}. Generated builds send only those here.
     */
    protected final long mallocCold(long size) {
        if (Long.compareUnsigned(size, midMax) > 0) {   // beyond the mid classes, or negative
            return mallocLarge(size, OsMemory.OS_PAGE, false);
        }
        int cls = classes.classOf(size);
        long p;   // the spare magazine, then the thread list: written out here, one level less deep (see listPop)
        int n = spareCount[cls];
        if (n > 0) {
            spareCount[cls] = --n;
            p = spare[cls * SPARE + n];
            p = seal ? handOutSealed(p) : handOut(p);
        } else {
            p = listPop(cls);   // handed out already
        }
        if (statTiny || statMid) {
            count(cls, p != 0 ? HIT : MISS);
        }
        return p != 0 ? p : refillSlow(cls);
    }

    /**
     * The generic build's free path of a class without UltraHot or HeapV2: the spare magazine while it
     * has room, else the thread list; {@link #mallocCold} takes them back in the same order (a generated
     * build writes the same steps inline). The block has passed the guard.
     */
    final void freeCold(int cls, long address) {
        int n = spareCount[cls];
        if (n < spareRoom[cls]) {
            spare[cls * SPARE + n] = address;
            spareCount[cls] = n + 1;
        } else {
            listFree(cls, address);
        }
    }

    /** Refills the thread list of {@code cls} with one batch from the central pool and hands out its head ({@link #listPop}). */
    protected final long refillSlow(int cls) {
        backend.checkOpen();
        backend.reclaimIfGrew();
        try {
            backend.central[cls].refill(list, classes.batch[cls]);
        } catch (MemoryLimitError e) {
            backend.relieve(this);
            backend.central[cls].refill(list, classes.batch[cls]);
        }
        count(cls, REFILL);
        return listPop(cls);
    }

    /**
     * The guard on the way out of a magazine, state mode: marks {@code p} allocated. A magazine is a Java
     * array the program cannot write, which a block enters only through the guard of a free (an allocated
     * block of this allocator, now marked free) or from a thread list, which checks each block in
     * {@link SlabRange} before it follows the block's link ({@link ThreadList}); a block handed out from a
     * list is marked by {@link #listPop} itself.
     */
    protected static long handOut(long p) {
        SlabRange.mark(SlabRange.offset(p), SlabRange.ALLOCATED);
        return p;
    }

    /**
     * The guard on the way out of a magazine, seal mode: takes the seal off {@code p}. A block enters a
     * magazine only through the guard of a free (an allocated block of this allocator, then sealed) or
     * from a thread list ({@link #listPopCached}, whose pop checks each block in {@link SlabRange} before
     * it follows the block's link, then seals it). A block without its seal here
     * was written after it was freed, or freed twice with a write in between (the second free found no
     * seal, so the block sits in the magazine twice): it is not handed out, so no two callers ever share
     * a block.
     */
    protected static long handOutSealed(long p) {
        if (!SlabRange.sealed(p)) {
            throw unsealedSlow(p);
        }
        OsMemory.putLong(p, 0);
        return p;
    }

    private static IllegalStateException unsealedSlow(long p) {
        return new IllegalStateException("hakgen: the cached free block at 0x" + Long.toHexString(p) + " was "
                + "written after it was freed, or freed twice with a write in between: it was not handed out, so no "
                + "two callers share it, and it stays out of the caches; the allocator keeps working.");
    }

    private long mallocLarge(long size, long alignment, boolean zero) {
        backend.checkOpen();
        if (size < 0) {
            throw new IllegalArgumentException("malloc(" + size + "): size must be at least 0");
        }
        try {
            return backend.large.allocate(size, alignment, zero);
        } catch (MemoryLimitError e) {
            backend.relieve(this);
            return backend.large.allocate(size, alignment, zero);
        }
    }

    /**
     * The free of anything that is not an allocated small block of this allocator: 0 (nothing), a
     * large block, or an error naming what the address is.
     */
    protected final void freeSlow(long address) {
        backend.checkOpen();
        if (address == 0) {
            return;
        }
        Slab s = map.lookup(address);
        if (s == null && backend.large.free(address)) {
            return;
        }
        throw backend.reject("free", address, s);
    }

    /**
     * Trims every thread list to its refill batch and hands the rest back to the central pools. In
     * leftover mode, the build's {@link #topUpSlow} fills HeapV2 first from what would go back.
     */
    private void drainSlow() {
        drainBudget = drainInterval;
        int corrupted = -1, lost = 0;
        for (int c = 0; c < classes.count; c++) {
            int keep = classes.batch[c];
            if (list.length(c) <= keep) {
                continue;
            }
            topUpSlow(c, keep);
            int abandoned = giveBack(c, keep);
            if (abandoned > 0 && corrupted < 0) {
                corrupted = c;
                lost = abandoned;
            }
        }
        if (corrupted >= 0) {
            throw new IllegalStateException("hakgen: draining the thread list of class " + classes.size[corrupted]
                    + " B reached a link that names no free block of that class: a block was written after it was freed. "
                    + "The free that ran the drain is done; the " + lost + " entries left on that list are abandoned "
                    + "(leaked) and the allocator keeps working.");
        }
    }

    /**
     * Hands the list of {@code cls} beyond its first {@code keep} blocks back to the central pool and
     * returns how many blocks it abandoned instead: those from a link written after free on, counted by
     * {@link CentralPool#abandon}, 0 when the chain was sound.
     */
    private int giveBack(int cls, int keep) {
        int n = list.length(cls) - keep;
        if (n <= 0) {
            return 0;
        }
        CentralPool central = backend.central[cls];
        int abandoned = n - central.release(list.cutAfter(cls, keep), n);
        count(cls, DRAIN);
        if (abandoned > 0) {
            central.abandon(abandoned);
        }
        return abandoned;
    }

    /**
     * Empties every layer into the central pools: on trim, and for the cache of an ended thread. A link
     * written after free that a list leads to is not reported here, where the caller is often not the
     * thread that wrote it (another thread's malloc reclaiming an ended one's cache) and a trim should not
     * fail: the blocks from it on are abandoned and counted so ({@link CentralPool#abandon}).
     */
    final void flushAll() {
        for (int c = 0; c < classes.count; c++) {
            flushLayers(c);
            while (spareCount[c] > 0) {
                list.pushCached(c, spare[c * SPARE + --spareCount[c]]);
            }
            giveBack(c, 0);
        }
    }

    /** Forgets every cached block: the allocator is closing and its memory goes back whole. */
    final void forget() {
        forgetLayers();
        Arrays.fill(spareCount, 0);
        Arrays.fill(list.head, 0);
    }

    // ---- calloc, realloc, aligned -------------------------------------------------------------

    public final long callocLocal(long count, long size) {
        if (count < 0 || size < 0) {
            throw new IllegalArgumentException("calloc(" + count + ", " + size + "): count and size must be at least 0");
        }
        long total;
        try {
            total = Math.multiplyExact(count, size);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("calloc(" + count + ", " + size + "): count × size overflows 64 bits");
        }
        if (total > midMax) {
            return mallocLarge(total, OsMemory.OS_PAGE, true);   // zeroed only when reused: a new mapping reads as zero
        }
        long p = mallocLocal(total);
        OsMemory.fill(p, total, (byte) 0);
        return p;
    }

    public final long reallocLocal(long address, long newSize) {
        if (address == 0) {
            return mallocLocal(newSize);
        }
        if (newSize < 0) {
            throw new IllegalArgumentException("realloc(0x" + Long.toHexString(address) + ", " + newSize
                    + "): size must be at least 0");
        }
        long usable = backend.usableSize(address, "realloc");
        if (newSize == 0) {
            freeLocal(address);
            return 0;
        }
        boolean small = usable <= midMax && map.lookup(address) != null;
        boolean fits = small
                ? newSize <= midMax && classes.size[classes.classOf(newSize)] == usable
                : newSize > midMax && newSize <= usable && newSize > usable / 2;
        if (fits) {
            return address;
        }
        long q = mallocLocal(newSize);
        OsMemory.copy(address, q, Math.min(usable, newSize));
        freeLocal(address);
        return q;
    }

    /**
     * A block aligned to {@code alignment} (a power of two): the size's own class when its blocks are
     * aligned enough, else the class of the power of two that holds both when its blocks are, else a
     * mapping of its own.
     */
    final long mallocAligned(long size, long alignment) {
        backend.checkOpen();
        if (classAligned(size, alignment)) {
            return mallocLocal(size);
        }
        long covering = Long.highestOneBit(Math.max(Math.max(size, alignment) - 1, 1)) << 1;
        if (classAligned(covering, alignment)) {
            return mallocLocal(covering);
        }
        return mallocLarge(size, alignment, false);
    }

    private boolean classAligned(long size, long alignment) {
        return size >= 0 && size <= midMax && classes.alignment[classes.classOf(size)] >= alignment;
    }

    // ---- HakHeap: the same, for the owner thread only -----------------------------------------

    @Override
    public final long malloc(long size) {
        checkOwner();
        return mallocLocal(size);
    }

    @Override
    public final void free(long address) {
        checkOwner();
        freeLocal(address);
    }

    @Override
    public final long calloc(long count, long size) {
        checkOwner();
        return callocLocal(count, size);
    }

    @Override
    public final long realloc(long address, long newSize) {
        checkOwner();
        return reallocLocal(address, newSize);
    }

    private void checkOwner() {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new IllegalStateException("this HakHeap belongs to thread '" + owner.getName()
                    + "' and was used from thread '" + current.getName()
                    + "': a heap serves only the thread that got it from threadHeap()");
        }
    }

    // ---- Counting -----------------------------------------------------------------------------

    /** Blocks of class {@code cls} cached in any layer. */
    final int cached(int cls) {
        return cachedInLayers(cls) + spareCount[cls] + list.length(cls);
    }

    /** The blocks of class {@code cls} in its spare magazine, for {@link Invariants}. */
    final void forEachSpare(int cls, LongConsumer sink) {
        for (int k = 0; k < spareCount[cls]; k++) {
            sink.accept(spare[cls * SPARE + k]);
        }
    }

    /** Counts a thread-list event of {@code cls}, under THREAD_LIST or MID, if that layer keeps statistics. */
    private void count(int cls, int kind) {
        if (classes.isTiny(cls) ? statTiny : statMid) {
            counters[(classes.isTiny(cls) ? THREAD_LIST : MID) + kind]++;
        }
    }

    final void addCountersTo(long[] sum) {
        for (int i = 0; i < COUNTERS; i++) {
            sum[i] += counters[i];
        }
    }

    static HakStats.LayerStats layer(long[] counters, HakConfig.Layer layer) {
        int b = layer.ordinal() * 4;
        return new HakStats.LayerStats(counters[b + HIT], counters[b + MISS], counters[b + REFILL], counters[b + DRAIN]);
    }
}
