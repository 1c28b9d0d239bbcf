package org.hakgen.bench;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The floor, not an allocator: what issue 4 and PERF-NOTES measure everything against, run in the same
 * loops so that "how far above the floor" is a ratio taken side by side rather than a figure from
 * another day. A per-class LIFO of free blocks over native memory, as bare as Java gets: power-of-two
 * classes of 8 B to 64 KiB, each carved by a bump pointer from a 16 MiB region of its own (so a block's
 * class is its address's region, and free touches nothing but the block), the next pointer kept in the
 * free block, one array of list heads. Reached through a handle the loop holds ({@code heap}) or through
 * a {@code ThreadLocal} on every call ({@code allocator}), PERF-NOTES' two floors.
 *
 * <p>What it leaves out is what an allocator is: no check of the address freed (a double free corrupts
 * its list), no frees from another thread (one thread uses it), no size above 64 KiB, nothing given back
 * to the OS, no statistics. So it refuses what it cannot do rather than pretend: another thread, a
 * larger size, a full region.
 */
final class FloorBuild implements Build {
    /** Classes 8, 16, … 65536 bytes. */
    static final int CLASSES = 14;
    static final long MAX_SIZE = 8L << (CLASSES - 1);
    /** Each class's region: 16 MiB, so the class of a block is {@code (address - base) >>> REGION_SHIFT}. */
    static final int REGION_SHIFT = 24;

    private static final long REGIONS_BYTES = (long) CLASSES << REGION_SHIFT;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS_NORESERVE = 0x02 | 0x20 | 0x4000;
    private static final MethodHandle MMAP, MUNMAP;

    static {
        Linker linker = Linker.nativeLinker();
        MMAP = linker.downcallHandle(linker.defaultLookup().findOrThrow("mmap"),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MUNMAP = linker.downcallHandle(linker.defaultLookup().findOrThrow("munmap"),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    private final Lifo lifo;
    private final ThreadLocal<Lifo> local;
    private boolean closed;

    FloorBuild() {
        long base;
        try {
            base = (long) MMAP.invokeExact(0L, REGIONS_BYTES, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS_NORESERVE, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("floor: mmap failed", t);
        }
        if (base == -1) {
            throw new IllegalStateException("floor: mmap of " + (REGIONS_BYTES >>> 20) + " MiB of address space failed");
        }
        Thread owner = Thread.currentThread();
        this.lifo = new Lifo(base, owner);
        this.local = ThreadLocal.withInitial(() -> {
            if (Thread.currentThread() != owner) {
                throw new UnsupportedOperationException(singleThreaded());
            }
            return lifo;
        });
    }

    private static String singleThreaded() {
        return "floor: one thread only (it has no frees from another thread); it runs the fixed, random-mixed "
                + "and mid loops";
    }

    @Override
    public String name() {
        return Builds.FLOOR;
    }

    /** The lists themselves, for tests. */
    Lifo lists() {
        return lifo;
    }

    @Override
    public Subject subject(Api api, int slots) {
        if (Thread.currentThread() != lifo.owner) {
            throw new UnsupportedOperationException(singleThreaded());
        }
        return switch (api) {
            case HEAP -> new Held(lifo, slots);
            case ALLOCATOR -> new ThroughThreadLocal(local, slots);
        };
    }

    @Override
    public void shareSlots(int count) {
        throw new UnsupportedOperationException(singleThreaded());
    }

    @Override
    public void freeShared() {
    }

    /** The bytes its bump pointers carved: it never gives any back, so now is the peak. */
    @Override
    public Footprint footprint() {
        long carved = lifo.carved();
        return new Footprint(carved, carved, true);
    }

    @Override
    public void trim() {
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                int ignored = (int) MUNMAP.invokeExact(lifo.base, REGIONS_BYTES);
            } catch (Throwable t) {
                throw new IllegalStateException("floor: munmap failed", t);
            }
        }
    }

    /** The lists and bump pointers: malloc pops or carves, free pushes. */
    static final class Lifo {
        final long base;
        final Thread owner;
        private final long[] heads = new long[CLASSES];
        private final long[] next = new long[CLASSES];

        Lifo(long base, Thread owner) {
            this.base = base;
            this.owner = owner;
            for (int c = 0; c < CLASSES; c++) {
                next[c] = base + ((long) c << REGION_SHIFT);
            }
        }

        long malloc(long size) {
            if (size > MAX_SIZE || size < 0) {
                throw new UnsupportedOperationException("floor: malloc(" + size + "): its classes hold 0 to " + MAX_SIZE + " bytes");
            }
            int c = size <= 8 ? 0 : 61 - Long.numberOfLeadingZeros(size - 1);
            long p = heads[c];
            if (p != 0) {
                heads[c] = Memory.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, p);
                return p;
            }
            return carve(c);
        }

        private long carve(int c) {
            long p = next[c];
            long blockSize = 8L << c;
            if (p + blockSize > base + ((long) (c + 1) << REGION_SHIFT)) {
                throw new IllegalStateException("floor: the 16 MiB region of " + blockSize + "-byte blocks is full");
            }
            next[c] = p + blockSize;
            return p;
        }

        void free(long p) {
            int c = classOf(p);
            Memory.ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, p, heads[c]);
            heads[c] = p;
        }

        long sizeOf(long p) {
            return 8L << classOf(p);
        }

        /** The class of block {@code p}: the region it lies in. */
        private int classOf(long p) {
            return (int) ((p - base) >>> REGION_SHIFT);
        }

        long carved() {
            long bytes = 0;
            for (int c = 0; c < CLASSES; c++) {
                bytes += next[c] - (base + ((long) c << REGION_SHIFT));
            }
            return bytes;
        }
    }

    /**
     * A subject over the lists: each op does what {@link HakBuild}'s do (the call, the write into the
     * block, the slot), nothing more; {@link #lifo()} is how it reaches them.
     */
    abstract static sealed class Loop extends Subject permits Held, ThroughThreadLocal {
        private final long[] slots;

        Loop(int slots) {
            super(slots);
            this.slots = new long[slots];
        }

        abstract Lifo lifo();

        @Override
        public final void alloc(int slot, long size) {
            long p = lifo().malloc(size);
            Memory.touch(p, size);
            slots[slot] = p;
        }

        @Override
        public final void calloc(int slot, long size) {
            long p = lifo().malloc(size);
            Memory.ALL.asSlice(p, size).fill((byte) 0);
            Memory.touch(p, size);
            slots[slot] = p;
        }

        @Override
        public final void free(int slot) {
            long p = slots[slot];
            if (p != 0) {
                lifo().free(p);
                slots[slot] = 0;
            }
        }

        /** C's realloc: in place while the block's class holds {@code size}, else a new block and a copy. */
        @Override
        public final void realloc(int slot, long size) {
            Lifo lifo = lifo();
            long old = slots[slot];
            long p = old != 0 && size <= lifo.sizeOf(old) ? old : lifo.malloc(size);
            if (p != old && old != 0) {
                MemorySegment.copy(Memory.ALL, old, Memory.ALL, p, Math.min(lifo.sizeOf(old), size));
                lifo.free(old);
            }
            Memory.touch(p, size);
            slots[slot] = p;
        }

        @Override
        public final void exchange(int slot, long size) {
            throw new UnsupportedOperationException(singleThreaded());
        }

        @Override
        public final Subject twin() {
            throw new UnsupportedOperationException(singleThreaded());
        }
    }

    /** The loop holds the lists: PERF-NOTES' floor through an explicit handle. */
    static final class Held extends Loop {
        private final Lifo lifo;

        Held(Lifo lifo, int slots) {
            super(slots);
            this.lifo = lifo;
        }

        @Override
        Lifo lifo() {
            return lifo;
        }
    }

    /** The lists found through a {@code ThreadLocal} on every call: PERF-NOTES' implicit floor. */
    static final class ThroughThreadLocal extends Loop {
        private final ThreadLocal<Lifo> local;

        ThroughThreadLocal(ThreadLocal<Lifo> local, int slots) {
            super(slots);
            this.local = local;
        }

        @Override
        Lifo lifo() {
            return local.get();
        }
    }
}
