package org.hakgen.runtime;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every build's allocator facade shares: the {@link Backend}, finding the calling thread's
 * {@link FrontEnd}, and every {@link HakAllocator} method off the hot path. A build adds
 * {@code malloc}, {@code free}, {@code calloc} and {@code realloc}, each calling its own front end
 * through a cast of {@link #cache()}, so that the call is to a known final class.
 *
 * <p>Finding the cache: first the cache of the allocator's first thread ({@link #first}), then a table
 * indexed by the thread's id ({@link Backend#byThread}): one load of the slot and a compare of its owner
 * with the current thread. A miss (first call, or another thread whose id shares the slot) takes the
 * slow way — the field of a {@link HakThread} bound to this allocator, else a {@code ThreadLocal}
 * (issue 4 measured ~5 ns per free+malloc pair through {@code ThreadLocal.get()} alone) — and claims
 * the slot. {@link #threadHeap()} skips the lookup altogether.
 *
 * <p>Why the first thread's cache before the table: the table's way is four loads in a row (the
 * thread, its id, the slot, the owner), the first's two (the field, the owner), and the dependent loads
 * are what an op waits on. On c2c3-heavy's 16/32 B mix through {@code HakAllocator} that took 1.8 ns a
 * free+malloc pair off the generic build and 0.8 off the generated one (interleaved rounds, 12.16 →
 * 10.38 and 9.09 → 8.32 ns). A program whose allocating is done by one thread gets it; every other
 * thread pays one more load and a compare that is always false.
 *
 * <p><b>Build SPI.</b> Public so that generated builds in other packages can extend it.
 */
public abstract class AllocatorBase implements HakAllocator {
    private final Backend backend;
    /** {@link Backend#byThread}, held here too so the lookup is one load from {@code this}. */
    private final FrontEnd[] byThread;
    private final ThreadLocal<FrontEnd> local;
    /**
     * The cache of the first thread that used this allocator, or of a later one once that thread had
     * ended; null before the first call. A plain field, read without a lock: a thread that sees another
     * thread's cache here finds that its owner (a final field) is not itself.
     */
    private FrontEnd first;
    private final AtomicInteger threadNumber = new AtomicInteger();

    @SuppressWarnings("this-escape")   // the lambda runs on a thread's first call, after construction
    protected AllocatorBase(HakConfig config) {
        this.backend = new Backend(config);
        this.byThread = backend.byThread;
        this.local = ThreadLocal.withInitial(() -> backend.register(newCache(backend, Thread.currentThread())));
    }

    /** A new front end of this build for {@code owner}. */
    protected abstract FrontEnd newCache(Backend backend, Thread owner);

    /** The calling thread's front end, made and registered on its first call. */
    protected final FrontEnd cache() {
        Thread t = Thread.currentThread();
        FrontEnd c = first;
        if (c != null && c.owner == t) {
            return c;
        }
        c = byThread[Backend.slot(t)];
        if (c != null && c.owner == t) {
            return c;
        }
        return cacheSlow(t);
    }

    private FrontEnd cacheSlow(Thread t) {
        FrontEnd c;
        if (t instanceof HakThread h && h.cacheOwner == this) {
            c = h.cache;
        } else if (t instanceof HakThread h && h.cacheOwner == null) {
            c = h.cache = backend.register(newCache(backend, h));
            h.cacheOwner = this;
        } else {
            c = local.get();
        }
        // A plain store: a reader that sees another thread's cache here finds its owner (a final field) differs.
        byThread[Backend.slot(t)] = c;
        FrontEnd f = first;
        if (f == null || !f.owner.isAlive()) {
            first = c;   // the first thread, or the next one to miss once it has ended
        }
        return c;
    }

    @Override
    public final long usableSize(long address) {
        return backend.usableSize(address);
    }

    @Override
    public final boolean owns(long address) {
        return backend.owns(address);
    }

    @Override
    @SuppressWarnings("restricted")   // the segment covers exactly the block just allocated
    public final MemorySegment allocate(long byteSize, long byteAlignment) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("allocate(" + byteSize + ", " + byteAlignment + "): size must be at least 0");
        }
        if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1) {
            throw new IllegalArgumentException("allocate(" + byteSize + ", " + byteAlignment
                    + "): alignment must be a power of two (1, 2, 4, 8, …)");
        }
        long p = cache().mallocAligned(byteSize, byteAlignment);
        return MemorySegment.ofAddress(p).reinterpret(byteSize);
    }

    @Override
    public final void free(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("free(" + segment + "): a heap segment was never allocated here");
        }
        free(segment.address());
    }

    @Override
    public final HakHeap threadHeap() {
        backend.checkOpen();
        return cache();
    }

    @Override
    public final ThreadFactory threadFactory() {
        return task -> new HakThread(task, "hak-" + threadNumber.incrementAndGet());
    }

    @Override
    public final HakStats stats() {
        return backend.stats();
    }

    @Override
    public final void trim() {
        backend.checkOpen();
        backend.trim(cache(), backend.config.chunkReserve());
    }

    @Override
    public final void close() {
        backend.close();
    }

    /** The configuration this allocator runs with. */
    public final HakConfig config() {
        return backend.config;
    }

    /** For {@link Invariants}. */
    final Backend backend() {
        return backend;
    }
}
