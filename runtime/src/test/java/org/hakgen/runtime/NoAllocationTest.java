package org.hakgen.runtime;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The malloc/free fast path allocates no Java object: after warm-up, a million free+malloc pairs on
 * each way to the caches allocate (next to) no heap bytes on the calling thread. Counts bytes with
 * HotSpot's per-thread allocation counter; it does not time anything.
 */
class NoAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Slack for the odd object a JIT deoptimization or the counter itself may allocate. */
    private static final long SLACK = 16 * 1024;

    interface Loop {
        void run(long[] slots, int ops);
    }

    private static long bytesAllocatedBy(Loop loop) {
        long[] slots = new long[64];
        loop.run(slots, 300_000);   // warm up: let C2 compile the loop
        long before = THREADS.getCurrentThreadAllocatedBytes();
        loop.run(slots, 1_000_000);
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void fastPathsAllocateNothing() throws Exception {
        try (HakAllocator a = Hakmem.generic(HakConfig.defaults())) {
            long viaThreadLocal = bytesAllocatedBy((slots, ops) -> {
                for (int i = 0; i < ops; i++) {
                    int s = i & 63;
                    a.free(slots[s]);
                    slots[s] = a.malloc(8 + (i & 7) * 8);
                }
            });
            HakHeap heap = a.threadHeap();
            long viaHeap = bytesAllocatedBy((slots, ops) -> {
                for (int i = 0; i < ops; i++) {
                    int s = i & 63;
                    heap.free(slots[s]);
                    slots[s] = heap.malloc(8 + (i & 7) * 8);
                }
            });
            AtomicLong viaField = new AtomicLong();
            Thread t = a.threadFactory().newThread(() -> viaField.set(bytesAllocatedBy((slots, ops) -> {
                for (int i = 0; i < ops; i++) {
                    int s = i & 63;
                    a.free(slots[s]);
                    slots[s] = a.malloc(2000 + (i & 7) * 1000);
                }
            })));
            t.start();
            t.join();
            String report = "bytes allocated per 1 M pairs: ThreadLocal " + viaThreadLocal + ", HakHeap " + viaHeap
                    + ", HakThread field (mid sizes) " + viaField.get();
            assertTrue(viaThreadLocal < SLACK && viaHeap < SLACK && viaField.get() < SLACK, report);
        }
    }
}
