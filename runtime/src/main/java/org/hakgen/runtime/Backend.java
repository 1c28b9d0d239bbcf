package org.hakgen.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one allocator's threads share: the size classes, the slab map, the central and shared pools,
 * the large mappings, the registry of thread caches, and the guard's slow path that words every
 * rejected free. Every build, generic or generated, stands on this.
 *
 * <p><b>Build SPI.</b> Public only so that generated builds in other packages can name it; it has no
 * public members.
 */
public final class Backend {
    private static final System.Logger LOG = System.getLogger("org.hakgen.runtime.guard");

    final HakConfig config;
    final SizeClasses classes;
    final SlabMap map = new SlabMap();
    final OsBudget os;
    final SharedPool shared;
    final CentralPool[] central;
    final LargeMappings large;
    /** This allocator's id in the unit tags of {@link SlabRange}: a unit tagged {@code id << 8 | cls} is ours. */
    final int id = SlabRange.newId();

    /** Slots of {@link #byThread}: a power of two. */
    static final int BY_THREAD_MASK = 1023;
    /**
     * Thread caches by {@code threadId() & BY_THREAD_MASK}: the implicit path's lookup (see
     * {@link AllocatorBase#cache()}). Written without locks by the thread that claims a slot; a slot is
     * cleared when its cache's thread is reclaimed, so the table keeps no ended thread alive.
     */
    final FrontEnd[] byThread = new FrontEnd[BY_THREAD_MASK + 1];

    /** The slot of {@link #byThread} for thread {@code t}. */
    static int slot(Thread t) {
        return (int) t.threadId() & BY_THREAD_MASK;
    }
    /** Caches of threads that used this allocator and were not reclaimed yet. Guarded by itself. */
    private final List<FrontEnd> caches = new ArrayList<>();
    /** Counters of reclaimed caches, so statistics survive their threads. Guarded by {@code caches}. */
    private final long[] retired = new long[FrontEnd.COUNTERS];
    private final AtomicLong rejectedFrees = new AtomicLong();
    private volatile boolean closed;

    Backend(HakConfig config) {
        this.config = config;
        this.classes = new SizeClasses(config.tinyClasses(), config.midMax());
        this.os = new OsBudget(config.memoryLimit());
        this.shared = new SharedPool(classes, map, os, config.chunkReserve(), id);
        this.central = new CentralPool[classes.count];
        for (int c = 0; c < classes.count; c++) {
            central[c] = new CentralPool(c, shared, map);
        }
        this.large = new LargeMappings(os);
    }

    // ---- Thread caches ------------------------------------------------------------------------

    /** Adds the cache of a thread that starts using this allocator. */
    <C extends FrontEnd> C register(C cache) {
        synchronized (caches) {
            if (closed) {
                throw closedError();
            }
            reclaimEndedLocked();   // a new thread is a good moment to notice ended ones
            caches.add(cache);
            return cache;
        }
    }

    /** Hands the caches of ended threads back to the central pools. */
    void reclaimEnded() {
        synchronized (caches) {
            reclaimEndedLocked();
        }
    }

    private void reclaimEndedLocked() {
        // isAlive() returning false is a happens-before edge from everything the ended thread did.
        caches.removeIf(cache -> {
            if (cache.owner.isAlive()) {
                return false;
            }
            cache.flushAll();
            cache.addCountersTo(retired);
            int slot = slot(cache.owner);
            if (byThread[slot] == cache) {
                byThread[slot] = null;
            }
            return true;
        });
    }

    /** Called on slow paths: after the pool had to map a chunk, look for caches of ended threads. */
    void reclaimIfGrew() {
        if (shared.grew) {
            shared.grew = false;
            reclaimEnded();
        }
    }

    /** Everything that can be given back without touching other live threads' caches. */
    void trim(FrontEnd self, int keepChunks) {
        if (self != null) {
            self.flushAll();
        }
        reclaimEnded();
        for (CentralPool pool : central) {
            pool.trim();
        }
        shared.trim(keepChunks);
        large.releaseCache();
    }

    /** Before failing on the memory limit: give back all that can be, the chunk reserve included. */
    void relieve(FrontEnd self) {
        trim(self, 0);
    }

    // ---- Queries ------------------------------------------------------------------------------

    boolean owns(long address) {
        checkOpen();
        return map.lookup(address) != null || large.containing(address) != null;
    }

    long usableSize(long address) {
        return usableSize(address, "usableSize");
    }

    /** The usable size of {@code address}, for {@code op} ({@code usableSize}, {@code realloc}), which a rejection names. */
    long usableSize(long address, String op) {
        checkOpen();
        Slab s = map.lookup(address);
        if (s != null && s.indexOf(address) >= 0
                && SlabRange.held(address, SlabRange.state(SlabRange.offset(address)), config.guardSeal())) {
            return s.size;
        }
        long length = s == null ? large.lengthOf(address) : -1;
        if (length >= 0) {
            return length;
        }
        throw reject(op, address, s);
    }

    HakStats stats() {
        checkOpen();
        long[] sum;
        long inUse = large.bytesLive();
        long[] cached = new long[classes.count];
        int live;
        synchronized (caches) {
            reclaimEndedLocked();
            sum = retired.clone();
            for (FrontEnd cache : caches) {
                cache.addCountersTo(sum);
                for (int c = 0; c < classes.count; c++) {
                    cached[c] += cache.cached(c);
                }
            }
            live = caches.size();
        }
        long served = 0, returned = 0;
        for (int c = 0; c < classes.count; c++) {
            CentralPool pool = central[c];
            synchronized (pool) {
                inUse += (pool.handedOut - cached[c] - pool.abandoned) * classes.size[c];
                served += pool.batchesServed;
                returned += pool.batchesReturned;
            }
        }
        return new HakStats(
                FrontEnd.layer(sum, HakConfig.Layer.ULTRA_HOT),
                FrontEnd.layer(sum, HakConfig.Layer.HEAP_V2),
                FrontEnd.layer(sum, HakConfig.Layer.THREAD_LIST),
                FrontEnd.layer(sum, HakConfig.Layer.MID),
                new HakStats.LayerStats(served, shared.slabsMade(), shared.slabsReleased(), returned),
                new HakStats.LayerStats(large.mappedCount(), 0, 0, large.unmappedCount()),
                new HakStats.LayerStats(0, rejectedFrees.get(), 0, 0),
                inUse, os.mapped(), os.peak(), shared.chunks().size(), large.count(), live);
    }

    /** The registered caches, for {@link Invariants}; only meaningful while no other thread runs. */
    List<FrontEnd> caches() {
        synchronized (caches) {
            return List.copyOf(caches);
        }
    }

    // ---- Close --------------------------------------------------------------------------------

    void close() {
        synchronized (caches) {
            if (closed) {
                return;
            }
            closed = true;
            // Emptied caches and a cleared map send every later call to a slow path, which reports
            // the closed allocator instead of touching unmapped memory.
            for (FrontEnd cache : caches) {
                cache.forget();
            }
        }
        large.unmapAll();
        shared.unmapAll();   // clears the slab map first, and the chunks' tags
        SlabRange.releaseId(id);
    }

    void checkOpen() {
        if (closed) {
            throw closedError();
        }
    }

    static IllegalStateException closedError() {
        return new IllegalStateException("hakgen allocator is closed: after close() every call but close() fails");
    }

    // ---- The guard's slow path ----------------------------------------------------------------

    /**
     * The exception for an address that {@code op} cannot take, saying what the address is: foreign,
     * unaligned, interior, or an already freed block. Never touches the memory at the address.
     */
    RuntimeException reject(String op, long address, Slab s) {
        String call = op + "(0x" + Long.toHexString(address) + ")";
        RuntimeException e;
        Map.Entry<Long, Long> big;
        if (s != null) {
            long off = address - s.start;
            if (off < 0 || address >= s.limit) {
                e = new IllegalArgumentException(call + ": not a block: the address lies in a slab of " + s.size
                        + "-byte blocks but outside its blocks [0x" + Long.toHexString(s.start) + ", 0x"
                        + Long.toHexString(s.limit) + ")");
            } else if ((address & 7) != 0) {
                e = new IllegalArgumentException(call + ": unaligned: every block starts at a multiple of 8, and "
                        + "this address is " + (address & 7) + " bytes past one");
            } else if (off % s.size != 0) {
                long block = s.start + off / s.size * s.size;
                e = new IllegalArgumentException(call + ": interior pointer: it points " + (address - block)
                        + " bytes into the " + s.size + "-byte block at 0x" + Long.toHexString(block));
            } else {
                e = new IllegalStateException(call + ": double free: the " + s.size
                        + "-byte block at this address is not allocated (already freed)");
            }
        } else if ((big = large.containing(address)) != null) {
            e = new IllegalArgumentException(call + ": interior pointer: it points " + (address - big.getKey())
                    + " bytes into the large block at 0x" + Long.toHexString(big.getKey()) + " of "
                    + big.getValue() + " bytes");
        } else if (shared.chunkAt(address) != null) {
            e = new IllegalStateException(call + ": not a live block: the address lies in this allocator's memory "
                    + "but in no slab, so the block that was there was freed and its slab returned (a double free "
                    + "or a stale pointer)");
        } else {
            String where = !config.guardMincore() ? ""
                    : OsMemory.isMapped(address)
                    ? " (the address is mapped memory that belongs to someone else, e.g. libc's malloc or an Arena)"
                    : " (no memory is mapped at this address)";
            e = new IllegalArgumentException(call + ": foreign address: this allocator never handed it out" + where);
        }
        if (config.stats().contains(HakConfig.Layer.GUARD)) {
            rejectedFrees.incrementAndGet();
        }
        if (config.guardLog()) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage());
        }
        return e;
    }
}
