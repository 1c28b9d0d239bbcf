package org.hakgen.runtime;

/**
 * The thread list (L2, hakmem's "TLS SLL"): per class, an intrusive singly linked list of free blocks,
 * the next pointer stored in the block's first word. Unbounded between drains; every
 * {@link HakConfig#drainInterval()} frees the owning cache trims each list to its refill batch and
 * hands the rest back to the central pool.
 *
 * <p>Cost: pop is 1 load of the head, 1 native load of the next pointer, 2 stores; push is 1 native
 * store and 2 stores. The heads of all classes share a few cache lines.
 */
final class ThreadList {
    final long[] head;
    final int[] length;

    ThreadList(int classes) {
        head = new long[classes];
        length = new int[classes];
    }

    long pop(int cls) {
        long p = head[cls];
        if (p != 0) {
            head[cls] = OsMemory.getLong(p);
            length[cls]--;
        }
        return p;
    }

    void push(int cls, long block) {
        OsMemory.putLong(block, head[cls]);
        head[cls] = block;
        length[cls]++;
    }

    /**
     * Cuts the list of {@code cls} after its first {@code keep} blocks and returns the cut-off chain
     * (its length is {@code length - keep} before the call); 0 when there is nothing beyond {@code keep}.
     */
    long cutAfter(int cls, int keep) {
        if (length[cls] <= keep) {
            return 0;
        }
        long chain;
        if (keep == 0) {
            chain = head[cls];
            head[cls] = 0;
        } else {
            long last = head[cls];
            for (int i = 1; i < keep; i++) {
                last = OsMemory.getLong(last);
            }
            chain = OsMemory.getLong(last);
            OsMemory.putLong(last, 0);
        }
        length[cls] = keep;
        return chain;
    }
}
