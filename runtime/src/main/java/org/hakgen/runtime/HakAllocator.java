package org.hakgen.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.concurrent.ThreadFactory;

/**
 * An off-heap memory allocator: malloc, free, calloc and realloc of native memory, addressed by raw
 * {@code long} addresses, plus {@link SegmentAllocator} for code that wants {@link MemorySegment}s.
 *
 * <p><b>Threads.</b> Every method may be called from any thread, and any thread may free any block.
 * Each thread allocates from caches of its own, found in a table indexed by the thread's id (and, when
 * two threads share a slot, in a field of a thread made by {@link #threadFactory()} or a
 * {@code ThreadLocal}). Blocks cached by a thread that has ended are
 * reclaimed, not lost. For hot loops, {@link #threadHeap()} hands out the calling thread's caches as
 * a {@link HakHeap} that skips the lookup altogether.
 *
 * <p><b>Bad input.</b> A bad argument never crashes the JVM and never corrupts the allocator: the call
 * throws, naming the address or size and what was wrong, and the allocator keeps working.
 *
 * <p><b>Alignment.</b> Every address is 8-byte aligned; a block whose size class is a power of two is
 * aligned to that size up to 4 KiB; large blocks (over 32 KiB) are aligned to 4 KiB.
 */
public interface HakAllocator extends SegmentAllocator, AutoCloseable {

    /**
     * Allocates at least {@code size} bytes. Contents are undefined. {@code malloc(0)} returns a
     * unique block of the smallest class.
     *
     * @return the block's address, never 0
     * @throws IllegalArgumentException if {@code size < 0}
     * @throws OutOfMemoryError         if the memory limit or the OS refuses; nothing is lost
     * @throws IllegalStateException    if the allocator is closed, or if the free block it was about to
     *                                  hand out shows the program wrote it after freeing it (a thread
     *                                  list's link, or in the guard's seal mode a cached block's seal):
     *                                  that block is kept out of use and the allocator keeps working
     */
    long malloc(long size);

    /**
     * Frees a block this allocator returned. {@code free(0)} does nothing.
     *
     * @throws IllegalArgumentException if the address is foreign (not from this allocator), inside a
     *                                  block (interior), or not 8-byte aligned
     * @throws IllegalStateException    if the block is already free, or the allocator is closed
     */
    void free(long address);

    /**
     * Allocates {@code count * size} zeroed bytes.
     *
     * @throws IllegalArgumentException if either argument is negative or their product overflows
     * @throws OutOfMemoryError         as {@link #malloc}
     */
    long calloc(long count, long size);

    /**
     * C's realloc: {@code realloc(0, n)} is {@code malloc(n)}; {@code realloc(p, 0)} frees {@code p}
     * and returns 0 (as glibc does); otherwise returns a block of at least {@code newSize} bytes
     * holding the old contents up to the smaller size, which may be {@code address} itself. When it
     * throws, the old block is untouched and still allocated.
     *
     * @throws IllegalArgumentException as {@link #free} for a bad address, or if {@code newSize < 0}
     * @throws OutOfMemoryError         as {@link #malloc}
     */
    long realloc(long address, long newSize);

    /**
     * Bytes usable at {@code address}: the block's size class, or a large block's mapped length.
     *
     * @throws IllegalArgumentException / IllegalStateException as {@link #free}, without freeing
     */
    long usableSize(long address);

    /**
     * Whether {@code address} lies in memory this allocator manages for blocks (a slab or a large
     * mapping), i.e. whether a {@code free} of it would be routed here. It does not say whether a
     * block starts there or is live: {@link #free} checks that.
     */
    boolean owns(long address);

    /**
     * {@link SegmentAllocator}: a segment of {@code byteSize} bytes over a new block aligned to
     * {@code byteAlignment}. The segment has the global scope; give it back with {@link #free(MemorySegment)}.
     *
     * @throws IllegalArgumentException if {@code byteSize < 0} or {@code byteAlignment} is not a power of two
     */
    @Override
    MemorySegment allocate(long byteSize, long byteAlignment);

    /**
     * Frees the block under a segment from {@link #allocate}.
     *
     * @throws IllegalArgumentException if the segment is a heap segment or not a block start, as {@link #free}
     */
    void free(MemorySegment segment);

    /**
     * The calling thread's caches as a handle for hot loops: the same allocator, without finding the
     * thread's caches on every call. Only the thread that obtained it may use it.
     */
    HakHeap threadHeap();

    /**
     * Threads whose caches live in a field of the thread, so that the implicit path never needs a
     * {@code ThreadLocal}, even when many threads share slots of the lookup table. Threads it makes are
     * {@link HakThread}s, daemon, named {@code hak-N}.
     */
    ThreadFactory threadFactory();

    /**
     * A snapshot of the counters. Exact when no other thread is allocating; while they are, the
     * per-thread counters are read without synchronization and may lag by a few operations.
     */
    HakStats stats();

    /**
     * Gives back to the OS now all cached and empty memory it can: the calling thread's caches and
     * those of ended threads go back to the central pools, empty slabs to the shared pool, empty chunks
     * beyond the reserve are unmapped and the pages of all free units are discarded. Caches of other
     * live threads are theirs and are left alone.
     */
    void trim();

    /**
     * Unmaps all memory. Afterwards every method but {@code close} throws {@link IllegalStateException};
     * {@code close} again does nothing. Every block becomes invalid: the caller must make sure no thread
     * is still using the allocator or its blocks.
     */
    @Override
    void close();
}
