package org.hakgen.runtime;

/**
 * HeapV2 (L1): a LIFO magazine per class in the mask (hakmem: 16 slots for C0–C3), all classes' slots
 * in one array, {@code slots} apart. Supplied from the free path: in stealing mode frees come here
 * before the thread list; in leftover mode a drain of the thread list tops the magazines up first.
 *
 * <p>Cost: a hit is a mask test, 1 load of the count, 1 load of the slot, 1 store of the count.
 */
final class HeapV2 {
    /** Bit {@code cls} set when the class has a magazine; a long so that every class index shifts right. */
    final long mask;
    final int slots;
    final long[] magazine;
    final int[] count;

    HeapV2(int mask, int slots, int classes) {
        this.mask = mask & 0xFFFF_FFFFL;
        this.slots = slots;
        this.magazine = new long[(64 - Long.numberOfLeadingZeros(this.mask)) * slots];
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
        return magazine[cls * slots + n];
    }

    boolean push(int cls, long block) {
        if (!serves(cls)) {
            return false;
        }
        int n = count[cls];
        if (n == slots) {
            return false;
        }
        magazine[cls * slots + n] = block;
        count[cls] = n + 1;
        return true;
    }

    int room(int cls) {
        return serves(cls) ? slots - count[cls] : 0;
    }

    int cached(int cls) {
        return count[cls];
    }
}
