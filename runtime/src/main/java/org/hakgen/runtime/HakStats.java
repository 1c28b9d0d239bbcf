package org.hakgen.runtime;

/**
 * A snapshot of an allocator's counters.
 *
 * <p>Layer counters are kept only for the layers in {@link HakConfig#stats()} (others read 0); the
 * central pools, the large mappings and the byte counts are always kept, off the fast path.
 *
 * @param ultraHot      UltraHot: hits and misses of mallocs of its classes, refills = frees it absorbed,
 *                      drains = blocks it handed back (thread exit, trim)
 * @param heapV2        HeapV2: the same meaning, for its classes
 * @param threadList    the tiny thread lists: hits and misses of pops, refills = batches fetched from
 *                      the central pools, drains = batches given back
 * @param mid           the same, for the mid classes' thread lists
 * @param central       hits = batches served, misses = slabs made, refills = empty slabs returned to
 *                      the shared pool, drains = batches taken back
 * @param large         hits = mappings made, drains = mappings unmapped
 * @param guard         misses = frees rejected (foreign, interior, unaligned, double)
 * @param bytesInUse    bytes of blocks held by the program (each counted at its usable size)
 * @param bytesMapped   bytes mapped from the OS now (chunks and large mappings)
 * @param peakBytesMapped the most bytes mapped at any time
 * @param chunks        chunks mapped now
 * @param largeBlocks   large blocks live now
 * @param threadCaches  thread caches registered (threads that used the allocator and are not reclaimed)
 */
public record HakStats(
        LayerStats ultraHot,
        LayerStats heapV2,
        LayerStats threadList,
        LayerStats mid,
        LayerStats central,
        LayerStats large,
        LayerStats guard,
        long bytesInUse,
        long bytesMapped,
        long peakBytesMapped,
        int chunks,
        long largeBlocks,
        int threadCaches) {

    /** One layer's counters; what each means is said per layer in {@link HakStats}. */
    public record LayerStats(long hits, long misses, long refills, long drains) {
        /** Hits over hits plus misses, or 0 when there were none. */
        public double hitRate() {
            long calls = hits + misses;
            return calls == 0 ? 0 : (double) hits / calls;
        }
    }
}
