package org.hakgen.runtime;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract for the generic build, plus what is particular to it: each layer's switch and counters. */
class GenericAllocatorTest extends AllocatorContractTest {
    @Override
    protected HakAllocator create(HakConfig config) {
        return Hakmem.generic(config);
    }

    /** The fixed-size loop of hakmem's bench: free a slot's block, allocate the same size again. */
    private static void fixedLoop(HakAllocator a, long size, int workset, int ops) {
        long[] slots = new long[workset];
        for (int i = 0; i < ops; i++) {
            int s = i % workset;
            a.free(slots[s]);
            slots[s] = a.malloc(size);
        }
        for (long p : slots) {
            a.free(p);
        }
    }

    private static long[] mallocAll(HakAllocator a, int count, long size) {
        long[] blocks = new long[count];
        for (int i = 0; i < count; i++) {
            blocks[i] = a.malloc(size);
        }
        return blocks;
    }

    private static void freeAll(HakAllocator a, long[] blocks) {
        for (long p : blocks) {
            a.free(p);
        }
    }

    @Test
    void aHigherMidMaxServesLargerRequestsFromSlabsThroughTheThreadCaches() {
        try (HakAllocator a = create(config().toBuilder().midMax(128 * 1024).build())) {
            long p = a.malloc(100_000);
            assertEquals(114_688, a.usableSize(p), "the mid class of 100,000 B: 96 KiB + 16 KiB");
            assertEquals(0, a.stats().largeBlocks());
            a.free(p);
            assertEquals(p, a.malloc(100_000), "the thread's cache hands the block back");
            long q = a.malloc(128 * 1024 + 1);
            assertEquals(1, a.stats().largeBlocks(), "above midMax: a mapping");
            a.free(q);
            a.free(p);
            assertEquals(0, Invariants.check(a));
        }
        long p = allocator.malloc(100_000);
        assertEquals(1, allocator.stats().largeBlocks(), "hakmem's 32 KiB: a mapping");
        allocator.free(p);
    }

    @Test
    void ultraHotServesItsTwoClasses() {
        fixedLoop(allocator, 16, 4, 10_000);
        HakStats s = allocator.stats();
        assertTrue(s.ultraHot().hits() > 9_000, "UltraHot hits " + s.ultraHot());
        assertEquals(0, s.heapV2().hits(), "HeapV2 gets nothing while UltraHot has room");
        Invariants.check(allocator);
    }

    @Test
    void ultraHotOffLeavesItsCountersAtZeroAndHeapV2TakesOver() {
        try (HakAllocator a = create(config().toBuilder().ultraHot(false).build())) {
            fixedLoop(a, 16, 4, 10_000);
            HakStats s = a.stats();
            assertEquals(new HakStats.LayerStats(0, 0, 0, 0), s.ultraHot());
            assertTrue(s.heapV2().hits() > 9_000, "HeapV2 hits " + s.heapV2());
            assertEquals(0, Invariants.check(a));
        }
    }

    @Test
    void heapV2MaskChoosesItsClasses() {
        try (HakAllocator a = create(config().toBuilder().ultraHot(false).heapV2ClassMask(0b1000).build())) {
            fixedLoop(a, 16, 4, 1_000);   // class 16 B is bit 1: not served
            assertEquals(0, a.stats().heapV2().hits());
            fixedLoop(a, 64, 4, 1_000);   // class 64 B is bit 3: served
            assertTrue(a.stats().heapV2().hits() > 900, a.stats().heapV2().toString());
        }
    }

    @Test
    void leftoverModeFillsHeapV2FromDrainsOnly() {
        try (HakAllocator a = create(config().toBuilder().ultraHot(false).heapV2Leftover(true).drainInterval(64).build())) {
            // Free 200 blocks: they go to the thread list; the drain at 64 frees tops HeapV2 up.
            long[] blocks = mallocAll(a, 200, 32);
            freeAll(a, blocks);
            HakStats s = a.stats();
            assertEquals(0, s.heapV2().refills(), "no free goes to HeapV2 directly in leftover mode");
            blocks = mallocAll(a, blocks.length, 32);
            assertEquals(16, a.stats().heapV2().hits(), "16 slots filled by the drain, then taken");
            freeAll(a, blocks);
            Invariants.check(a);
        }
    }

    @Test
    void drainIntervalReturnsBatchesToTheCentralPool() {
        HakConfig config = config().toBuilder().ultraHot(false).heapV2(false).drainInterval(100).build();
        try (HakAllocator a = create(config)) {
            long[] blocks = mallocAll(a, 1000, 128);
            freeAll(a, blocks);
            HakStats s = a.stats();
            // In state mode every free goes onto the thread list; in seal mode the first 16 fill the class's
            // spare magazine and the other 984 go onto the list.
            int listed = listFirst(config, 128) ? 1000 : 1000 - FrontEnd.SPARE_SLOTS;
            assertEquals(listed / 100, s.threadList().drains(), "one drain per 100 frees onto the thread list, " + s.threadList());
            assertEquals(0, Invariants.check(a));
        }
    }

    @Test
    void aDrainThatReachesALinkWrittenAfterFreeGivesBackWhatCameBeforeItAndKeepsWorking() {
        try (HakAllocator a = create(config().toBuilder().ultraHot(false).heapV2(false).drainInterval(100).build())) {
            // A mid class, with its spare magazine in both guard modes; batches of 8, so 150 mallocs leave 2 on
            // the list. 16 frees fill the magazine and 99 go onto the list: 101 blocks, blocks[114] at its head.
            long[] blocks = mallocAll(a, 150, 2048);
            for (int i = 0; i < 115; i++) {
                a.free(blocks[i]);
            }
            // A buggy program writes into blocks[30], 84th on the list: past the 8 a drain keeps, in the chain
            // it hands back, whose blocks 8 … 84 come before the bad link and 85 … 100 after it.
            OsMemory.putLong(blocks[30], 0x10);
            IllegalStateException drain = assertThrows(IllegalStateException.class, () -> a.free(blocks[115]));
            assertEquals("hakgen: draining the thread list of class 2048 B reached a link that names no free block "
                    + "of that class: a block was written after it was freed. The free that ran the drain is done; the "
                    + "16 entries left on that list are abandoned (leaked) and the allocator keeps working.",
                    drain.getMessage());
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> a.free(blocks[115]));
            assertTrue(twice.getMessage().contains("double free"), "the free was done: " + twice.getMessage());
            long held = (150 - 116) * 2048L;
            assertEquals(held, Invariants.check(a), "77 blocks back in their slabs, 16 counted abandoned");
            assertEquals(held, a.stats().bytesInUse());
            long[] more = mallocAll(a, 200, 2048);   // the class still works, and hands out no block twice
            assertEquals(200, java.util.Arrays.stream(more).distinct().count());
            freeAll(a, more);
            for (int i = 116; i < 150; i++) {
                a.free(blocks[i]);
            }
            assertEquals(0, Invariants.check(a));
        }
    }

    @Test
    void aTrimThatReachesALinkWrittenAfterFreeAbandonsTheRestWithoutFailing() {
        try (HakAllocator a = create(config().toBuilder().ultraHot(false).heapV2(false).build())) {
            long[] blocks = mallocAll(a, 40, 2048);   // 5 batches of 8: the list is empty
            freeAll(a, blocks);   // 16 into the spare magazine, 24 onto the list, blocks[39] at its head
            OsMemory.putLong(blocks[30], 0x10);   // 10th on the list; 14 blocks after it
            a.trim();   // the magazine onto the list, then the whole list back: 26 blocks before the bad link
            assertEquals(0, Invariants.check(a), "the 14 after it counted abandoned, not as the program's");
            assertEquals(0, a.stats().bytesInUse());
            long p = a.malloc(2048);
            a.free(p);
        }
    }

    @Test
    void freesAMagazineTakesDoNotCountTowardsADrain() {
        try (HakAllocator a = create(config().toBuilder().ultraHot(false).heapV2(false).drainInterval(100).build())) {
            // A mid class: it keeps its spare magazine in both guard modes (a tiny class, in seal mode only).
            long[] blocks = mallocAll(a, 200, 2048);
            freeAll(a, blocks);   // 16 into the spare magazine, 184 onto the thread list: one drain
            assertEquals(1, a.stats().mid().drains());
            fixedLoop(a, 2048, 8, 10_000);   // 10,000 frees, every one into the spare magazine
            HakStats s = a.stats();
            assertEquals(1, s.mid().drains(), "frees the magazine took drained the list (it holds 84 blocks "
                    + "beyond its batch): " + s.mid());
            assertEquals(0, Invariants.check(a));
        }
    }

    @Test
    void emptyChunksBeyondTheReserveGoBackWithoutTrim() {
        try (HakAllocator a = create(config().toBuilder().drainInterval(1).build())) {
            long[] blocks = mallocAll(a, 256, 32 * 1024);   // 256 × 32 KiB = 4 chunks
            assertEquals(4 * CHUNK, a.stats().bytesMapped());
            freeAll(a, blocks);
            // Left mapped: the chunks of the blocks the thread keeps (16 in the class's spare magazine, 2 on
            // its thread list), the chunk of the class's one cached empty slab (central hysteresis) and the
            // one-chunk reserve: at most three. The fourth goes back.
            HakStats s = a.stats();
            assertTrue(s.bytesMapped() <= 3 * CHUNK, "mapped after freeing everything: " + s.bytesMapped());
            assertEquals(4 * CHUNK, s.peakBytesMapped());
            assertEquals(0, Invariants.check(a));
        }
    }

    @Test
    void midSizesUseTheMidCaches() {
        fixedLoop(allocator, 5000, 8, 1_000);
        HakStats s = allocator.stats();
        assertTrue(s.mid().hits() > 900, s.mid().toString());
        assertEquals(0, s.threadList().hits() + s.threadList().misses(), "no tiny traffic");
    }

    @Test
    void midClassesKeepASpareMagazineInFrontOfTheirThreadList() {
        try (HakAllocator a = create(config().toBuilder().drainInterval(1).build())) {
            long[] blocks = mallocAll(a, FrontEnd.SPARE_SLOTS + 10, 5000);
            for (int i = 0; i < FrontEnd.SPARE_SLOTS; i++) {
                a.free(blocks[i]);
            }
            assertEquals(0, a.stats().mid().drains(), "the first 16 frees stay in the spare magazine: " + a.stats().mid());
            for (int i = FrontEnd.SPARE_SLOTS; i < blocks.length; i++) {
                a.free(blocks[i]);
            }
            assertTrue(a.stats().mid().drains() > 0, "the next ten go onto the thread list, which drains beyond its "
                    + "batch of 3: " + a.stats().mid());
            // The spare magazine serves the next malloc before the list (whose head is the last block freed).
            long p = a.malloc(5000);
            assertEquals(blocks[FrontEnd.SPARE_SLOTS - 1], p, "the spare magazine's top");
            a.free(p);
            Invariants.check(a);
        }
    }

    @Test
    void aLargeMidClassKeepsFewerBlocksInItsSpareMagazine() {
        try (HakAllocator a = create(config().toBuilder().drainInterval(1).midMax(128 * 1024).build())) {
            long[] blocks = mallocAll(a, 7, 128 * 1024);
            int room = FrontEnd.MID_SPARE_BYTES / (128 * 1024);
            assertEquals(4, room);
            for (int i = 0; i < room; i++) {
                a.free(blocks[i]);
            }
            assertEquals(0, a.stats().mid().drains(), "512 KiB of 128 KiB blocks stay in the magazine: " + a.stats().mid());
            for (int i = room; i < blocks.length; i++) {
                a.free(blocks[i]);
            }
            assertTrue(a.stats().mid().drains() > 0, "the fifth block on goes onto the thread list, which drains beyond "
                    + "its batch of 2: " + a.stats().mid());
            Invariants.check(a);
        }
    }

    @Test
    void statsOffCountNothing() {
        try (HakAllocator a = create(HakConfig.defaults())) {
            fixedLoop(a, 16, 64, 10_000);
            fixedLoop(a, 5000, 64, 1_000);
            HakStats s = a.stats();
            HakStats.LayerStats zero = new HakStats.LayerStats(0, 0, 0, 0);
            assertEquals(List.of(zero, zero, zero, zero), List.of(s.ultraHot(), s.heapV2(), s.threadList(), s.mid()));
            assertTrue(s.central().hits() > 0, "the central pool's counters are always kept");
        }
    }

    @Test
    void guardCountsRejectedFreesWhenAsked() {
        try (HakAllocator a = create(config().toBuilder().stats(Set.of(HakConfig.Layer.GUARD)).guardMincore(true).build())) {
            long p = a.malloc(64);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> a.free(0x10));
            assertEquals("free(0x10): foreign address: this allocator never handed it out "
                    + "(no memory is mapped at this address)", e.getMessage());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> a.free(p + 16));
            assertEquals(2, a.stats().guard().misses());
            a.free(p);
        }
    }

    @Test
    void customTinyTableIsHonoured() {
        try (HakAllocator a = create(config().toBuilder().tinyClasses(List.of(8, 24, 48, 96, 200, 400)).build())) {
            assertEquals(24, a.usableSize(a.malloc(17)));
            assertEquals(200, a.usableSize(a.malloc(150)));
            assertEquals(640, a.usableSize(a.malloc(401)), "mid classes start right above the tiny table");
            assertEquals(1280, a.usableSize(a.malloc(1100)));
        }
    }

    @Test
    void everyLayerCombinationKeepsTheInvariants() {
        for (int bits = 0; bits < 8; bits++) {
            HakConfig c = config().toBuilder().ultraHot((bits & 1) != 0).heapV2((bits & 2) != 0)
                    .heapV2Leftover((bits & 4) != 0).drainInterval(50).stats(EnumSet.allOf(HakConfig.Layer.class)).build();
            try (HakAllocator a = create(c)) {
                java.util.SplittableRandom r = new java.util.SplittableRandom(bits);
                long[] slots = new long[100];
                for (int i = 0; i < 5_000; i++) {
                    int s = r.nextInt(slots.length);
                    a.free(slots[s]);
                    slots[s] = a.malloc(r.nextInt(2) == 0 ? 16 : 1 + r.nextInt(2000));
                }
                Invariants.check(a);
                for (long p : slots) {
                    a.free(p);
                }
                assertEquals(0, Invariants.check(a), "layers " + c);
            }
        }
    }
}
