package org.hakgen.bench;

/**
 * A build under test for one benchmark trial: a hakgen build or a peer. Made by {@link Builds#open},
 * shared by the trial's threads; each thread takes its own {@link Subject}.
 */
public interface Build extends AutoCloseable {
    /** The name it was opened by ({@code generic}, {@code c2c3-heavy}, {@code malloc}, …). */
    String name();

    /**
     * A subject for the calling thread with {@code slots} slots of its own, through {@code api}:
     * {@link Api#ALLOCATOR} finds the thread's caches on every call, {@link Api#HEAP} holds them.
     *
     * @throws UnsupportedOperationException if the build has no such API (only hakgen builds have a heap)
     */
    Subject subject(Api api, int slots);

    /** Makes {@code count} slots that every thread's {@link Subject#exchange} shares. */
    void shareSlots(int count);

    /** Frees every block in the shared slots. */
    void freeShared();

    /** What the build has mapped from the OS (or taken from its own backing store) now, in bytes. */
    Footprint footprint();

    /**
     * Gives cached memory back to the OS as the allocator's own trim does ({@code HakAllocator.trim},
     * glibc's {@code malloc_trim(0)}, {@code mi_collect(true)}, tcmalloc's {@code ReleaseFreeMemory});
     * nothing for allocators without one (Netty's pools keep their chunks, jemalloc purges by itself).
     */
    void trim();

    /** Frees everything the build holds; a native peer keeps its library loaded. */
    @Override
    void close();

    /** How a subject reaches the thread's caches. */
    enum Api {
        /** Through {@code HakAllocator}: the thread's caches are found on every call. */
        ALLOCATOR,
        /** Through {@code HakHeap}, a handle the thread holds: no lookup. */
        HEAP;

        /** Parses {@code allocator} or {@code heap}. */
        public static Api of(String name) {
            return switch (name) {
                case "allocator" -> ALLOCATOR;
                case "heap" -> HEAP;
                default -> throw new IllegalArgumentException("api '" + name + "' is not known; valid: allocator, heap");
            };
        }
    }

    /**
     * Bytes held from the OS now and at the peak; {@code exactPeak} is false when the peak is only the
     * largest value sampled (at iteration ends) because the allocator keeps no high-water mark.
     */
    record Footprint(long mapped, long peak, boolean exactPeak) {
    }
}
