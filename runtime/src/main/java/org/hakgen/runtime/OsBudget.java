package org.hakgen.runtime;

/**
 * Every mapping an allocator makes goes through here: it enforces the memory limit and counts bytes
 * mapped now and at the peak. Synchronized: it is only reached when a chunk or a large block is mapped
 * or unmapped, next to a system call that costs far more than the lock.
 */
final class OsBudget {
    /** Bytes a chunk counts: its own and the part of {@link SlabRange}'s state bytes its blocks can touch. */
    private static final long CHUNK_BYTES = Chunk.SIZE + SlabRange.sideTableBytes(Chunk.SIZE);

    private final long limit;
    private long mapped;
    private long peak;

    OsBudget(long limit) {
        this.limit = limit;
    }

    /**
     * Maps {@code length} bytes aligned to {@code alignment}.
     *
     * @throws MemoryLimitError when the mapping would pass the limit (nothing is mapped)
     * @throws OutOfMemoryError when the kernel refuses
     */
    synchronized long map(long length, long alignment, String what) {
        checkLimit(length, what);
        return counted(OsMemory.map(length, alignment), length);
    }

    /**
     * Maps a chunk into {@link SlabRange}, counted as {@link #CHUNK_BYTES}.
     *
     * @throws MemoryLimitError when the chunk would pass the limit or the range is full (nothing is mapped)
     */
    synchronized long mapChunk(String what) {
        checkLimit(CHUNK_BYTES, what);
        return counted(SlabRange.mapChunk(), CHUNK_BYTES);
    }

    synchronized void unmapChunk(long chunk) {
        SlabRange.unmapChunk(chunk);
        mapped -= CHUNK_BYTES;
    }

    private void checkLimit(long length, String what) {
        if (length > limit - mapped) {
            throw new MemoryLimitError("hakgen memory limit of " + limit + " bytes reached: " + mapped
                    + " bytes mapped, " + what + " needs " + length + " more (HakConfig.withMemoryLimit / HAKMEM_MEMORY_LIMIT)");
        }
    }

    /** Counts {@code length} bytes just mapped at {@code address} and returns the address. */
    private long counted(long address, long length) {
        mapped += length;
        peak = Math.max(peak, mapped);
        return address;
    }

    synchronized void unmap(long address, long length) {
        OsMemory.unmap(address, length);
        mapped -= length;
    }

    synchronized long mapped() {
        return mapped;
    }

    synchronized long peak() {
        return peak;
    }
}
