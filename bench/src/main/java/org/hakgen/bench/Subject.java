package org.hakgen.bench;

/**
 * One thread's view of a build under test, as the benchmark loops drive it: numbered slots, each empty
 * or holding one block. Every allocation writes into the block it got (8 bytes, or 1 when the block is
 * smaller), so first touch is paid, as in hakmem's benches.
 *
 * <p>A benchmark fork uses one subject class, so each call site below stays monomorphic and inlines.
 * Slots a thread shares with others ({@link #exchange}) live in the build, not here.
 */
public abstract class Subject {
    private final int slotCount;

    /** A subject with {@code slotCount} slots of its own, numbered from 0. */
    protected Subject(int slotCount) {
        this.slotCount = slotCount;
    }

    /** Allocates {@code size} bytes into the empty {@code slot} and writes into the block. */
    public abstract void alloc(int slot, long size);

    /** Allocates {@code size} zeroed bytes (C's calloc) into the empty {@code slot} and writes into the block. */
    public abstract void calloc(int slot, long size);

    /** Frees the block in {@code slot} (nothing when it is empty) and leaves the slot empty. */
    public abstract void free(int slot);

    /** Resizes the block in {@code slot} as C's realloc does, writing into the result. */
    public abstract void realloc(int slot, long size);

    /**
     * Allocates {@code size} bytes, writes into the block, puts it in the build's shared slot
     * {@code slot} and frees whatever block was there, which another thread may have allocated
     * (Larson's server pattern).
     */
    public abstract void exchange(int slot, long size);

    /**
     * A subject for the calling thread over this one's slots, which the two then share (a trace
     * replay's threads free each other's blocks). Whatever the threads do to one slot they must order
     * among themselves.
     *
     * @throws UnsupportedOperationException if the build cannot free a block from another thread
     */
    public abstract Subject twin();

    /** Frees every block this subject holds in its own slots. */
    public final void freeAll() {
        for (int i = 0; i < slotCount; i++) {
            free(i);
        }
    }

    /** The free-then-allocate step of the fixed, random-mixed and mid loops. */
    public final void replace(int slot, long size) {
        free(slot);
        alloc(slot, size);
    }
}
