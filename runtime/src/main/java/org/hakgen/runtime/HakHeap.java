package org.hakgen.runtime;

/**
 * One thread's caches of an allocator, held explicitly (mimalloc's heap): the same malloc, free, calloc
 * and realloc as {@link HakAllocator}, minus the per-call lookup of the thread's caches, which costs
 * about half of a pure-Java fast path through a {@code ThreadLocal} (PERF-NOTES).
 *
 * <p>It belongs to the thread that obtained it from {@link HakAllocator#threadHeap()}; any other thread
 * gets an {@link IllegalStateException}. Blocks from it may be freed by any thread, through the
 * allocator or that thread's own heap.
 */
public interface HakHeap {
    /** As {@link HakAllocator#malloc}. */
    long malloc(long size);

    /** As {@link HakAllocator#free(long)}. */
    void free(long address);

    /** As {@link HakAllocator#calloc}. */
    long calloc(long count, long size);

    /** As {@link HakAllocator#realloc}. */
    long realloc(long address, long newSize);
}
