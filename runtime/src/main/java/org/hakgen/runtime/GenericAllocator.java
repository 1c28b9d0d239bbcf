package org.hakgen.runtime;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The generic build: every knob of {@link HakConfig} read at run time. It finds the calling thread's
 * {@link ThreadCache} and delegates; all the allocator's logic lives in the cache and the {@link Backend}.
 *
 * <p>Finding the cache: a {@link HakThread} bound to this allocator holds it in a field (a type test,
 * a load and a compare); any other thread goes through a {@code ThreadLocal} (about 0.9 ns more per
 * lookup, PERF-NOTES), and {@link #threadHeap()} skips the lookup altogether.
 */
final class GenericAllocator implements HakAllocator {
    private final Backend backend;
    private final ThreadLocal<ThreadCache> local;
    private final AtomicInteger threadNumber = new AtomicInteger();

    GenericAllocator(HakConfig config) {
        this.backend = new Backend(config);
        this.local = ThreadLocal.withInitial(() -> backend.register(Thread.currentThread()));
    }

    private ThreadCache cache() {
        if (Thread.currentThread() instanceof HakThread t && t.cacheOwner == this) {
            return t.cache;
        }
        return cacheSlow();
    }

    private ThreadCache cacheSlow() {
        if (Thread.currentThread() instanceof HakThread t && t.cacheOwner == null) {
            t.cache = backend.register(t);
            t.cacheOwner = this;
            return t.cache;
        }
        return local.get();
    }

    @Override
    public long malloc(long size) {
        return cache().mallocLocal(size);
    }

    @Override
    public void free(long address) {
        cache().freeLocal(address);
    }

    @Override
    public long calloc(long count, long size) {
        return cache().callocLocal(count, size);
    }

    @Override
    public long realloc(long address, long newSize) {
        return cache().reallocLocal(address, newSize);
    }

    @Override
    public long usableSize(long address) {
        return backend.usableSize(address);
    }

    @Override
    public boolean owns(long address) {
        return backend.owns(address);
    }

    @Override
    @SuppressWarnings("restricted")   // the segment covers exactly the block just allocated
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        if (byteSize < 0) {
            throw new IllegalArgumentException("allocate(" + byteSize + ", " + byteAlignment + "): size must be at least 0");
        }
        if (byteAlignment <= 0 || Long.bitCount(byteAlignment) != 1) {
            throw new IllegalArgumentException("allocate(" + byteSize + ", " + byteAlignment
                    + "): alignment must be a power of two (1, 2, 4, 8, …)");
        }
        ThreadCache cache = cache();
        long p = cache.mallocAligned(byteSize, byteAlignment);
        return MemorySegment.ofAddress(p).reinterpret(byteSize);
    }

    @Override
    public void free(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("free(" + segment + "): a heap segment was never allocated here");
        }
        free(segment.address());
    }

    @Override
    public HakHeap threadHeap() {
        backend.checkOpen();
        return cache();
    }

    @Override
    public ThreadFactory threadFactory() {
        return task -> new HakThread(task, "hak-" + threadNumber.incrementAndGet());
    }

    @Override
    public HakStats stats() {
        return backend.stats();
    }

    @Override
    public void trim() {
        backend.checkOpen();
        backend.trim(cache(), backend.config.chunkReserve());
    }

    @Override
    public void close() {
        backend.close();
    }

    /** For {@link Invariants} and tests of this package. */
    Backend backend() {
        return backend;
    }

    @Override
    public String toString() {
        return "GenericAllocator" + backend.classes;
    }
}
