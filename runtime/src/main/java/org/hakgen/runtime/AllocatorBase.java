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
 * <p>Finding the cache: a {@link HakThread} bound to this allocator holds it in a field (a type test,
 * a load and a compare); any other thread goes through a {@code ThreadLocal} (about 0.9 ns more per
 * lookup, PERF-NOTES), and {@link #threadHeap()} skips the lookup altogether.
 *
 * <p><b>Build SPI.</b> Public so that generated builds in other packages can extend it.
 */
public abstract class AllocatorBase implements HakAllocator {
    private final Backend backend;
    private final ThreadLocal<FrontEnd> local;
    private final AtomicInteger threadNumber = new AtomicInteger();

    @SuppressWarnings("this-escape")   // the lambda runs on a thread's first call, after construction
    protected AllocatorBase(HakConfig config) {
        this.backend = new Backend(config);
        this.local = ThreadLocal.withInitial(() -> backend.register(newCache(backend, Thread.currentThread())));
    }

    /** A new front end of this build for {@code owner}. */
    protected abstract FrontEnd newCache(Backend backend, Thread owner);

    /** The calling thread's front end, made and registered on its first call. */
    protected final FrontEnd cache() {
        if (Thread.currentThread() instanceof HakThread t && t.cacheOwner == this) {
            return t.cache;
        }
        return cacheSlow();
    }

    private FrontEnd cacheSlow() {
        if (Thread.currentThread() instanceof HakThread t && t.cacheOwner == null) {
            t.cache = backend.register(newCache(backend, t));
            t.cacheOwner = this;
            return t.cache;
        }
        return local.get();
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
