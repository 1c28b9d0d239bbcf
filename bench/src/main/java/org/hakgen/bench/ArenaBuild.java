package org.hakgen.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code Arena.ofConfined()} per block, as FFM code that wants deterministic freeing without a pool
 * does: allocate a segment in a new arena, close the arena to free it. The JDK takes the memory from
 * malloc, so the footprint is glibc's. A confined arena is closed only by its owner thread, so this
 * peer has no cross-thread exchange (Larson).
 */
final class ArenaBuild implements Build {
    private final NativeBuild.Footprints glibc = new NativeBuild.Footprints(NativeBuild.Lib.MALLOC);
    private final long baseline = glibc.mapped();
    private long peakSeen;

    @Override
    public String name() {
        return "arena";
    }

    @Override
    public Subject subject(Api api, int slots) {
        if (api != Api.ALLOCATOR) {
            throw new UnsupportedOperationException("arena has no per-thread heap handle; valid api: allocator");
        }
        return new Arenas(new Arena[slots], new MemorySegment[slots]);
    }

    @Override
    public void shareSlots(int count) {
        throw new UnsupportedOperationException("arena: a confined arena can only be closed by the thread that "
                + "made it, so blocks cannot be freed by another thread (Larson)");
    }

    @Override
    public void freeShared() {
    }

    /** The JDK's arenas take their memory from malloc: glibc's trim. */
    @Override
    public void trim() {
        glibc.trim();
    }

    @Override
    public Footprint footprint() {
        long now = Math.max(0, glibc.mapped() - baseline);
        peakSeen = Math.max(peakSeen, now);
        return new Footprint(now, peakSeen, false);
    }

    @Override
    public void close() {
    }

    /** One confined arena per block. */
    static final class Arenas extends Subject {
        private final Arena[] arenas;
        private final MemorySegment[] segments;

        Arenas(Arena[] arenas, MemorySegment[] segments) {
            super(arenas.length);
            this.arenas = arenas;
            this.segments = segments;
        }

        @Override
        public Subject twin() {
            throw new UnsupportedOperationException("arena: a confined arena can only be closed by the thread that "
                    + "made it, so blocks cannot be freed by another thread");
        }

        @Override
        public void alloc(int slot, long size) {
            Arena a = Arena.ofConfined();
            MemorySegment s = a.allocate(size, 8);
            if (size >= 8) {
                s.set(ValueLayout.JAVA_LONG, 0, size);
            } else if (size > 0) {
                s.set(ValueLayout.JAVA_BYTE, 0, (byte) size);
            }
            arenas[slot] = a;
            segments[slot] = s;
        }

        @Override
        public void calloc(int slot, long size) {
            alloc(slot, size);   // Arena.allocate zeroes every segment
        }

        @Override
        public void free(int slot) {
            Arena a = arenas[slot];
            if (a != null) {
                a.close();
                arenas[slot] = null;
                segments[slot] = null;
            }
        }

        @Override
        public void realloc(int slot, long size) {
            MemorySegment old = segments[slot];
            Arena oldArena = arenas[slot];
            alloc(slot, size);
            if (old != null) {
                MemorySegment.copy(old, 0, segments[slot], 0, Math.min(old.byteSize(), size));
                oldArena.close();
            }
        }

        @Override
        public void exchange(int slot, long size) {
            throw new UnsupportedOperationException("arena has no cross-thread free");
        }

    }
}
