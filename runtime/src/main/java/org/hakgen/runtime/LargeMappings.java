package org.hakgen.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests above {@link SizeClasses#MID_MAX}: one mapping each, rounded up to OS pages. The map from
 * start to length is ordered so a bad free can be told apart as interior (inside a mapping) or foreign.
 *
 * <p>A mapping costs a system call each way, a page fault per page touched, and its unmapping a TLB
 * shootdown on every core the process runs on: programs that allocate and free large blocks at a high
 * rate (git's pack window: 9% of its requests) spent microseconds per operation on that. So a freed
 * mapping is kept in a small cache ({@value #CACHE_ENTRIES} mappings, at most {@value #CACHE_BYTES}
 * bytes, counted as mapped) and handed to the next request it fits with at most a quarter to spare;
 * the oldest is unmapped when the cache is full, and {@link #releaseCache} (trim) unmaps them all. A
 * reused mapping is zeroed for calloc; a new one reads as zero already.
 */
final class LargeMappings {
    private final OsBudget os;
    private final ConcurrentSkipListMap<Long, Long> lengths = new ConcurrentSkipListMap<>();
    private final AtomicLong bytesLive = new AtomicLong();
    private final AtomicLong mapped = new AtomicLong();
    private final AtomicLong unmapped = new AtomicLong();

    LargeMappings(OsBudget os) {
        this.os = os;
    }

    /** 2^47 bytes: the whole user address space of x86-64 with 4-level paging. */
    static final long MAX_SIZE = 1L << 47;

    /** Freed mappings kept for reuse at most. */
    static final int CACHE_ENTRIES = 64;
    /** Bytes of freed mappings kept for reuse at most. */
    static final long CACHE_BYTES = 64L << 20;

    /** The cache, oldest first: start and length of each freed mapping kept. Guarded by {@code this}. */
    private final long[] cachedStart = new long[CACHE_ENTRIES], cachedLength = new long[CACHE_ENTRIES];
    private int cached;
    private long cachedBytes;

    /** A block of at least {@code size} bytes aligned to {@code alignment}; zeroed when {@code zero}. */
    long allocate(long size, long alignment, boolean zero) {
        if (size > MAX_SIZE) {
            throw new OutOfMemoryError("malloc(" + size + "): more than the " + MAX_SIZE
                    + " bytes of the user address space");
        }
        long length = (Math.max(size, 1) + OsMemory.OS_PAGE - 1) & -OsMemory.OS_PAGE;
        long address = reuse(length, alignment);
        if (address != 0) {
            if (zero) {
                OsMemory.fill(address, size, (byte) 0);
            }
            return address;
        }
        address = os.map(length, Math.max(alignment, OsMemory.OS_PAGE), "a large block of " + size + " B");
        lengths.put(address, length);
        bytesLive.addAndGet(length);
        mapped.incrementAndGet();
        return address;
    }

    /**
     * Takes the cached mapping that best fits {@code length} bytes (the smallest with at most a
     * quarter to spare, aligned as asked) and makes it live, or returns 0.
     */
    private synchronized long reuse(long length, long alignment) {
        int best = -1;
        for (int i = 0; i < cached; i++) {
            long l = cachedLength[i];
            if (l >= length && l - length <= length / 4 && (cachedStart[i] & (alignment - 1)) == 0
                    && (best < 0 || l < cachedLength[best])) {
                best = i;
            }
        }
        if (best < 0) {
            return 0;
        }
        long start = cachedStart[best], taken = cachedLength[best];
        cachedBytes -= taken;
        remove(best);
        lengths.put(start, taken);
        bytesLive.addAndGet(taken);
        return start;
    }

    private void remove(int i) {
        System.arraycopy(cachedStart, i + 1, cachedStart, i, cached - i - 1);
        System.arraycopy(cachedLength, i + 1, cachedLength, i, cached - i - 1);
        cached--;
    }

    /** Frees the large block starting at {@code address} into the cache; false when no large block starts there. */
    boolean free(long address) {
        Long length = lengths.remove(address);
        if (length == null) {
            return false;
        }
        bytesLive.addAndGet(-length);
        if (length > CACHE_BYTES / 4) {
            unmap(address, length);   // too big to keep
            return true;
        }
        synchronized (this) {
            while (cached == CACHE_ENTRIES || cachedBytes + length > CACHE_BYTES) {
                unmap(cachedStart[0], cachedLength[0]);
                cachedBytes -= cachedLength[0];
                remove(0);
            }
            cachedStart[cached] = address;
            cachedLength[cached++] = length;
            cachedBytes += length;
        }
        return true;
    }

    /** Gives a mapping back to the OS, counted as HakStats' large drains. */
    private void unmap(long start, long length) {
        os.unmap(start, length);
        unmapped.incrementAndGet();
    }

    /** Unmaps every cached mapping (trim). */
    synchronized void releaseCache() {
        for (int i = 0; i < cached; i++) {
            unmap(cachedStart[i], cachedLength[i]);
        }
        cached = 0;
        cachedBytes = 0;
    }

    /** Length of the large block starting at {@code address}, or -1. */
    long lengthOf(long address) {
        Long length = lengths.get(address);
        return length == null ? -1 : length;
    }

    /** The large block containing {@code address} (start and length), or null. */
    Map.Entry<Long, Long> containing(long address) {
        Map.Entry<Long, Long> e = lengths.floorEntry(address);
        return e != null && address - e.getKey() < e.getValue() ? e : null;
    }

    void unmapAll() {
        for (var e : lengths.entrySet()) {
            free(e.getKey());
        }
        releaseCache();
    }

    long bytesLive() {
        return bytesLive.get();
    }

    long count() {
        return lengths.size();
    }

    long mappedCount() {
        return mapped.get();
    }

    long unmappedCount() {
        return unmapped.get();
    }
}
