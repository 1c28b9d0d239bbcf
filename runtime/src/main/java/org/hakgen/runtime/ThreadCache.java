package org.hakgen.runtime;

import static org.hakgen.runtime.HakConfig.Layer;

/**
 * One thread's caches of one allocator: the front end, with hakmem's layers in the order a malloc
 * tries them.
 *
 * <pre>
 *   malloc: classOf -> UltraHot.pop -> HeapV2.pop -> ThreadList.pop -> refillSlow -> CentralPool.refill
 *   free:   SlabMap.lookup -> guard -> UltraHot.push -> HeapV2.push (stealing) -> ThreadList.push
 *           every drainInterval frees: drain -> CentralPool.release
 * </pre>
 *
 * A fast-path malloc or free allocates no Java object, takes no lock and does no atomic operation:
 * a free by another thread than the allocating one lands in the freeing thread's own cache. The guard
 * costs a slab-map lookup and a state byte on both paths; it is what turns a foreign, interior or
 * double free into an exception, and it checks each cached block before handing it out, so a block
 * written after free is reported instead of followed.
 *
 * <p>Only the owner thread touches the layers; another thread may flush them only once the owner has
 * ended. {@code closed} is the one field other threads write.
 */
final class ThreadCache implements HakHeap {
    static final int HIT = 0, MISS = 1, REFILL = 2, DRAIN = 3;
    static final int COUNTERS = Layer.values().length * 4;

    final Backend backend;
    final Thread owner;
    private final SizeClasses classes;
    private final SlabMap map;
    /** Null when the layer is off: the null test is the flag. */
    private final UltraHot ultraHot;
    private final HeapV2 heapV2;
    final ThreadList list;
    private final boolean leftover;
    private final int drainInterval;
    private final boolean statUltra, statHeapV2, statTiny, statMid;
    private final long[] counters = new long[COUNTERS];
    private int freesSinceDrain;
    volatile boolean closed;

    ThreadCache(Backend backend, Thread owner) {
        HakConfig config = backend.config;
        this.backend = backend;
        this.owner = owner;
        this.classes = backend.classes;
        this.map = backend.map;
        this.ultraHot = config.ultraHot() ? new UltraHot(classes.classOf(config.ultraHotSizes().get(0)),
                classes.classOf(config.ultraHotSizes().get(1)), config.ultraHotSlots()) : null;
        this.heapV2 = config.heapV2() && config.heapV2ClassMask() != 0
                ? new HeapV2(config.heapV2ClassMask(), config.heapV2Slots(), classes.count) : null;
        this.list = new ThreadList(classes.count);
        this.leftover = config.heapV2Leftover();
        this.drainInterval = config.drainInterval();
        this.statUltra = config.stats().contains(Layer.ULTRA_HOT);
        this.statHeapV2 = config.stats().contains(Layer.HEAP_V2);
        this.statTiny = config.stats().contains(Layer.THREAD_LIST);
        this.statMid = config.stats().contains(Layer.MID);
    }

    // ---- malloc -------------------------------------------------------------------------------

    long mallocLocal(long size) {
        if (closed) {
            throw Backend.closedError();
        }
        if (size > SizeClasses.MID_MAX || size < 0) {
            return mallocLarge(size, OsMemory.OS_PAGE);
        }
        int cls = classes.classOf(size);
        long p = popFast(cls);
        if (p == 0) {
            p = refillSlow(cls);
        }
        claim(p, cls);
        return p;
    }

    private long popFast(int cls) {
        long p;
        if (ultraHot != null && ultraHot.serves(cls)) {
            p = ultraHot.pop(cls);
            if (statUltra) {
                counters[Layer.ULTRA_HOT.ordinal() * 4 + (p != 0 ? HIT : MISS)]++;
            }
            if (p != 0) {
                return p;
            }
        }
        if (heapV2 != null && heapV2.serves(cls)) {
            p = heapV2.pop(cls);
            if (statHeapV2) {
                counters[Layer.HEAP_V2.ordinal() * 4 + (p != 0 ? HIT : MISS)]++;
            }
            if (p != 0) {
                return p;
            }
        }
        p = list.pop(cls);
        if (statTiny || statMid) {
            count(listLayer(cls), p != 0 ? HIT : MISS, 1);
        }
        return p;
    }

    /** The guard on the way out: the block must be a free block of its class; it becomes allocated. */
    private void claim(long p, int cls) {
        Slab s = map.lookup(p);
        int i;
        if (s == null || s.cls != cls || (i = s.indexOf(p)) < 0 || s.state[i] != Slab.FREE) {
            throw backend.corrupted(p, cls);
        }
        s.state[i] = Slab.ALLOCATED;
    }

    private long refillSlow(int cls) {
        backend.reclaimIfGrew();
        int n;
        try {
            n = backend.central[cls].refill(list, classes.batch[cls]);
        } catch (MemoryLimitError e) {
            backend.relieve(this);
            n = backend.central[cls].refill(list, classes.batch[cls]);
        }
        count(listLayer(cls), REFILL, 1);
        return list.pop(cls);
    }

    private long mallocLarge(long size, long alignment) {
        if (size < 0) {
            throw new IllegalArgumentException("malloc(" + size + "): size must be at least 0");
        }
        try {
            return backend.large.allocate(size, alignment);
        } catch (MemoryLimitError e) {
            backend.relieve(this);
            return backend.large.allocate(size, alignment);
        }
    }

    /**
     * A block aligned to {@code alignment} (a power of two): the size's own class when its blocks are
     * aligned enough, else the class of the power of two that holds both when its blocks are, else a
     * mapping of its own.
     */
    long mallocAligned(long size, long alignment) {
        if (closed) {
            throw Backend.closedError();
        }
        if (classAligned(size, alignment)) {
            return mallocLocal(size);
        }
        long covering = Long.highestOneBit(Math.max(Math.max(size, alignment) - 1, 1)) << 1;
        if (classAligned(covering, alignment)) {
            return mallocLocal(covering);
        }
        return mallocLarge(size, alignment);
    }

    private boolean classAligned(long size, long alignment) {
        return size >= 0 && size <= SizeClasses.MID_MAX && classes.alignment[classes.classOf(size)] >= alignment;
    }

    // ---- free ---------------------------------------------------------------------------------

    void freeLocal(long address) {
        if (closed) {
            throw Backend.closedError();
        }
        Slab s = map.lookup(address);
        int i;
        if (s == null || (i = s.indexOf(address)) < 0 || s.state[i] != Slab.ALLOCATED) {
            freeSlow(address, s);
            return;
        }
        s.state[i] = Slab.FREE;
        pushFast(s.cls, address);
        if (++freesSinceDrain >= drainInterval) {
            drain();
        }
    }

    private void pushFast(int cls, long p) {
        if (ultraHot != null && ultraHot.push(cls, p)) {
            if (statUltra) {
                counters[Layer.ULTRA_HOT.ordinal() * 4 + REFILL]++;
            }
            return;
        }
        if (heapV2 != null && !leftover && heapV2.push(cls, p)) {
            if (statHeapV2) {
                counters[Layer.HEAP_V2.ordinal() * 4 + REFILL]++;
            }
            return;
        }
        list.push(cls, p);
    }

    /** Not a small block that is allocated: 0, a large block, or an error. */
    private void freeSlow(long address, Slab s) {
        if (address == 0) {
            return;
        }
        if (s == null && backend.large.free(address)) {
            return;
        }
        throw backend.reject("free", address, s);
    }

    /**
     * Trims every thread list to its refill batch and hands the rest back to the central pools. In
     * leftover mode, HeapV2's magazines are topped up from what would go back.
     */
    private void drain() {
        freesSinceDrain = 0;
        for (int c = 0; c < classes.count; c++) {
            int keep = classes.batch[c];
            if (list.length[c] <= keep) {
                continue;
            }
            if (leftover && heapV2 != null) {
                while (heapV2.room(c) > 0 && list.length[c] > keep) {
                    heapV2.push(c, list.pop(c));
                }
            }
            giveBack(c, keep);
        }
    }

    private void giveBack(int cls, int keep) {
        int n = list.length[cls] - keep;
        if (n > 0) {
            backend.central[cls].release(list.cutAfter(cls, keep), n);
            count(listLayer(cls), DRAIN, 1);
        }
    }

    /** Empties every layer into the central pools: on trim, and for the cache of an ended thread. */
    void flushAll() {
        for (int c = 0; c < classes.count; c++) {
            long p;
            while (ultraHot != null && (p = ultraHot.pop(c)) != 0) {
                list.push(c, p);
                count(Layer.ULTRA_HOT, DRAIN, 1);
            }
            while (heapV2 != null && (p = heapV2.pop(c)) != 0) {
                list.push(c, p);
                count(Layer.HEAP_V2, DRAIN, 1);
            }
            giveBack(c, 0);
        }
    }

    // ---- calloc, realloc ----------------------------------------------------------------------

    long callocLocal(long count, long size) {
        if (count < 0 || size < 0) {
            throw new IllegalArgumentException("calloc(" + count + ", " + size + "): count and size must be at least 0");
        }
        long total;
        try {
            total = Math.multiplyExact(count, size);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("calloc(" + count + ", " + size + "): count × size overflows 64 bits");
        }
        long p = mallocLocal(total);
        if (total <= SizeClasses.MID_MAX) {
            OsMemory.fill(p, total, (byte) 0);   // a new mapping reads as zero already
        }
        return p;
    }

    long reallocLocal(long address, long newSize) {
        if (address == 0) {
            return mallocLocal(newSize);
        }
        if (newSize < 0) {
            throw new IllegalArgumentException("realloc(0x" + Long.toHexString(address) + ", " + newSize
                    + "): size must be at least 0");
        }
        long usable = backend.usableSize(address);
        if (newSize == 0) {
            freeLocal(address);
            return 0;
        }
        boolean small = usable <= SizeClasses.MID_MAX && map.lookup(address) != null;
        boolean fits = small
                ? newSize <= SizeClasses.MID_MAX && classes.size[classes.classOf(newSize)] == usable
                : newSize > SizeClasses.MID_MAX && newSize <= usable && newSize > usable / 2;
        if (fits) {
            return address;
        }
        long q = mallocLocal(newSize);
        OsMemory.copy(address, q, Math.min(usable, newSize));
        freeLocal(address);
        return q;
    }

    // ---- HakHeap: the same, for the owner thread only -----------------------------------------

    @Override
    public long malloc(long size) {
        checkOwner();
        return mallocLocal(size);
    }

    @Override
    public void free(long address) {
        checkOwner();
        freeLocal(address);
    }

    @Override
    public long calloc(long count, long size) {
        checkOwner();
        return callocLocal(count, size);
    }

    @Override
    public long realloc(long address, long newSize) {
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
    int cached(int cls) {
        return (ultraHot == null ? 0 : ultraHot.cached(cls)) + (heapV2 == null ? 0 : heapV2.cached(cls))
                + list.length[cls];
    }

    UltraHot ultraHot() {
        return ultraHot;
    }

    HeapV2 heapV2() {
        return heapV2;
    }

    private Layer listLayer(int cls) {
        return classes.isTiny(cls) ? Layer.THREAD_LIST : Layer.MID;
    }

    private void count(Layer layer, int kind, long n) {
        boolean on = switch (layer) {
            case ULTRA_HOT -> statUltra;
            case HEAP_V2 -> statHeapV2;
            case THREAD_LIST -> statTiny;
            case MID -> statMid;
            case GUARD -> false;
        };
        if (on) {
            counters[layer.ordinal() * 4 + kind] += n;
        }
    }

    void addCountersTo(long[] sum) {
        for (int i = 0; i < COUNTERS; i++) {
            sum[i] += counters[i];
        }
    }

    static HakStats.LayerStats layer(long[] counters, Layer layer) {
        int b = layer.ordinal() * 4;
        return new HakStats.LayerStats(counters[b + HIT], counters[b + MISS], counters[b + REFILL], counters[b + DRAIN]);
    }
}
