package org.hakgen.bench;

import org.hakgen.runtime.HakAllocator;
import org.hakgen.runtime.HakHeap;
import org.hakgen.runtime.HakStats;

/** A hakgen build, generic or generated, through {@link HakAllocator} or the thread's {@link HakHeap}. */
final class HakBuild implements Build {
    private final String name;
    private final HakAllocator allocator;
    private long[] shared = new long[0];

    HakBuild(String name, HakAllocator allocator) {
        this.name = name;
        this.allocator = allocator;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Subject subject(Api api, int slots) {
        return switch (api) {
            case ALLOCATOR -> new ThroughAllocator(allocator, new long[slots], shared);
            case HEAP -> new ThroughHeap(allocator, new long[slots], shared);
        };
    }

    @Override
    public void shareSlots(int count) {
        shared = new long[count];
    }

    @Override
    public void freeShared() {
        for (int i = 0; i < shared.length; i++) {
            allocator.free(Memory.swap(shared, i, 0));
        }
    }

    @Override
    public void trim() {
        allocator.trim();
    }

    @Override
    public Footprint footprint() {
        HakStats s = allocator.stats();
        return new Footprint(s.bytesMapped(), s.peakBytesMapped(), true);
    }

    /** The allocator's counters. */
    HakStats stats() {
        return allocator.stats();
    }

    @Override
    public void close() {
        allocator.close();
    }

    @Override
    public String toString() {
        return name + " (" + allocator + ")";
    }

    /** The implicit path: every call finds the thread's caches (a HakThread field or a ThreadLocal). */
    static final class ThroughAllocator extends Subject {
        private final HakAllocator a;
        private final long[] slots;
        private final long[] shared;

        ThroughAllocator(HakAllocator a, long[] slots, long[] shared) {
            super(slots.length);
            this.a = a;
            this.slots = slots;
            this.shared = shared;
        }

        @Override
        public Subject twin() {
            return new ThroughAllocator(a, slots, shared);
        }

        @Override
        public void alloc(int slot, long size) {
            long p = a.malloc(size);
            Memory.touch(p, size);
            slots[slot] = p;
        }

        @Override
        public void calloc(int slot, long size) {
            long p = a.calloc(1, size);
            Memory.touch(p, size);
            slots[slot] = p;
        }

        @Override
        public void free(int slot) {
            a.free(slots[slot]);
            slots[slot] = 0;
        }

        @Override
        public void realloc(int slot, long size) {
            long p = a.realloc(slots[slot], size);
            if (p != 0) {
                Memory.touch(p, size);
            }
            slots[slot] = p;
        }

        @Override
        public void exchange(int slot, long size) {
            long p = a.malloc(size);
            Memory.touch(p, size);
            a.free(Memory.swap(shared, slot, p));
        }

    }

    /** The explicit path: the thread holds its caches as a {@link HakHeap}. */
    static final class ThroughHeap extends Subject {
        private final HakAllocator a;
        private final HakHeap h;
        private final long[] slots;
        private final long[] shared;

        /** On the thread that will use it: the heap is that thread's. */
        ThroughHeap(HakAllocator a, long[] slots, long[] shared) {
            super(slots.length);
            this.a = a;
            this.h = a.threadHeap();
            this.slots = slots;
            this.shared = shared;
        }

        @Override
        public Subject twin() {
            return new ThroughHeap(a, slots, shared);
        }

        @Override
        public void alloc(int slot, long size) {
            long p = h.malloc(size);
            Memory.touch(p, size);
            slots[slot] = p;
        }

        @Override
        public void calloc(int slot, long size) {
            long p = h.calloc(1, size);
            Memory.touch(p, size);
            slots[slot] = p;
        }

        @Override
        public void free(int slot) {
            h.free(slots[slot]);
            slots[slot] = 0;
        }

        @Override
        public void realloc(int slot, long size) {
            long p = h.realloc(slots[slot], size);
            if (p != 0) {
                Memory.touch(p, size);
            }
            slots[slot] = p;
        }

        @Override
        public void exchange(int slot, long size) {
            long p = h.malloc(size);
            Memory.touch(p, size);
            h.free(Memory.swap(shared, slot, p));
        }

    }
}
