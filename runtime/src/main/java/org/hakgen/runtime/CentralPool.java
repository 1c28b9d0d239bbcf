package org.hakgen.runtime;

/**
 * The central pool of one class: its slabs with blocks available, handing blocks to thread caches in
 * batches and taking them back when a cache drains. One lock per class, taken once per batch (2–64
 * blocks), so threads working on different classes never meet, and cross-thread frees never take it
 * at all (they land in the freeing thread's own cache).
 *
 * <p>A slab left empty by a drain is kept while it is the class's only empty one (hysteresis) and
 * otherwise goes back to the {@link SharedPool}. Invariant: {@code handedOut} equals the sum of
 * {@link Slab#inUse()} over this class's slabs.
 */
final class CentralPool {
    final int cls;
    private final SharedPool shared;
    private final SlabMap map;
    /** Slabs with {@code available() > 0}, most recently filled first. */
    private Slab partial;
    private int emptySlabs;
    /** Blocks taken from slabs and not yet given back: in thread caches or held by the program. */
    long handedOut;
    long batchesServed;
    long batchesReturned;
    /**
     * Blocks handed out that no thread can reach again: a thread list that held a link written after
     * free was abandoned ({@link ThreadList}) with this many entries left on it. They stay counted in
     * {@link #handedOut} (their slabs never see them back) but not as the program's.
     */
    long abandoned;

    CentralPool(int cls, SharedPool shared, SlabMap map) {
        this.cls = cls;
        this.shared = shared;
        this.map = map;
    }

    /**
     * Pushes up to {@code want} blocks onto the caller's thread list and returns how many. Fewer than
     * {@code want} only when the memory limit stopped it after at least one block.
     *
     * @throws MemoryLimitError when not even one block could be had
     */
    synchronized int refill(ThreadList list, int want) {
        int n = 0;
        try {
            while (n < want) {
                Slab s = partial;
                if (s == null) {
                    s = shared.newSlab(cls);
                    link(s);
                    emptySlabs++;
                }
                if (s.inUse() == 0) {
                    emptySlabs--;
                }
                int take = Math.min(want - n, s.available());
                for (int i = 0; i < take; i++) {
                    list.push(cls, s.take());
                }
                n += take;
                if (s.available() == 0) {
                    unlink(s);
                }
            }
        } catch (MemoryLimitError e) {
            if (n == 0) {
                throw e;
            }
        } finally {
            handedOut += n;
            batchesServed++;
        }
        return n;
    }

    /**
     * Takes back a chain of {@code count} blocks cut from a thread list ({@link ThreadList#cutAfter})
     * and returns how many it took: {@code count}, or fewer when a link led to an address that is not a
     * free block of this class (the program wrote a block after freeing it). Each block is checked before
     * its link is read, the blocks before the bad link are taken back, and the caller abandons the rest.
     */
    synchronized int release(long head, int count) {
        long p = head;
        int taken = 0;
        for (; taken < count; taken++) {
            Slab s = map.lookup(p);
            int i;
            if (s == null || s.cls != cls || (i = s.indexOf(p)) < 0 || s.state(i) != SlabRange.FREE) {
                break;
            }
            long next = ThreadList.follow(p);
            boolean wasFull = s.available() == 0;
            s.give(p);
            if (wasFull) {
                link(s);
            }
            if (s.inUse() == 0) {
                if (emptySlabs == 0) {
                    emptySlabs++;
                } else {
                    unlink(s);
                    shared.release(s);
                }
            }
            p = next;
        }
        handedOut -= taken;
        batchesReturned++;
        return taken;
    }

    /** Returns every empty slab of this class to the shared pool. */
    synchronized void trim() {
        for (Slab s = partial; s != null; ) {
            Slab next = s.next;
            if (s.inUse() == 0) {
                unlink(s);
                shared.release(s);
            }
            s = next;
        }
        emptySlabs = 0;
    }

    synchronized long handedOut() {
        return handedOut;
    }

    /** Counts {@code blocks} a thread list abandoned: leaked for good, not held by the program. */
    synchronized void abandon(int blocks) {
        abandoned += blocks;
    }

    synchronized long abandoned() {
        return abandoned;
    }

    synchronized int emptySlabs() {
        return emptySlabs;
    }

    /** The partial list's slabs, for {@link Invariants}. */
    synchronized java.util.List<Slab> partialSlabs() {
        java.util.List<Slab> out = new java.util.ArrayList<>();
        for (Slab s = partial; s != null; s = s.next) {
            out.add(s);
        }
        return out;
    }

    private void link(Slab s) {
        s.prev = null;
        s.next = partial;
        if (partial != null) {
            partial.prev = s;
        }
        partial = s;
        s.onPartialList = true;
    }

    private void unlink(Slab s) {
        if (s.prev != null) {
            s.prev.next = s.next;
        } else {
            partial = s.next;
        }
        if (s.next != null) {
            s.next.prev = s.prev;
        }
        s.prev = s.next = null;
        s.onPartialList = false;
    }
}
