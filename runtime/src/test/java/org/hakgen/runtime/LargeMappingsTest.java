package org.hakgen.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LargeMappingsTest {
    private static final long KIB = 1024, MIB = 1024 * KIB;

    private final OsBudget os = new OsBudget(Long.MAX_VALUE);
    private final LargeMappings large = new LargeMappings(os);

    @AfterEach
    void unmap() {
        large.unmapAll();
        assertEquals(0, os.mapped(), "close unmaps every live and cached mapping");
    }

    @Test
    void lengthsAreClassesOfAtMostAnEighthMore() {
        long previous = 0;
        for (long size = 32 * KIB + 1; size <= 64 * MIB; size += 1 + size / 97) {
            long length = LargeMappings.lengthFor(size);
            assertEquals(0, length % OsMemory.OS_PAGE, "whole pages for " + size);
            assertTrue(length >= size, "room for " + size);
            long pages = (size + OsMemory.OS_PAGE - 1) & -OsMemory.OS_PAGE;
            assertTrue(length - pages <= pages / 8, size + " maps " + length);
            assertTrue(length >= previous, "monotone at " + size);
            assertEquals(length, LargeMappings.lengthFor(length), "a class length is its own class: " + length);
            previous = length;
        }
        assertEquals(100 * KIB + 4 * KIB, LargeMappings.lengthFor(100_000), "(64 KiB, 128 KiB] in 8 KiB steps");
        assertEquals(LargeMappings.MAX_CACHED + 4 * KIB, LargeMappings.lengthFor(LargeMappings.MAX_CACHED + 1),
                "above what is cached, pages");
    }

    @Test
    void aFreedMappingServesTheNextRequestOfItsClassWithoutASystemCall() {
        long a = large.allocate(70_000, OsMemory.OS_PAGE, false);
        large.free(a);
        long mappedBefore = large.mappedCount();
        long b = large.allocate(72 * KIB, OsMemory.OS_PAGE, false);
        assertEquals(a, b, "70,000 B and 72 KiB are one class");
        assertEquals(mappedBefore, large.mappedCount(), "no new mapping");
        large.free(b);
        long c = large.allocate(60 * KIB, OsMemory.OS_PAGE, false);
        assertEquals(a, c, "a class up to two above is taken when the request's own is empty");
        large.free(c);
        long d = large.allocate(40 * KIB, OsMemory.OS_PAGE, false);
        assertNotEquals(a, d, "never with more than about a quarter to spare");
        large.free(d);
    }

    @Test
    void aReusedMappingIsZeroedForCalloc() {
        long a = large.allocate(100_000, OsMemory.OS_PAGE, false);
        OsMemory.fill(a, 100_000, (byte) 0x5A);
        large.free(a);
        long b = large.allocate(100_000, OsMemory.OS_PAGE, true);
        assertEquals(a, b);
        for (long off = 0; off < 100_000; off += 997) {
            assertEquals(0, Blocks.byteAt(b + off), "byte " + off);
        }
        large.free(b);
    }

    @Test
    void theCacheKeepsAtMostItsEntriesAndUnmapsTheOldestFirst() {
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < LargeMappings.CACHE_ENTRIES + 10; i++) {
            blocks.add(large.allocate(40 * KIB, OsMemory.OS_PAGE, false));
        }
        for (long b : blocks) {
            large.free(b);
        }
        assertEquals(10, large.unmappedCount(), "the ten freed first are unmapped");
        assertEquals(LargeMappings.CACHE_ENTRIES * 40 * KIB, os.mapped(), "the rest stay mapped, counted");
        long again = large.allocate(40 * KIB, OsMemory.OS_PAGE, false);
        assertEquals(blocks.getLast(), again, "the cache is a stack: the last freed comes back first");
        large.free(again);
        large.releaseCache();
        assertEquals(0, os.mapped(), "trim unmaps the cache");
    }

    @Test
    void theCacheKeepsAtMostItsBytes() {
        List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            blocks.add(large.allocate(LargeMappings.MAX_CACHED, OsMemory.OS_PAGE, false));
        }
        for (long b : blocks) {
            large.free(b);
        }
        assertEquals(LargeMappings.CACHE_BYTES, os.mapped(), "four quarters of the cache stay mapped");
        long huge = large.allocate(LargeMappings.MAX_CACHED + 1, OsMemory.OS_PAGE, false);
        long unmappedBefore = large.unmappedCount();
        large.free(huge);
        assertEquals(unmappedBefore + 1, large.unmappedCount(), "a mapping longer than a quarter is unmapped at once");
    }

    @Test
    void thousandsOfLiveMappingsAreFoundByStartAndByInteriorAddress() {
        Random random = new Random(42);
        Map<Long, Long> live = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            long size = 33 * KIB + random.nextInt(400 * (int) KIB);
            long a = large.allocate(size, OsMemory.OS_PAGE, false);
            live.put(a, LargeMappings.lengthFor(size));
        }
        List<Long> order = new ArrayList<>(live.keySet());
        Collections.shuffle(order, random);
        for (int i = 0; i < order.size(); i++) {
            long a = order.get(i);
            if (i % 2 == 0) {
                assertTrue(large.free(a));
                live.remove(a);
                assertEquals(-1, large.lengthOf(a), "freed");
                assertFalse(large.free(a), "a second free finds nothing");
            }
        }
        assertEquals(live.size(), large.count());
        for (var e : live.entrySet()) {
            assertEquals(e.getValue(), large.lengthOf(e.getKey()));
            long inside = e.getKey() + e.getValue() - 1;
            assertEquals(Map.entry(e.getKey(), e.getValue()), large.containing(inside));
        }
        assertNull(large.containing(0x1000), "an address below every mapping");
        assertEquals(live.values().stream().mapToLong(Long::longValue).sum(), large.bytesLive());
    }
}
