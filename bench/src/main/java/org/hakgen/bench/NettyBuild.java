package org.hakgen.bench;

import java.util.concurrent.atomic.AtomicReferenceArray;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * Netty's pooled or adaptive allocator, as a Netty user allocates native memory: a direct
 * {@link ByteBuf} per block ({@code directBuffer(size)}), given back with {@code release()}. Each
 * build is a fresh allocator instance with its thread caches on, for every thread.
 */
final class NettyBuild implements Build {
    private final String name;
    private final ByteBufAllocator allocator;
    private final ByteBufAllocatorMetricProvider metric;
    private long peakSeen;
    private AtomicReferenceArray<ByteBuf> shared = new AtomicReferenceArray<>(0);

    private NettyBuild(String name, ByteBufAllocator allocator) {
        this.name = name;
        this.allocator = allocator;
        this.metric = (ByteBufAllocatorMetricProvider) allocator;
    }

    static NettyBuild pooled() {
        return new NettyBuild("netty-pooled", new PooledByteBufAllocator(true));
    }

    static NettyBuild adaptive() {
        return new NettyBuild("netty-adaptive", new AdaptiveByteBufAllocator(true, true));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Subject subject(Api api, int slots) {
        if (api != Api.ALLOCATOR) {
            throw new UnsupportedOperationException(name + " has no per-thread heap handle; valid api: allocator");
        }
        return new Buffers(allocator, new ByteBuf[slots], shared);
    }

    @Override
    public void shareSlots(int count) {
        shared = new AtomicReferenceArray<>(count);
    }

    @Override
    public void freeShared() {
        for (int i = 0; i < shared.length(); i++) {
            ByteBuf b = shared.getAndSet(i, null);
            if (b != null) {
                b.release();
            }
        }
    }

    /** Netty's pools keep their chunks; there is nothing to ask them to give back. */
    @Override
    public void trim() {
    }

    @Override
    public Footprint footprint() {
        long now = metric.metric().usedDirectMemory();
        peakSeen = Math.max(peakSeen, now);
        return new Footprint(now, peakSeen, false);
    }

    @Override
    public void close() {
        freeShared();
    }

    /** Direct buffers: allocate, write through the ByteBuf API, release. */
    static final class Buffers extends Subject {
        private final ByteBufAllocator allocator;
        private final ByteBuf[] slots;
        private final AtomicReferenceArray<ByteBuf> shared;

        Buffers(ByteBufAllocator allocator, ByteBuf[] slots, AtomicReferenceArray<ByteBuf> shared) {
            super(slots.length);
            this.allocator = allocator;
            this.slots = slots;
            this.shared = shared;
        }

        private ByteBuf buffer(long size) {
            ByteBuf b = allocator.directBuffer((int) size);
            touch(b, size);
            return b;
        }

        private static void touch(ByteBuf b, long size) {
            if (size >= 8) {
                b.setLong(0, size);
            } else if (size > 0) {
                b.setByte(0, (int) size);
            }
        }

        @Override
        public Subject twin() {
            return new Buffers(allocator, slots, shared);
        }

        @Override
        public void alloc(int slot, long size) {
            slots[slot] = buffer(size);
        }

        @Override
        public void calloc(int slot, long size) {
            ByteBuf b = allocator.directBuffer((int) size);   // pooled memory is not zeroed: the caller zeroes it
            b.setZero(0, (int) size);
            touch(b, size);
            slots[slot] = b;
        }

        @Override
        public void free(int slot) {
            ByteBuf b = slots[slot];
            if (b != null) {
                b.release();
                slots[slot] = null;
            }
        }

        @Override
        public void realloc(int slot, long size) {
            ByteBuf b = slots[slot];
            if (b == null) {
                alloc(slot, size);
            } else if (size == 0) {
                free(slot);
            } else {
                b.capacity((int) size);
                touch(b, size);
            }
        }

        @Override
        public void exchange(int slot, long size) {
            ByteBuf old = shared.getAndSet(slot, buffer(size));
            if (old != null) {
                old.release();
            }
        }

    }
}
