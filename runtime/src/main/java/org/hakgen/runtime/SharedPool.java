package org.hakgen.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared pool ("SPSLOT" in hakmem): chunks shared among all classes. A class that needs a slab
 * takes a free run of units from a chunk already in use, then from an empty chunk, and only then maps
 * a new one. A released slab's units go back to its chunk; a chunk left empty stays mapped while fewer
 * than {@link HakConfig#chunkReserve()} empty chunks are kept (hysteresis against map/unmap churn) and is
 * unmapped otherwise.
 *
 * <p>One lock for the whole pool: it is taken once per slab (tens of thousands of blocks), never on a
 * block's path. Lock order: a {@link CentralPool}'s lock, then this one.
 */
final class SharedPool {
    private final SizeClasses classes;
    private final SlabMap map;
    private final OsBudget os;
    private final int reserve;
    /** This allocator's id in {@link SlabRange}'s unit tags. */
    private final int id;
    private final List<Chunk> chunks = new ArrayList<>();
    /** Chunks by base address, for classifying a bad free without the lock. */
    private final ConcurrentHashMap<Long, Chunk> byBase = new ConcurrentHashMap<>();
    private int serial;
    private long slabsMade;
    private long slabsReleased;
    /** Set when a chunk is mapped: the next slow path looks for caches of ended threads first. */
    volatile boolean grew;

    SharedPool(SizeClasses classes, SlabMap map, OsBudget os, int reserve, int id) {
        this.classes = classes;
        this.id = id;
        this.map = map;
        this.os = os;
        this.reserve = reserve;
    }

    /** A new, empty slab of class {@code cls}, its units registered in the slab map. */
    synchronized Slab newSlab(int cls) {
        int units = classes.slabUnits[cls];
        Chunk chunk = null;
        int unit = -1;
        // Partly used chunks first, so empty ones stay empty and can go back to the OS.
        for (int pass = 0; pass < 2 && unit < 0; pass++) {
            for (Chunk c : chunks) {
                if (c.isEmpty() == (pass == 1) && (unit = c.findRun(units)) >= 0) {
                    chunk = c;
                    break;
                }
            }
        }
        if (unit < 0) {
            chunk = new Chunk(os.mapChunk("a new chunk for class " + classes.size[cls] + " B"), serial++);
            chunks.add(chunk);
            byBase.put(chunk.base, chunk);
            grew = true;
            unit = 0;
        }
        chunk.take(unit, units);
        Slab slab = new Slab(chunk, unit, cls, classes);
        map.set(chunk, unit, units, slab);
        SlabRange.tagUnits(chunk.unitAddress(unit), units, id << 8 | cls);
        slabsMade++;
        return slab;
    }

    /** Takes back an empty slab; its chunk is unmapped if it is now empty and the reserve is full. */
    synchronized void release(Slab slab) {
        int units = classes.slabUnits[slab.cls];
        map.set(slab.chunk, slab.firstUnit, units, null);
        long from = slab.chunk.unitAddress(slab.firstUnit);
        SlabRange.tagUnits(from, units, 0);
        SlabRange.clearStates(from, (long) units << Chunk.UNIT_SHIFT);
        slab.chunk.give(slab.firstUnit, units);
        slabsReleased++;
        if (slab.chunk.isEmpty() && emptyChunks() > reserve) {
            unmap(slab.chunk);
        }
    }

    /**
     * Gives back what is not in use: empty chunks beyond {@code keep} are unmapped, and the pages of
     * every free unit left mapped are discarded (madvise), so they hold no physical memory.
     */
    synchronized void trim(int keep) {
        int empty = emptyChunks();
        for (Chunk c : List.copyOf(chunks)) {
            if (c.isEmpty() && empty > keep) {
                unmap(c);
                empty--;
            } else if (!c.discarded) {
                discardFreeUnits(c);
            }
        }
    }

    private void discardFreeUnits(Chunk c) {
        int u = 0;
        while (u < Chunk.UNITS) {
            if ((c.freeUnits >>> u & 1) == 0) {
                u++;
                continue;
            }
            int end = u;
            while (end < Chunk.UNITS && (c.freeUnits >>> end & 1) != 0) {
                end++;
            }
            OsMemory.discard(c.unitAddress(u), (long) (end - u) << Chunk.UNIT_SHIFT);
            u = end;
        }
        c.discarded = true;
    }

    private int emptyChunks() {
        int n = 0;
        for (Chunk c : chunks) {
            if (c.isEmpty()) {
                n++;
            }
        }
        return n;
    }

    private void unmap(Chunk c) {
        chunks.remove(c);
        byBase.remove(c.base);
        os.unmapChunk(c.base);   // clears the chunk's tags and states too
    }

    /** Unmaps every chunk and forgets its slabs; the pool is unusable afterwards. */
    synchronized void unmapAll() {
        for (Chunk c : List.copyOf(chunks)) {
            map.set(c, 0, Chunk.UNITS, null);
            unmap(c);
        }
    }

    /** The chunk holding {@code address}, or null; lock-free, for error messages. */
    Chunk chunkAt(long address) {
        return byBase.get(address & -Chunk.SIZE);
    }

    synchronized List<Chunk> chunks() {
        return List.copyOf(chunks);
    }

    synchronized long slabsMade() {
        return slabsMade;
    }

    synchronized long slabsReleased() {
        return slabsReleased;
    }
}
