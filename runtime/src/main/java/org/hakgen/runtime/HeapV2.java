package org.hakgen.runtime;

/**
 * HeapV2 (L1): a LIFO magazine per class in the mask (hakmem: 16 slots for C0–C3), all classes' slots
 * in one array, class {@code cls}'s {@code slots[cls]} at {@code offset[cls]}. Supplied from the free
 * path: in stealing mode frees come here before the thread list; in leftover mode a drain of the thread
 * list tops the magazines up first.
 *
 * <p>Cost: a hit is a mask test, 1 load of the count, 1 of the offset, 1 of the slot, 1 store of the count.
 */
final class HeapV2 {
    /** Bit {@code cls} set when the class has a magazine; a long so that every class index shifts right. */
    final long mask;
    final int[] slots;
    final int[] offset;
    final long[] magazine;
    final int[] count;

    /** The magazines {@code config} describes ({@link HakConfig#heapV2SlotsOf}), for {@code classes} classes. */
    HeapV2(HakConfig config, int classes) {
        this.mask = config.heapV2ClassMask() & 0xFFFF_FFFFL;
        this.slots = new int[classes];
        this.offset = new int[classes];
        int total = 0;
        for (int cls = 0; cls < classes; cls++) {
            if (serves(cls)) {
                slots[cls] = config.heapV2SlotsOf(cls);
                offset[cls] = total;
                total += slots[cls];
            }
        }
        this.magazine = new long[total];
        this.count = new int[classes];
    }

    boolean serves(int cls) {
        return (mask >>> cls & 1) != 0;
    }

    long pop(int cls) {
        if (!serves(cls)) {
            return 0;
        }
        int n = count[cls];
        if (n == 0) {
            return 0;
        }
        count[cls] = --n;
        return magazine[offset[cls] + n];
    }

    boolean push(int cls, long block) {
        if (!serves(cls)) {
            return false;
        }
        int n = count[cls];
        if (n == slots[cls]) {
            return false;
        }
        magazine[offset[cls] + n] = block;
        count[cls] = n + 1;
        return true;
    }

    int room(int cls) {
        return serves(cls) ? slots[cls] - count[cls] : 0;
    }

    int cached(int cls) {
        return count[cls];
    }
}
