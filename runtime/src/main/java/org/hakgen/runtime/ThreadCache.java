package org.hakgen.runtime;

import java.util.function.LongConsumer;

import static org.hakgen.runtime.HakConfig.Layer;

/**
 * The generic build's front end: hakmem's layers in the order a malloc tries them, each switched and
 * sized by {@link HakConfig} at run time.
 *
 * <pre>
 *   malloc: classOf -> UltraHot.pop -> HeapV2.pop -> thread list -> refillSlow -> CentralPool.refill
 *   free:   SlabRange guard -> UltraHot.push -> HeapV2.push (stealing) -> thread list
 *           every drainInterval frees onto the thread list: drainSlow -> CentralPool.release
 * </pre>
 *
 * A generated build does exactly this with the knobs folded, so for the same configuration both return
 * the same blocks in the same order and count the same statistics (the generator's differential test).
 *
 * <p>A fast-path malloc or free allocates no Java object, takes no lock and does no atomic operation:
 * a free by another thread than the allocating one lands in the freeing thread's own cache. The guard
 * ({@link SlabRange}) costs a mask test, the unit's tag and the block's state byte on free, and a
 * state-byte store on malloc; it turns a foreign, interior or double free into an exception, and it
 * checks every block taken from a thread list (whose links live in freed memory) before following its
 * link, so a block written after free is reported instead of followed.
 */
final class ThreadCache extends FrontEnd {
    /** Null when the layer is off: the null test is the flag. */
    private final UltraHot ultraHot;
    private final HeapV2 heapV2;
    private final boolean leftover;
    private final boolean statUltra, statHeapV2;

    ThreadCache(Backend backend, Thread owner) {
        super(backend, owner);
        HakConfig config = backend.config;
        this.ultraHot = config.ultraHot() ? new UltraHot(classes.classOf(config.ultraHotSizes().get(0)),
                classes.classOf(config.ultraHotSizes().get(1)), config.ultraHotSlots()) : null;
        this.heapV2 = config.heapV2() && config.heapV2ClassMask() != 0
                ? new HeapV2(config, classes.count) : null;
        this.leftover = config.heapV2Leftover();
        this.statUltra = config.stats().contains(Layer.ULTRA_HOT);
        this.statHeapV2 = config.stats().contains(Layer.HEAP_V2);
    }

    // ---- malloc -------------------------------------------------------------------------------

    @Override
    public long mallocLocal(long size) {
        if (Long.compareUnsigned(size, midMax) > 0) {   // beyond the mid classes, or negative
            return mallocCold(size);
        }
        int cls = classes.classOf(size);
        long p;
        if (ultraHot != null && ultraHot.serves(cls)) {
            p = ultraHot.pop(cls);
            if (statUltra) {
                counters[ULTRA_HOT + (p != 0 ? HIT : MISS)]++;
            }
            if (p != 0) {
                return seal ? handOutSealed(p) : handOut(p);
            }
        }
        if (heapV2 != null && heapV2.serves(cls)) {
            p = heapV2.pop(cls);
            if (statHeapV2) {
                counters[HEAP_V2 + (p != 0 ? HIT : MISS)]++;
            }
            if (p != 0) {
                return seal ? handOutSealed(p) : handOut(p);
            }
        }
        return mallocCold(size);
    }

    // ---- free ---------------------------------------------------------------------------------

    @Override
    public void freeLocal(long address) {
        long off = SlabRange.offset(address);
        int tag;
        if ((off & SlabRange.MISS) != 0 || ((tag = SlabRange.tag(off)) & -256) != tagBase
                || seal && SlabRange.sealed(address) || SlabRange.state(off) != SlabRange.ALLOCATED) {
            freeSlow(address);
            return;
        }
        if (seal) {
            SlabRange.seal(address);
        } else {
            SlabRange.mark(off, SlabRange.FREE);
        }
        push(tag & 0xFF, address);
    }

    private void push(int cls, long p) {
        if (ultraHot != null && ultraHot.push(cls, p)) {
            if (statUltra) {
                counters[ULTRA_HOT + REFILL]++;
            }
            return;
        }
        if (heapV2 != null && !leftover && heapV2.push(cls, p)) {
            if (statHeapV2) {
                counters[HEAP_V2 + REFILL]++;
            }
            return;
        }
        if ((ultraHot != null && ultraHot.serves(cls)) || (heapV2 != null && heapV2.serves(cls))) {
            listFree(cls, p);   // a class with a magazine: the thread list behind it, as in a generated build
        } else {
            freeCold(cls, p);
        }
    }

    @Override
    protected void topUpSlow(int cls, int keep) {
        if (leftover && heapV2 != null) {
            while (heapV2.room(cls) > 0 && list.length(cls) > keep) {
                heapV2.push(cls, listPopCached(cls));
            }
        }
    }

    // ---- The layers, for flushing, counting and checking --------------------------------------

    @Override
    protected void flushLayers(int cls) {
        long p;
        while (ultraHot != null && (p = ultraHot.pop(cls)) != 0) {
            list.pushCached(cls, p);
            if (statUltra) {
                counters[ULTRA_HOT + DRAIN]++;
            }
        }
        while (heapV2 != null && (p = heapV2.pop(cls)) != 0) {
            list.pushCached(cls, p);
            if (statHeapV2) {
                counters[HEAP_V2 + DRAIN]++;
            }
        }
    }

    @Override
    protected int cachedInLayers(int cls) {
        return (ultraHot == null ? 0 : ultraHot.cached(cls)) + (heapV2 == null ? 0 : heapV2.cached(cls));
    }

    @Override
    protected void forEachInLayers(int cls, LongConsumer sink) {
        if (ultraHot != null) {
            for (int k = 0; k < ultraHot.cached(cls); k++) {
                sink.accept(ultraHot.magazine[(cls == ultraHot.class0 ? 0 : ultraHot.slots) + k]);
            }
        }
        if (heapV2 != null) {
            for (int k = 0; k < heapV2.cached(cls); k++) {
                sink.accept(heapV2.magazine[heapV2.offset[cls] + k]);
            }
        }
    }

    @Override
    protected void forgetLayers() {
        if (ultraHot != null) {
            ultraHot.count0 = ultraHot.count1 = 0;
        }
        if (heapV2 != null) {
            java.util.Arrays.fill(heapV2.count, 0);
        }
    }
}
