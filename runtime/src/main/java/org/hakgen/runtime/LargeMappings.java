package org.hakgen.runtime;

import java.util.Map;

/**
 * Requests above {@link SizeClasses#midMax} (32 KiB unless configured): one mapping each. Lengths up to {@link #MAX_CACHED} are
 * rounded up to large size classes, eight per doubling (at most 12.5% more than asked, as mimalloc's
 * and jemalloc's large classes), so that a freed mapping fits the next request of about its size;
 * longer ones to OS pages.
 *
 * <p>A mapping costs a system call each way, a page fault per page touched, and its unmapping a TLB
 * shootdown on every core the process runs on: programs that allocate and free large blocks at a high
 * rate (git's pack window: 9% of its requests, up to 254 of them live at once) spent microseconds per
 * operation on that. So a freed mapping is kept in a cache of {@value #CACHE_ENTRIES} mappings and at
 * most {@value #CACHE_BYTES} bytes (counted as mapped), one LIFO stack per size class, and handed to the
 * next request of its class, or of one or two classes below (at most about a quarter to spare). When the
 * cache is full the mapping freed longest ago is unmapped; {@link #releaseCache} (trim) unmaps them all.
 * A reused mapping is zeroed for calloc; a new one reads as zero already.
 *
 * <p>Live mappings are found by start in an open-addressing table. Everything is guarded by
 * {@code this}: one lock per large operation, next to which the system calls it saves cost far more,
 * and no Java object allocated per operation.
 */
final class LargeMappings {
    /** 2^47 bytes: the whole user address space of x86-64 with 4-level paging. */
    static final long MAX_SIZE = 1L << 47;

    /** Freed mappings kept for reuse at most. */
    static final int CACHE_ENTRIES = 256;
    /** Bytes of freed mappings kept for reuse at most. */
    static final long CACHE_BYTES = 64L << 20;
    /** The longest mapping rounded to a size class and cached: a quarter of the cache. */
    static final long MAX_CACHED = CACHE_BYTES / 4;

    /** Classes per doubling, as a power of two. */
    private static final int STEPS_LOG = 3;
    /** log2 of the smallest large length: lengths above 2^15 (32 KiB) are large. */
    private static final int FIRST_LOG = 15;
    private static final int CLASSES = (63 - Long.numberOfLeadingZeros(MAX_CACHED) - FIRST_LOG) << STEPS_LOG;

    private final OsBudget os;

    // ---- Live mappings: start -> length, linear probing, backward-shift deletion --------------------
    private long[] starts = new long[64];
    private long[] lengths = new long[64];
    private int live;
    private long bytesLive;
    private long maxLength;

    // ---- The cache: entries linked into one stack per class, and a free list --------------------
    private final long[] cachedStart = new long[CACHE_ENTRIES];
    private final long[] cachedLength = new long[CACHE_ENTRIES];
    private final long[] freedAt = new long[CACHE_ENTRIES];
    private final int[] next = new int[CACHE_ENTRIES];
    private final int[] top = new int[CLASSES];
    private int spare;
    private int cached;
    private long cachedBytes;
    private long frees;

    private long mapped;
    private long unmapped;

    LargeMappings(OsBudget os) {
        this.os = os;
        java.util.Arrays.fill(top, -1);
        for (int i = 0; i < CACHE_ENTRIES; i++) {
            next[i] = i + 1 < CACHE_ENTRIES ? i + 1 : -1;
        }
    }

    /** The length a request of {@code size} bytes maps: its large size class, or whole OS pages. */
    static long lengthFor(long size) {
        long pages = (Math.max(size, 1) + OsMemory.OS_PAGE - 1) & -OsMemory.OS_PAGE;
        if (pages <= 1L << FIRST_LOG || pages > MAX_CACHED) {
            return pages;
        }
        long step = 1L << (63 - Long.numberOfLeadingZeros(pages - 1) - STEPS_LOG);
        return (pages + step - 1) & -step;
    }

    /** The class of a length {@link #lengthFor} returned, or -1 when it is not cached. */
    private static int classOf(long length) {
        if (length <= 1L << FIRST_LOG || length > MAX_CACHED) {
            return -1;
        }
        int log = 63 - Long.numberOfLeadingZeros(length - 1);
        return ((log - FIRST_LOG) << STEPS_LOG) + (int) (length >>> (log - STEPS_LOG)) - (1 << STEPS_LOG) - 1;
    }

    /** A block of at least {@code size} bytes aligned to {@code alignment}; zeroed when {@code zero}. */
    long allocate(long size, long alignment, boolean zero) {
        if (size > MAX_SIZE) {
            throw new OutOfMemoryError("malloc(" + size + "): more than the " + MAX_SIZE
                    + " bytes of the user address space");
        }
        long length = lengthFor(size);
        long address = reuse(length, alignment);
        if (address != 0) {
            if (zero) {
                OsMemory.fill(address, size, (byte) 0);
            }
            return address;
        }
        address = os.map(length, Math.max(alignment, OsMemory.OS_PAGE), "a large block of " + size + " B");
        synchronized (this) {
            put(address, length);
            mapped++;
        }
        return address;
    }

    /**
     * Takes a cached mapping of {@code length}'s class or of one of the next two (the smallest there is),
     * aligned as asked, and makes it live; or returns 0.
     */
    private synchronized long reuse(long length, long alignment) {
        int c = classOf(length);
        if (c < 0) {
            return 0;
        }
        for (int k = c; k < Math.min(c + 3, CLASSES); k++) {
            int e = top[k];
            if (e >= 0 && (cachedStart[e] & (alignment - 1)) == 0) {
                top[k] = next[e];
                long start = cachedStart[e], taken = cachedLength[e];
                next[e] = spare;
                spare = e;
                cached--;
                cachedBytes -= taken;
                put(start, taken);
                return start;
            }
        }
        return 0;
    }

    /** Frees the large block starting at {@code address} into the cache; false when no large block starts there. */
    boolean free(long address) {
        long length;
        synchronized (this) {
            length = remove(address);
            if (length < 0) {
                return false;
            }
            int c = classOf(length);
            if (c >= 0) {   // a cacheable length is a class's: allocate maps lengthFor(size)
                while (cached == CACHE_ENTRIES || cachedBytes + length > CACHE_BYTES) {
                    evictOldest();
                }
                int e = spare;
                spare = next[e];
                cachedStart[e] = address;
                cachedLength[e] = length;
                freedAt[e] = ++frees;
                next[e] = top[c];
                top[c] = e;
                cached++;
                cachedBytes += length;
                return true;
            }
        }
        unmap(address, length);   // too long to keep
        return true;
    }

    /** Unmaps the cached mapping freed longest ago. */
    private void evictOldest() {
        int oldest = -1, before = -1, oldestBefore = -1;
        for (int c = 0; c < CLASSES; c++) {
            before = -1;
            for (int e = top[c]; e >= 0; before = e, e = next[e]) {
                if (oldest < 0 || freedAt[e] < freedAt[oldest]) {
                    oldest = e;
                    oldestBefore = before;
                }
            }
        }
        long length = cachedLength[oldest];
        if (oldestBefore < 0) {
            top[classOf(length)] = next[oldest];
        } else {
            next[oldestBefore] = next[oldest];
        }
        next[oldest] = spare;
        spare = oldest;
        cached--;
        cachedBytes -= length;
        unmap(cachedStart[oldest], length);
    }

    /** Gives a mapping back to the OS, counted as HakStats' large drains. */
    private void unmap(long start, long length) {
        os.unmap(start, length);
        synchronized (this) {
            unmapped++;
        }
    }

    /** Unmaps every cached mapping (trim). */
    synchronized void releaseCache() {
        while (cached > 0) {
            evictOldest();
        }
    }

    // ---- The table of live mappings ------------------------------------------------------------

    private int home(long start) {
        return (int) (((start >>> 12) * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(starts.length)));
    }

    private void put(long start, long length) {
        if (2 * (live + 1) > starts.length) {
            long[] oldStarts = starts, oldLengths = lengths;
            starts = new long[oldStarts.length * 2];
            lengths = new long[oldStarts.length * 2];
            live = 0;
            bytesLive = 0;
            for (int i = 0; i < oldStarts.length; i++) {
                if (oldStarts[i] != 0) {
                    put(oldStarts[i], oldLengths[i]);
                }
            }
        }
        int mask = starts.length - 1, i = home(start);
        while (starts[i] != 0) {
            i = (i + 1) & mask;
        }
        starts[i] = start;
        lengths[i] = length;
        live++;
        bytesLive += length;
        maxLength = Math.max(maxLength, length);
    }

    /** Index of {@code start} in the table, or -1. */
    private int slotOf(long start) {
        if (start == 0) {
            return -1;
        }
        int mask = starts.length - 1;
        for (int i = home(start); starts[i] != 0; i = (i + 1) & mask) {
            if (starts[i] == start) {
                return i;
            }
        }
        return -1;
    }

    /** Removes the live mapping starting at {@code start} and returns its length, or -1. */
    private long remove(long start) {
        int i = slotOf(start);
        if (i < 0) {
            return -1;
        }
        long length = lengths[i];
        int mask = starts.length - 1;
        for (int j = (i + 1) & mask; starts[j] != 0; j = (j + 1) & mask) {
            int h = home(starts[j]);
            // Move j back into the hole at i unless its home lies cyclically in (i, j].
            if (((j - h) & mask) >= ((j - i) & mask)) {
                starts[i] = starts[j];
                lengths[i] = lengths[j];
                i = j;
            }
        }
        starts[i] = 0;
        lengths[i] = 0;
        live--;
        bytesLive -= length;
        return length;
    }

    /** Length of the large block starting at {@code address}, or -1. */
    synchronized long lengthOf(long address) {
        int i = slotOf(address);
        return i < 0 ? -1 : lengths[i];
    }

    /**
     * The large block containing {@code address} (start and length), or null: by the start of each
     * page below it that a live mapping could start at, or by every live mapping, whichever is fewer.
     */
    synchronized Map.Entry<Long, Long> containing(long address) {
        long page = address & -OsMemory.OS_PAGE;
        long pages = maxLength / OsMemory.OS_PAGE;
        if (pages <= live) {
            for (long p = page, n = 0; n < pages && p > 0; n++, p -= OsMemory.OS_PAGE) {
                int i = slotOf(p);
                if (i >= 0) {
                    return address - p < lengths[i] ? Map.entry(p, lengths[i]) : null;
                }
            }
            return null;
        }
        for (int i = 0; i < starts.length; i++) {
            if (starts[i] != 0 && address >= starts[i] && address - starts[i] < lengths[i]) {
                return Map.entry(starts[i], lengths[i]);
            }
        }
        return null;
    }

    /** Unmaps every live and cached mapping (close). */
    void unmapAll() {
        long[] all;
        synchronized (this) {
            all = starts.clone();
        }
        for (long start : all) {
            if (start != 0) {
                free(start);
            }
        }
        releaseCache();
    }

    synchronized long bytesLive() {
        return bytesLive;
    }

    synchronized long count() {
        return live;
    }

    synchronized long mappedCount() {
        return mapped;
    }

    synchronized long unmappedCount() {
        return unmapped;
    }
}
