package org.hakgen.runtime;

import java.util.SplittableRandom;

/**
 * The generic build's demo, run by {@code ./hakgen} until the generator exists: a 16 B / 32 B-heavy
 * loop in the shape of hakmem's C2/C3 benchmark (each op frees a slot's block and allocates a new one,
 * writing into it), on four threads of the allocator's own factory, with every layer's counters on.
 * It prints what each layer did. It is a demonstration, not a benchmark: timing lives in bench/.
 */
public final class Demo {
    private static final int THREADS = 4;
    private static final int OPS_PER_THREAD = 2_000_000;
    private static final int WORKSET = 256;

    private Demo() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0) {
            System.out.println("hakgen: profiles and the generator are not built yet, so '" + String.join(" ", args)
                    + "' cannot be honoured; running the generic build's demo instead.");
        }
        HakConfig config = HakConfig.fromEnvironment().withAllStats();
        try (HakAllocator allocator = Hakmem.generic(config)) {
            System.out.printf("generic build: UltraHot %s for %s B, HeapV2 %s (mask 0x%x, %s), drain every %d frees%n",
                    on(config.ultraHot()), config.ultraHotSizes(), on(config.heapV2()), config.heapV2ClassMask(),
                    config.heapV2Leftover() ? "leftover" : "stealing", config.drainInterval());
            System.out.printf("%d threads × %,d ops (free a slot's block, malloc 16 B 60%% / 32 B 30%% / 64–1024 B 10%%, write it)%n",
                    THREADS, OPS_PER_THREAD);
            Thread[] threads = new Thread[THREADS];
            for (int t = 0; t < THREADS; t++) {
                int seed = t;
                threads[t] = allocator.threadFactory().newThread(() -> run(allocator, seed));
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            print(allocator.stats(), "after the run");
            allocator.trim();
            HakStats s = allocator.stats();
            System.out.printf("after trim(): %,d bytes in use, %,d bytes mapped (peak %,d)%n",
                    s.bytesInUse(), s.bytesMapped(), s.peakBytesMapped());
        }
    }

    private static void run(HakAllocator allocator, int seed) {
        HakHeap heap = allocator.threadHeap();
        SplittableRandom random = new SplittableRandom(seed);
        long[] slots = new long[WORKSET];
        for (int i = 0; i < OPS_PER_THREAD; i++) {
            int slot = random.nextInt(WORKSET);
            heap.free(slots[slot]);
            int roll = random.nextInt(10);
            long size = roll < 6 ? 16 : roll < 9 ? 32 : 64 + random.nextInt(961);
            long p = heap.malloc(size);
            OsMemory.putLong(p, i);
            slots[slot] = p;
        }
        for (long p : slots) {
            heap.free(p);
        }
    }

    private static void print(HakStats s, String when) {
        System.out.printf("%nlayer        hits          misses        refills       drains        hit rate%n");
        row("UltraHot", s.ultraHot());
        row("HeapV2", s.heapV2());
        row("thread list", s.threadList());
        row("mid", s.mid());
        row("central", s.central());
        System.out.printf("%s: %,d bytes in use, %,d bytes mapped in %d chunks (peak %,d)%n",
                when, s.bytesInUse(), s.bytesMapped(), s.chunks(), s.peakBytesMapped());
    }

    private static void row(String name, HakStats.LayerStats l) {
        System.out.printf("%-12s %,-13d %,-13d %,-13d %,-13d %5.1f%%%n",
                name, l.hits(), l.misses(), l.refills(), l.drains(), 100 * l.hitRate());
    }

    private static String on(boolean b) {
        return b ? "on" : "off";
    }
}
