package org.hakgen.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests above {@link SizeClasses#MID_MAX}: one mapping each, rounded up to OS pages and unmapped
 * on free. The map from start to length is ordered so a bad free can be told apart as interior
 * (inside a mapping) or foreign. Costs a system call each way, which dwarfs the map's own cost.
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

    long allocate(long size, long alignment) {
        if (size > MAX_SIZE) {
            throw new OutOfMemoryError("malloc(" + size + "): more than the " + MAX_SIZE
                    + " bytes of the user address space");
        }
        long length = (Math.max(size, 1) + OsMemory.OS_PAGE - 1) & -OsMemory.OS_PAGE;
        long address = os.map(length, Math.max(alignment, OsMemory.OS_PAGE), "a large block of " + size + " B");
        lengths.put(address, length);
        bytesLive.addAndGet(length);
        mapped.incrementAndGet();
        return address;
    }

    /** Unmaps the large block starting at {@code address}; false when no large block starts there. */
    boolean free(long address) {
        Long length = lengths.remove(address);
        if (length == null) {
            return false;
        }
        os.unmap(address, length);
        bytesLive.addAndGet(-length);
        unmapped.incrementAndGet();
        return true;
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
