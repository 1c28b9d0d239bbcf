package org.hakgen.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Debug-only validators: walk every structure of an allocator and check the invariants that the fast
 * paths rely on. Tests run {@link #check} after every operation; it costs time linear in the memory
 * the allocator holds, so nothing else calls it.
 *
 * <p>Checked, as equations:
 * <ul>
 *   <li>per chunk: a unit is free ⇔ the slab map has no slab for it; each slab's units map to it and
 *       carry the tag {@code id << 8 | cls} in {@link SlabRange};</li>
 *   <li>per slab: {@code 0 <= freeCount <= carved <= capacity}; its free list has exactly
 *       {@code freeCount} distinct blocks of the slab, each {@code FREE}; it is on its class's partial
 *       list ⇔ {@code available() > 0};</li>
 *   <li>per class: {@code handedOut = Σ inUse} over its slabs; {@code emptySlabs} = the slabs on its
 *       partial list with {@code inUse = 0};</li>
 *   <li>per thread cache: every cached block is a carved block of its class, cached once, in no slab
 *       free list: {@code FREE}, but {@code ALLOCATED} and sealed in a magazine in seal mode; a list is
 *       the blocks its head's length counts, each reached by a link checked before it is read;</li>
 *   <li>per carved block: {@code ALLOCATED} (and not sealed, in seal mode) ⇔ in no free list and no
 *       cache, but for the {@code FREE} blocks a corrupted thread list left behind, as many per class as
 *       its central pool counts {@linkplain CentralPool#abandoned abandoned}; an uncarved one is {@code NONE};</li>
 *   <li>{@code bytesInUse} = Σ usable size of allocated blocks + bytes of large blocks.</li>
 * </ul>
 * Call it only while no other thread uses the allocator.
 */
public final class Invariants {
    private Invariants() {}

    /**
     * Checks every invariant of {@code allocator}, the generic or a generated build, and returns the bytes in use it
     * counted (each allocated block at its usable size, plus large blocks).
     *
     * @throws AssertionError naming the first broken invariant
     */
    public static long check(HakAllocator allocator) {
        if (!(allocator instanceof AllocatorBase build)) {
            throw new IllegalArgumentException("Invariants.check knows hakgen's builds only, not " + allocator.getClass());
        }
        Backend b = build.backend();
        SizeClasses classes = b.classes;
        boolean seal = b.config.guardSeal();

        // Chunks and slabs.
        Map<Slab, Set<Long>> freeBlocks = new HashMap<>();
        List<Slab> slabs = new ArrayList<>();
        for (Chunk chunk : b.shared.chunks()) {
            for (int u = 0; u < Chunk.UNITS; u++) {
                Slab s = b.map.lookup(chunk.unitAddress(u));
                boolean free = (chunk.freeUnits >>> u & 1) != 0;
                require(free == (s == null), "chunk 0x%x unit %d: free=%s but slab map has %s",
                        chunk.base, u, free, s);
                if (s == null) {
                    continue;
                }
                require(s.chunk == chunk && u >= s.firstUnit && u < s.firstUnit + classes.slabUnits[s.cls],
                        "chunk 0x%x unit %d maps to a slab that does not cover it", chunk.base, u);
                int tag = SlabRange.tag(SlabRange.offset(chunk.unitAddress(u)));
                require(tag == (b.id << 8 | s.cls), "chunk 0x%x unit %d: tag 0x%x, but its slab is class %d of allocator %d",
                        chunk.base, u, tag, s.cls, b.id);
                if (u == s.firstUnit) {
                    slabs.add(s);
                }
            }
        }
        long[] inUse = new long[classes.count];
        for (Slab s : slabs) {
            CentralPool pool = b.central[s.cls];
            synchronized (pool) {
                require(0 <= s.freeCount && s.freeCount <= s.carved && s.carved <= s.capacity,
                        "slab 0x%x: freeCount %d, carved %d, capacity %d", s.start, s.freeCount, s.carved, s.capacity);
                Set<Long> seen = new HashSet<>();
                long p = s.freeHead;
                while (p != 0) {
                    int i = s.indexOf(p);
                    require(i >= 0 && i < s.carved, "slab 0x%x free list: 0x%x is not a carved block", s.start, p);
                    require(s.state(i) == SlabRange.FREE, "slab 0x%x free list: block 0x%x is ALLOCATED", s.start, p);
                    require(seen.add(p), "slab 0x%x free list: 0x%x twice (cycle)", s.start, p);
                    p = OsMemory.getLong(p);
                }
                require(seen.size() == s.freeCount, "slab 0x%x: free list has %d blocks, freeCount %d",
                        s.start, seen.size(), s.freeCount);
                require(s.onPartialList == (s.available() > 0), "slab 0x%x: on partial list %s, available %d",
                        s.start, s.onPartialList, s.available());
                freeBlocks.put(s, seen);
                inUse[s.cls] += s.inUse();
            }
        }
        for (int c = 0; c < classes.count; c++) {
            require(b.central[c].handedOut() == inUse[c], "class %d B: handedOut %d, slabs' inUse %d",
                    classes.size[c], b.central[c].handedOut(), inUse[c]);
            int empty = 0;
            for (Slab s : b.central[c].partialSlabs()) {
                require(slabs.contains(s), "class %d B: partial list holds a slab no chunk maps", classes.size[c]);
                empty += s.inUse() == 0 ? 1 : 0;
            }
            require(b.central[c].emptySlabs() == empty, "class %d B: emptySlabs %d, but %d empty slabs on the partial list",
                    classes.size[c], b.central[c].emptySlabs(), empty);
        }

        // Thread caches.
        for (FrontEnd cache : b.caches()) {
            for (int c = 0; c < classes.count; c++) {
                List<Long> blocks = new ArrayList<>();
                cache.forEachInLayers(c, blocks::add);
                require(blocks.size() == cache.cachedInLayers(c), "thread '%s' layers of %d B: %d blocks, count %d",
                        cache.owner.getName(), classes.size[c], blocks.size(), cache.cachedInLayers(c));
                cache.forEachSpare(c, blocks::add);
                int inMagazines = blocks.size();
                int length = cache.list.length(c);
                long q = ThreadList.block(cache.list.head[c]);
                for (int listed = 0; listed < length; listed++) {
                    Slab s = b.map.lookup(q);   // checked before its link is read: a link written after free
                    require(s != null && s.cls == c && s.indexOf(q) >= 0, "thread '%s' list of %d B holds 0x%x "
                            + "at %d of %d, which is not a block of that class", cache.owner.getName(), classes.size[c], q,
                            listed, length);
                    blocks.add(q);
                    q = ThreadList.follow(q);
                }
                for (int k = 0; k < blocks.size(); k++) {
                    long p = blocks.get(k);
                    Slab s = b.map.lookup(p);
                    int i = s == null ? -1 : s.indexOf(p);
                    require(i >= 0 && s.cls == c && i < s.carved,
                            "thread '%s' caches 0x%x as %d B, which is not a carved block of that class",
                            cache.owner.getName(), p, classes.size[c]);
                    if (k < inMagazines && seal) {
                        require(s.state(i) == SlabRange.ALLOCATED && SlabRange.sealed(p),
                                "thread '%s' holds 0x%x in a magazine, but it is not sealed (state %d)",
                                cache.owner.getName(), p, s.state(i));
                    } else if (k < inMagazines) {
                        require(s.state(i) == SlabRange.FREE, "thread '%s' caches 0x%x, which is not FREE",
                                cache.owner.getName(), p);
                    } else {
                        require(s.state(i) == SlabRange.FREE, "thread '%s' lists 0x%x, which is not FREE",
                                cache.owner.getName(), p);
                    }
                    require(freeBlocks.get(s).add(p), "0x%x is cached twice or also in its slab's free list", p);
                }
            }
        }

        // Every carved block: allocated or free, never both; a free block in no list and no cache was
        // abandoned with a thread list that held a link written after free, and the pool counted it.
        long bytes = b.large.bytesLive();
        long[] orphans = new long[classes.count];
        for (Slab s : slabs) {
            Set<Long> free = freeBlocks.get(s);
            for (int i = 0; i < s.capacity; i++) {
                long p = s.start + i * s.size;
                byte state = s.state(i);
                boolean allocated = SlabRange.held(p, state, seal);
                if (i >= s.carved) {
                    require(state == SlabRange.NONE, "slab 0x%x: uncarved block %d has state %d", s.start, i, state);
                } else if (!allocated && !free.contains(p)) {
                    require(state == SlabRange.FREE, "block 0x%x: not held, in no list and no cache, but state %d", p, state);
                    orphans[s.cls]++;
                } else {
                    require(allocated != free.contains(p),
                            "block 0x%x: ALLOCATED=%s but free list/cache membership=%s", p, allocated, free.contains(p));
                }
                if (allocated) {
                    bytes += s.size;
                }
            }
        }
        for (int c = 0; c < classes.count; c++) {
            require(orphans[c] == b.central[c].abandoned(), "class %d B: %d free blocks in no list and no cache, "
                    + "but %d abandoned with corrupted thread lists", classes.size[c], orphans[c], b.central[c].abandoned());
        }
        long reported = b.stats().bytesInUse();
        require(reported == bytes, "stats().bytesInUse() = %d, but allocated blocks add up to %d", reported, bytes);
        return bytes;
    }

    private static void require(boolean ok, String format, Object... args) {
        if (!ok) {
            throw new AssertionError("invariant broken: " + String.format(format, args));
        }
    }
}
