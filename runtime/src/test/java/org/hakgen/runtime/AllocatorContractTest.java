package org.hakgen.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every build must keep, whatever it folds: one subclass per build (the generic one here,
 * each generated build in its own module). Subclasses say how to make their allocator and may narrow
 * {@link #config()} to their profile.
 */
public abstract class AllocatorContractTest {
    protected static final long MIB = 1L << 20;
    /** What a chunk counts in bytesMapped: its 2 MiB and the state bytes of SlabRange it can touch. */
    protected static final long CHUNK = 2 * MIB + 2 * MIB / 8;

    protected HakAllocator allocator;

    /** A new allocator of the build under test. */
    protected abstract HakAllocator create(HakConfig config);

    /** The configuration the tests run with; every layer's counters on. */
    protected HakConfig config() {
        return HakConfig.defaults().withAllStats();
    }

    /** The debug validators; returns the bytes in use they counted. */
    /** The block size this build hands out for a request of {@code bytes} (up to 32 KiB): its class's size. */
    protected long classSize(long bytes) {
        SizeClasses classes = new SizeClasses(config().tinyClasses(), config().midMax());
        return classes.size[classes.classOf(bytes)];
    }

    /**
     * Whether {@code config} frees a block of {@code bytes} straight onto its thread list: a tiny class with
     * neither UltraHot nor HeapV2 while the guard is in state mode keeps no magazine in front of its list
     * ({@link FrontEnd#tinySpares}), so a write into a freed block's first word lands in a link.
     */
    protected static boolean listFirst(HakConfig config, long bytes) {
        SizeClasses classes = new SizeClasses(config.tinyClasses(), config.midMax());
        int cls = classes.classOf(bytes);
        boolean ultraHot = config.ultraHot() && config.ultraHotSizes().stream().anyMatch(b -> classes.classOf(b) == cls);
        boolean heapV2 = config.heapV2() && cls < 32 && (config.heapV2ClassMask() >>> cls & 1) != 0;
        return classes.isTiny(cls) && !FrontEnd.tinySpares(config) && !ultraHot && !heapV2;
    }

    /** The start of the report of a thread list of {@code bytes}' class that held {@code link}, up to its count. */
    protected String corruptedList(long bytes, long link) {
        return "hakgen: the thread list of class " + classSize(bytes) + " B held the link 0x" + Long.toHexString(link)
                + ", which names no free block of that class: a block was written after it was freed. It was not handed "
                + "out; the ";
    }

    protected long validate(HakAllocator a) {
        return Invariants.check(a);
    }

    @BeforeEach
    void open() {
        allocator = create(config());
    }

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    // ---- Sizes, classes, alignment ------------------------------------------------------------

    /**
     * The usable size the contract promises for a request: the smallest class that holds it, up to the
     * build's {@link HakConfig#midMax()}, or whole OS pages.
     */
    protected long expectedUsable(long size) {
        TreeSet<Integer> classes = new TreeSet<>(config().tinyClasses());
        int midMax = config().midMax();
        for (int base = 512; base < midMax; base <<= 1) {
            for (int q = 1; q <= 4; q++) {
                int s = base + base / 4 * q;
                if (s > classes.last()) {
                    classes.add(s);
                }
            }
        }
        Integer c = classes.ceiling((int) Math.min(Math.max(size, 1), Integer.MAX_VALUE));
        return c != null && size <= midMax ? c : (size + 4095) & -4096L;
    }

    @Test
    void everySizeUpTo40KiBGetsItsClassAndAlignment() {
        for (long size = 0; size <= 40 * 1024; size++) {
            long p = allocator.malloc(size);
            long usable = allocator.usableSize(p);
            assertEquals(expectedUsable(size), usable, "usable size of malloc(" + size + ")");
            assertEquals(0, p & 7, "malloc(" + size + ") = 0x" + Long.toHexString(p) + " is not 8-byte aligned");
            if (Long.bitCount(usable) == 1) {
                long align = Math.min(usable, 4096);
                assertEquals(0, p & (align - 1), "malloc(" + size + ") of a " + usable + "-byte class at 0x"
                        + Long.toHexString(p) + " is not aligned to " + align);
            }
            assertTrue(allocator.owns(p));
            allocator.free(p);
        }
        assertEquals(0, validate(allocator));
    }

    @Test
    void blocksAreDistinctAndKeepTheirContents() {
        Map<Long, Long> live = new HashMap<>();
        SplittableRandom random = new SplittableRandom(1);
        for (long id = 1; id <= 5000; id++) {
            long size = 1 + random.nextInt(random.nextBoolean() ? 256 : 40000);
            long p = allocator.malloc(size);
            assertNull(live.put(p, size), "address handed out twice while live: 0x" + Long.toHexString(p));
            Blocks.fill(p, size, p);
        }
        for (var e : live.entrySet()) {
            assertNull(Blocks.check(e.getKey(), e.getValue(), e.getKey()));
            allocator.free(e.getKey());
        }
        assertEquals(0, validate(allocator));
        assertEquals(0, allocator.stats().bytesInUse());
    }

    // ---- calloc, realloc ----------------------------------------------------------------------

    @Test
    void callocZeroesReusedMemory() {
        for (long size : new long[] {16, 200, 4000, 100_000}) {
            long dirty = allocator.malloc(size);
            Blocks.set(dirty, size, (byte) 0xAB);
            allocator.free(dirty);
            long p = allocator.calloc(size / 8, 8);
            for (long i = 0; i < size; i++) {
                assertEquals(0, Blocks.byteAt(p + i), "calloc byte " + i + " of " + size);
            }
            allocator.free(p);
        }
    }

    @Test
    void callocRejectsNegativeAndOverflow() {
        expectThenStillWorks(IllegalArgumentException.class,
                "calloc(-1, 8): count and size must be at least 0", () -> allocator.calloc(-1, 8));
        expectThenStillWorks(IllegalArgumentException.class,
                "calloc(4294967296, 4294967296): count × size overflows 64 bits",
                () -> allocator.calloc(1L << 32, 1L << 32));
    }

    @Test
    void reallocFollowsC() {
        long p = allocator.realloc(0, 24);
        assertEquals(classSize(24), allocator.usableSize(p), "realloc(0, n) is malloc(n)");
        Blocks.fill(p, 24, 7);
        assertEquals(p, allocator.realloc(p, classSize(24)), "a size in the same class keeps the block");
        long q = allocator.realloc(p, 5000);
        assertNull(Blocks.check(q, 24, 7), "growing keeps the contents");
        long r = allocator.realloc(q, 100_000);
        assertNull(Blocks.check(r, 24, 7), "growing to a large block keeps the contents");
        long s = allocator.realloc(r, 20);
        assertNull(Blocks.check(s, 16, 7), "shrinking keeps the first bytes");
        assertEquals(0, allocator.realloc(s, 0), "realloc(p, 0) frees and returns 0");
        assertEquals(0, validate(allocator));
    }

    @Test
    void reallocFailureLeavesTheOldBlock() {
        long p = allocator.malloc(100);
        Blocks.fill(p, 100, 3);
        expectThenStillWorks(IllegalArgumentException.class,
                "realloc(0x" + Long.toHexString(p) + ", -1): size must be at least 0", () -> allocator.realloc(p, -1));
        assertNull(Blocks.check(p, 100, 3));
        allocator.free(p);
    }

    // ---- Bad input: exact exception, then the allocator still works ---------------------------

    @Test
    void negativeSizeIsRejected() {
        expectThenStillWorks(IllegalArgumentException.class, "malloc(-1): size must be at least 0",
                () -> allocator.malloc(-1));
    }

    @Test
    void impossibleSizesAreOutOfMemory() {
        expectThenStillWorks(OutOfMemoryError.class,
                "malloc(9223372036854775807): more than the 140737488355328 bytes of the user address space",
                () -> allocator.malloc(Long.MAX_VALUE));
        expectThenStillWorks(OutOfMemoryError.class,
                "malloc(4611686018427387904): more than the 140737488355328 bytes of the user address space",
                () -> allocator.calloc(1L << 31, 1L << 31));
    }

    @Test
    void foreignAddressIsRejected() {
        try (Arena arena = Arena.ofConfined()) {
            long foreign = arena.allocate(64).address();
            String hex = Long.toHexString(foreign);
            expectThenStillWorks(IllegalArgumentException.class,
                    "free(0x" + hex + "): foreign address: this allocator never handed it out",
                    () -> allocator.free(foreign));
            expectThenStillWorks(IllegalArgumentException.class,
                    "usableSize(0x" + hex + "): foreign address: this allocator never handed it out",
                    () -> allocator.usableSize(foreign));
            expectThenStillWorks(IllegalArgumentException.class,
                    "realloc(0x" + hex + "): foreign address: this allocator never handed it out",
                    () -> allocator.realloc(foreign, 10));
            assertFalse(allocator.owns(foreign));
        }
        expectThenStillWorks(IllegalArgumentException.class,
                "free(0xffffffffffffff00): foreign address: this allocator never handed it out",
                () -> allocator.free(0xFFFF_FFFF_FFFF_FF00L));
    }

    @Test
    void interiorPointerIsRejected() {
        long p = allocator.malloc(64);
        expectThenStillWorks(IllegalArgumentException.class, "free(0x" + Long.toHexString(p + 8)
                        + "): interior pointer: it points 8 bytes into the " + classSize(64) + "-byte block at 0x"
                        + Long.toHexString(p),
                () -> allocator.free(p + 8));
        long big = allocator.malloc(config().midMax() + 100_000);   // a large block in any build
        expectThenStillWorks(IllegalArgumentException.class, "free(0x" + Long.toHexString(big + 4096)
                        + "): interior pointer: it points 4096 bytes into the large block at 0x"
                        + Long.toHexString(big) + " of " + allocator.usableSize(big) + " bytes",
                () -> allocator.free(big + 4096));
        allocator.free(p);
        allocator.free(big);
    }

    @Test
    void unalignedAddressIsRejected() {
        long p = allocator.malloc(32);
        expectThenStillWorks(IllegalArgumentException.class, "free(0x" + Long.toHexString(p + 3)
                        + "): unaligned: every block starts at a multiple of 8, and this address is 3 bytes past one",
                () -> allocator.free(p + 3));
        allocator.free(p);
    }

    @Test
    void doubleFreeIsRejected() {
        for (long size : new long[] {16, 48, 700, 3000}) {
            long p = allocator.malloc(size);
            long usable = allocator.usableSize(p);
            allocator.free(p);
            expectThenStillWorks(IllegalStateException.class, "free(0x" + Long.toHexString(p)
                            + "): double free: the " + usable + "-byte block at this address is not allocated (already freed)",
                    () -> allocator.free(p));
        }
        long big = allocator.malloc(1 << 20);
        allocator.free(big);
        expectThenStillWorks(IllegalArgumentException.class,
                "free(0x" + Long.toHexString(big) + "): foreign address: this allocator never handed it out",
                () -> allocator.free(big));
    }

    @Test
    void freeOfABlockWhoseSlabWasReturnedIsRejected() {
        long p = allocator.malloc(20_000);
        allocator.free(p);
        allocator.trim();   // the slab, now empty, goes back to the shared pool
        expectThenStillWorks(IllegalStateException.class, "free(0x" + Long.toHexString(p)
                        + "): not a live block: the address lies in this allocator's memory but in no slab, so the block "
                        + "that was there was freed and its slab returned (a double free or a stale pointer)",
                () -> allocator.free(p));
    }

    @Test
    void aBlockOfAnotherAllocatorIsForeignHere() {
        try (HakAllocator other = create(config())) {
            long q = other.malloc(48);
            expectThenStillWorks(IllegalArgumentException.class,
                    "free(0x" + Long.toHexString(q) + "): foreign address: this allocator never handed it out",
                    () -> allocator.free(q));
            assertEquals(expectedUsable(48), other.usableSize(q), "still allocated in its own allocator");
            other.free(q);
        }
    }

    @Test
    void aThreadListLinkWrittenAfterFreeIsReportedNotFollowed() {
        // The link now points at an address nobody may read.
        writeTheLinkOfTheListsHead(blocks -> 0x10);
    }

    @Test
    void aThreadListLinkWrittenWithAnotherFreeBlocksAddressIsRefusedNotFollowed() {
        // A stale pointer the program keeps in a freed node: the address of a block that is free too, further
        // down the same list. Taken as a link it would be followed (and the address of a free block in a
        // central pool or another thread's cache would be handed out twice); links are mangled with a key, so
        // an address the program writes is never a link.
        writeTheLinkOfTheListsHead(blocks -> blocks[20]);
    }

    /**
     * Frees 64 blocks of 3000 B, the last of which heads the thread list (the spare magazine filled
     * first), and writes {@code word.applyAsLong(blocks)} into that block's first word, as a buggy
     * program would after free; then the class must report the link, hand out nothing further down its
     * list, keep working, and count the abandoned blocks as such.
     */
    private void writeTheLinkOfTheListsHead(ToLongFunction<long[]> word) {
        long[] blocks = new long[64];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = allocator.malloc(3000);
        }
        for (long p : blocks) {
            allocator.free(p);
        }
        long written = word.applyAsLong(blocks);
        OsMemory.putLong(blocks[blocks.length - 1], written);
        IllegalStateException e = null;
        List<Long> got = new ArrayList<>();
        for (int i = 0; i < 2 * blocks.length && e == null; i++) {
            try {
                got.add(allocator.malloc(3000));
            } catch (IllegalStateException thrown) {
                e = thrown;
            }
        }
        assertNotNull(e, "a malloc reports the written link");
        assertTrue(e.getMessage().startsWith(corruptedList(3000, written & ThreadList.OFFSETS)), e.getMessage());
        assertFalse(got.contains(blocks[20]), "the list was abandoned, not followed: " + got);
        assertEquals(got.size(), got.stream().distinct().count(), "no block handed out twice: " + got);
        long p = allocator.malloc(3000);   // the class still works, with a block nobody holds
        assertFalse(got.contains(p), "0x" + Long.toHexString(p) + " handed out twice");
        Blocks.fill(p, 3000, 5);
        assertNull(Blocks.check(p, 3000, 5));
        got.add(p);
        got.forEach(allocator::free);
        assertEquals(0, validate(allocator), "the abandoned blocks are counted as such, not as the program's");
    }

    private String doubleFree(long p, long size) {
        return "free(0x" + Long.toHexString(p) + "): double free: the " + classSize(size)
                + "-byte block at this address is not allocated (already freed)";
    }

    private static String unsealed(long p) {
        return "hakgen: the cached free block at 0x" + Long.toHexString(p) + " was written after it was freed, or freed "
                + "twice with a write in between: it was not handed out, so no two callers share it, and it stays out "
                + "of the caches; the allocator keeps working.";
    }

    @Test
    void aCachedBlockWrittenAfterFreeIsRefusedInSealModeAndReusedInStateMode() {
        for (long size : new long[] {16, 48, 700, 3000}) {
            long p = allocator.malloc(size);
            allocator.free(p);   // into a magazine, on top
            OsMemory.putLong(p, 0x10);   // a buggy program writes into it after free
            if (config().guardSeal()) {
                expectThenStillWorks(IllegalStateException.class, unsealed(p), () -> allocator.malloc(size));
                assertEquals(classSize(size), allocator.usableSize(p), "out of the caches, so counted as the program's");
            } else if (listFirst(config(), size)) {   // no magazine: the block heads its list, the write is its link
                assertEquals(p, allocator.malloc(size), "its own state says FREE: handed out");
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> allocator.malloc(size));
                assertTrue(e.getMessage().startsWith(corruptedList(size, 0x10)), e.getMessage());
                allocator.free(p);
                assertEquals(0, validate(allocator), "the list was abandoned, and its blocks counted so");
            } else {   // a magazine is a Java array: its blocks are not read again until handed out
                assertEquals(p, allocator.malloc(size));
                allocator.free(p);
            }
        }
    }

    @Test
    void aBlockFreedTwiceWithAWriteBetweenIsNeverHandedOutTwice() {
        for (long size : new long[] {16, 48, 700, 3000}) {
            long p = allocator.malloc(size);
            allocator.free(p);
            OsMemory.putLong(p, 0x10);   // wipes a seal; a state byte says FREE regardless
            if (config().guardSeal()) {
                allocator.free(p);   // no seal: this free cannot tell, so the block sits in the magazine twice
                assertEquals(p, allocator.malloc(size), "the top of the magazine");
                expectThenStillWorks(IllegalStateException.class, unsealed(p), () -> allocator.malloc(size));
            } else if (listFirst(config(), size)) {   // no magazine: p heads its thread list, and the write is its link
                IllegalStateException twice = assertThrows(IllegalStateException.class, () -> allocator.free(p));
                assertEquals(doubleFree(p, size), twice.getMessage());
                assertEquals(p, allocator.malloc(size), "the head of its list");
                IllegalStateException link = assertThrows(IllegalStateException.class, () -> allocator.malloc(size));
                assertTrue(link.getMessage().startsWith(corruptedList(size, 0x10)), link.getMessage());
                assertEquals(classSize(size), validate(allocator), "p is the program's; the abandoned list is counted so");
            } else {
                expectThenStillWorks(IllegalStateException.class, doubleFree(p, size), () -> allocator.free(p));
                assertEquals(p, allocator.malloc(size), "the top of the magazine");
            }
            Blocks.fill(p, size, 7);   // the one caller that holds it
            long[] others = new long[40];
            for (int i = 0; i < others.length; i++) {
                others[i] = allocator.malloc(size);
                assertNotEquals(p, others[i], "handed out while a caller holds it");
                Blocks.fill(others[i], size, 8);
            }
            assertNull(Blocks.check(p, size, 7));
            for (long q : others) {
                allocator.free(q);
            }
            allocator.free(p);
            assertEquals(0, validate(allocator));
        }
    }

    @Test
    void freeOfZeroDoesNothing() {
        allocator.free(0);
        assertEquals(0, validate(allocator));
    }

    @Test
    void memoryLimitThrowsAndLosesNothing() {
        try (HakAllocator limited = create(config().withMemoryLimit(4 * MIB))) {
            List<Long> blocks = new ArrayList<>();
            OutOfMemoryError oom = null;
            while (oom == null) {
                try {
                    long p = limited.malloc(64);
                    Blocks.fill(p, 64, blocks.size());
                    blocks.add(p);
                } catch (OutOfMemoryError e) {
                    oom = e;
                }
            }
            assertTrue(oom.getMessage().startsWith("hakgen memory limit of 4194304 bytes reached"), oom.getMessage());
            long fit = 4 * MIB / classSize(64);   // blocks of 64 B fit in 4 MiB without any overhead
            assertTrue(blocks.size() > fit * 45 / 100, "only " + blocks.size() + " blocks of 64 B fit in 4 MiB, of " + fit);
            for (int i = 0; i < blocks.size(); i++) {
                assertNull(Blocks.check(blocks.get(i), 64, i));
            }
            limited.free(blocks.removeLast());
            long again = limited.malloc(64);
            assertTrue(limited.owns(again));
            blocks.add(again);
            for (long p : blocks) {
                limited.free(p);
            }
            long big = limited.malloc(3 * MIB);
            OutOfMemoryError large = assertThrows(OutOfMemoryError.class, () -> limited.malloc(3 * MIB));
            assertTrue(large.getMessage().contains("a large block of 3145728 B needs 3145728 more"), large.getMessage());
            limited.free(big);
            limited.free(limited.malloc(3 * MIB));
            assertEquals(0, validate(limited));
        }
    }

    // ---- Segments, heaps, close ---------------------------------------------------------------

    @Test
    void segmentsAreAlignedAsAsked() {
        for (long align = 1; align <= 65536; align <<= 1) {
            for (long size : new long[] {0, 1, 24, 1000, 5000, 70_000}) {
                MemorySegment s = allocator.allocate(size, align);
                assertEquals(size, s.byteSize());
                assertEquals(0, s.address() % align, "allocate(" + size + ", " + align + ")");
                s.fill((byte) 1);
                allocator.free(s);
            }
        }
        expectThenStillWorks(IllegalArgumentException.class,
                "allocate(8, 3): alignment must be a power of two (1, 2, 4, 8, …)", () -> allocator.allocate(8, 3));
        MemorySegment heap = MemorySegment.ofArray(new byte[8]);
        assertThrows(IllegalArgumentException.class, () -> allocator.free(heap));
        assertEquals(0, validate(allocator));
    }

    @Test
    void aHeapServesOnlyItsThread() throws Exception {
        HakHeap heap = allocator.threadHeap();
        long p = heap.malloc(16);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                heap.malloc(16);
            } catch (Throwable t) {
                error.set(t);
            }
            allocator.free(p);   // any thread may free any block
        }, "intruder");
        other.start();
        other.join();
        assertTrue(error.get() instanceof IllegalStateException, String.valueOf(error.get()));
        assertEquals("this HakHeap belongs to thread '" + Thread.currentThread().getName()
                + "' and was used from thread 'intruder': a heap serves only the thread that got it from threadHeap()",
                error.get().getMessage());
        assertEquals(0, allocator.stats().bytesInUse());
    }

    @Test
    void closeUnmapsAndEveryLaterCallFails() {
        // Fill every layer first: a fast path that still found a cached block after close would hand out unmapped memory.
        for (int size : new int[] {8, 16, 32, 64, 100, 2048}) {
            long[] blocks = new long[100];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = allocator.malloc(size);
            }
            for (long b : blocks) {
                allocator.free(b);
            }
        }
        long p = allocator.malloc(100);
        HakHeap heap = allocator.threadHeap();
        allocator.close();
        String closed = "hakgen allocator is closed: after close() every call but close() fails";
        List<Executable> calls = List.of(() -> allocator.malloc(8), () -> allocator.malloc(16),
                () -> allocator.malloc(32), () -> allocator.malloc(64), () -> allocator.malloc(2048),
                () -> allocator.free(p), () -> allocator.free(0),
                () -> allocator.calloc(1, 8), () -> allocator.realloc(p, 8), () -> allocator.usableSize(p),
                () -> allocator.owns(p), () -> allocator.allocate(8, 8), () -> allocator.threadHeap(),
                () -> allocator.stats(), () -> allocator.trim(), () -> heap.malloc(8), () -> heap.free(p));
        for (Executable call : calls) {
            assertEquals(closed, assertThrows(IllegalStateException.class, call).getMessage());
        }
        allocator.close();   // again: nothing
    }

    // ---- Threads ------------------------------------------------------------------------------

    @Test
    void blocksCachedByAnEndedThreadAreReclaimed() throws Exception {
        Thread t = new Thread(() -> {
            long[] blocks = new long[3000];
            for (int i = 0; i < blocks.length; i++) {
                blocks[i] = allocator.malloc(8 + (i % 64) * 64);   // tiny and mid sizes, about 6 MB in all
            }
            for (long p : blocks) {
                allocator.free(p);   // all of them stay in this thread's caches
            }
        });
        t.start();
        t.join();
        assertTrue(allocator.stats().bytesMapped() > CHUNK, "the thread's slabs need more than one chunk");
        allocator.trim();
        HakStats s = allocator.stats();
        assertEquals(0, s.bytesInUse());
        assertEquals(config().chunkReserve() * CHUNK, s.bytesMapped(), "after trim() only the chunk reserve stays mapped");
        assertEquals(1, s.threadCaches(), "the ended thread's cache is gone; the calling thread's remains");
    }

    /**
     * The lookup tries the first thread's cache before the table: a thread that comes after the first
     * one ended, and the threads beside it, each still get their own cache and their own blocks.
     */
    @Test
    void eachThreadFindsItsOwnCacheAfterTheFirstThreadEnded() throws Exception {
        AtomicReference<HakHeap> firstHeap = new AtomicReference<>();
        Thread first = new Thread(() -> {
            allocator.free(allocator.malloc(16));
            firstHeap.set(allocator.threadHeap());
        });
        first.start();
        first.join();
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicReference<HakHeap> laterHeap = new AtomicReference<>();
        Thread later = new Thread(() -> {
            try {
                long p = allocator.malloc(16);
                laterHeap.set(allocator.threadHeap());
                assertTrue(laterHeap.get() != firstHeap.get(), "a later thread gets a cache of its own");
                laterHeap.get().free(p);   // the heap's owner check: this thread's own
                allocator.free(allocator.malloc(32));
            } catch (Throwable e) {
                error.set(e);
            }
        });
        later.start();
        later.join();
        assertNull(error.get());
        long p = allocator.malloc(16);
        HakHeap mine = allocator.threadHeap();
        assertTrue(mine != firstHeap.get() && mine != laterHeap.get(), "the calling thread's cache is its own");
        mine.free(p);
        assertEquals(0, allocator.stats().bytesInUse());
    }

    @Test
    void threadsOfTheFactoryCarryTheirCaches() throws Exception {
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = allocator.threadFactory().newThread(() -> {
            try {
                long p = allocator.malloc(16);
                assertTrue(Thread.currentThread() instanceof HakThread);
                assertTrue(allocator.threadHeap() == allocator.threadHeap(), "one cache per thread");
                allocator.threadHeap().free(p);
            } catch (Throwable e) {
                error.set(e);
            }
        });
        assertTrue(t.isDaemon() && t.getName().startsWith("hak-"), t.getName());
        t.start();
        t.join();
        assertNull(error.get());
        assertEquals(0, allocator.stats().bytesInUse());
    }

    /**
     * Not a benchmark: four threads, 2 M operations, a third of the frees done by a thread other than
     * the allocating one, every block's contents checked before it is freed.
     */
    @Test
    void stressWithCrossThreadFrees() throws Exception {
        int threads = 4, opsPerThread = 500_000, workset = 512;
        List<ConcurrentLinkedQueue<long[]>> inbox = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            inbox.add(new ConcurrentLinkedQueue<>());
        }
        CountDownLatch produced = new CountDownLatch(threads);
        AtomicReference<String> failure = new AtomicReference<>();
        long[] crossFrees = new long[threads];
        long[] frees = new long[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int me = t;
            Runnable work = () -> {
                SplittableRandom random = new SplittableRandom(me);
                // Threads 0 and 1 go through the ThreadLocal, 2 through its field, 3 through its heap.
                HakHeap heap = me == 3 ? allocator.threadHeap() : null;
                long[] addr = new long[workset], size = new long[workset], id = new long[workset];
                long nextId = (long) me << 40;
                try {
                    for (int op = 0; op < opsPerThread; op++) {
                        int slot = random.nextInt(workset);
                        if (addr[slot] != 0) {
                            String bad = Blocks.check(addr[slot], size[slot], id[slot]);
                            if (bad != null) {
                                failure.compareAndSet(null, bad);
                                return;
                            }
                            if (random.nextInt(3) == 0) {
                                inbox.get((me + 1 + random.nextInt(threads - 1)) % threads)
                                        .add(new long[] {addr[slot], size[slot], id[slot]});
                                crossFrees[me]++;
                            } else if (heap != null) {
                                heap.free(addr[slot]);
                            } else {
                                allocator.free(addr[slot]);
                            }
                            frees[me]++;
                        }
                        int roll = random.nextInt(100);
                        long n = roll < 90 ? 1 + random.nextInt(256) : roll < 99 ? 257 + random.nextInt(32 * 1024 - 256)
                                : 32 * 1024 + random.nextInt(64 * 1024);
                        long p = heap != null ? heap.malloc(n) : allocator.malloc(n);
                        Blocks.fill(p, n, ++nextId);
                        addr[slot] = p;
                        size[slot] = n;
                        id[slot] = nextId;
                        if ((op & 255) == 0) {
                            drainInbox(inbox.get(me), failure);
                        }
                    }
                    for (int slot = 0; slot < workset; slot++) {
                        if (addr[slot] != 0) {
                            allocator.free(addr[slot]);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e.toString());
                } finally {
                    produced.countDown();
                }
                try {
                    produced.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                drainInbox(inbox.get(me), failure);
            };
            workers[t] = me < 2 ? new Thread(work, "stress-" + me) : allocator.threadFactory().newThread(work);
        }
        for (Thread w : workers) {
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        assertNull(failure.get());
        long totalFrees = 0, totalCross = 0;
        for (int t = 0; t < threads; t++) {
            totalFrees += frees[t];
            totalCross += crossFrees[t];
        }
        assertTrue(totalCross * 4 > totalFrees, "cross-thread frees " + totalCross + " of " + totalFrees);
        HakStats s = allocator.stats();
        assertEquals(0, s.bytesInUse(), "bytes in use after every block was freed");
        assertEquals(0, validate(allocator));
        allocator.trim();
        assertEquals(config().chunkReserve() * CHUNK, allocator.stats().bytesMapped(),
                "after trim() bytes mapped falls back to the chunk reserve");
    }

    private void drainInbox(ConcurrentLinkedQueue<long[]> inbox, AtomicReference<String> failure) {
        long[] b;
        while ((b = inbox.poll()) != null) {
            String bad = Blocks.check(b[0], b[1], b[2]);
            if (bad != null) {
                failure.compareAndSet(null, bad);
            }
            allocator.free(b[0]);
        }
    }

    // ---- A random sequence checked against a model --------------------------------------------

    /** One live block of the model: where it is, how big it was asked to be, and its pattern's id. */
    private record Live(long address, long size, long id) {}

    @Test
    void randomSequenceMatchesTheModelWithInvariantsAfterEveryOperation() {
        runModel(2_000, 1, 11);
    }

    @Test
    void longRandomSequenceMatchesTheModel() {
        runModel(200_000, 1000, 12);
    }

    /** malloc / calloc / realloc / free at random; validators every {@code validateEvery} operations. */
    private void runModel(int ops, int validateEvery, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Live> live = new ArrayList<>();
        long nextId = 0;
        for (int op = 0; op < ops; op++) {
            int roll = random.nextInt(100);
            if (live.isEmpty() || roll < 40) {
                long size = randomSize(random);
                long p = roll % 4 == 0 ? allocator.calloc(1, size) : allocator.malloc(size);
                if (roll % 4 == 0) {
                    for (long i = 0; i < Math.min(size, 64); i++) {
                        assertEquals(0, Blocks.byteAt(p + i), "calloc'd byte");
                    }
                }
                Blocks.fill(p, size, ++nextId);
                live.add(new Live(p, size, nextId));
            } else if (roll < 55) {
                int i = random.nextInt(live.size());
                Live b = live.get(i);
                long size = randomSize(random);
                long q = allocator.realloc(b.address, size);
                if (size == 0) {
                    assertEquals(0, q, "realloc(p, 0) frees p and returns 0");
                    live.remove(i);
                } else {
                    assertNull(Blocks.check(q, Math.min(size, b.size) & -8L, b.id), "realloc keeps contents");
                    Blocks.fill(q, size, ++nextId);
                    live.set(i, new Live(q, size, nextId));
                }
            } else {
                Live b = live.remove(random.nextInt(live.size()));
                assertNull(Blocks.check(b.address, b.size, b.id));
                allocator.free(b.address);
            }
            if (op % validateEvery == 0) {
                long expected = 0;
                for (Live b : live) {
                    expected += allocator.usableSize(b.address);
                }
                assertEquals(expected, validate(allocator), "bytes in use after operation " + op);
            }
        }
        for (Live b : live) {
            assertNull(Blocks.check(b.address, b.size, b.id));
            allocator.free(b.address);
        }
        assertEquals(0, validate(allocator));
    }

    private static long randomSize(SplittableRandom random) {
        int r = random.nextInt(100);
        return r < 70 ? random.nextInt(129) : r < 90 ? random.nextInt(1025) : r < 99 ? random.nextInt(32 * 1024 + 1)
                : 32 * 1024 + random.nextInt(100_000);
    }

    // ---- Helpers ------------------------------------------------------------------------------

    /** Asserts the exact exception, then that the allocator still allocates, frees and validates. */
    protected void expectThenStillWorks(Class<? extends Throwable> type, String message, Executable call) {
        Throwable t = assertThrows(type, call);
        assertEquals(message, t.getMessage());
        long before = validate(allocator);
        long p = allocator.malloc(40);
        Blocks.fill(p, 40, 99);
        assertNotEquals(0, p);
        assertNull(Blocks.check(p, 40, 99));
        allocator.free(p);
        assertEquals(before, validate(allocator), "bytes in use after a malloc and a free");
    }
}
