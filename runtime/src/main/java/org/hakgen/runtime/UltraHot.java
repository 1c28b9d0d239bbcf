package org.hakgen.runtime;

/**
 * UltraHot (L0): a tiny LIFO magazine for each of two hot classes (hakmem's C2/C3 box), both in one
 * array so the whole layer sits in one or two cache lines. Supplied only by frees.
 *
 * <p>Cost: a hit is 2 compares, 1 load of the count, 1 load of the slot, 1 store of the count; no CAS.
 */
final class UltraHot {
    /** The two classes served; -1 where there is none (both sizes fell in one class). */
    final int class0, class1;
    final int slots;
    /** Slots {@code [0, slots)} hold class0's blocks, {@code [slots, 2 * slots)} class1's. */
    final long[] magazine;
    int count0, count1;

    UltraHot(int class0, int class1, int slots) {
        this.class0 = class0;
        this.class1 = class1 == class0 ? -1 : class1;
        this.slots = slots;
        this.magazine = new long[2 * slots];
    }

    boolean serves(int cls) {
        return cls == class0 || cls == class1;
    }

    /** A block of class {@code cls}, or 0 when the class is not served or its magazine is empty. */
    long pop(int cls) {
        if (cls == class0) {
            return count0 > 0 ? magazine[--count0] : 0;
        }
        if (cls == class1) {
            return count1 > 0 ? magazine[slots + --count1] : 0;
        }
        return 0;
    }

    /** Keeps {@code block} if its class is served and has room. */
    boolean push(int cls, long block) {
        if (cls == class0) {
            if (count0 < slots) {
                magazine[count0++] = block;
                return true;
            }
        } else if (cls == class1 && count1 < slots) {
            magazine[slots + count1++] = block;
            return true;
        }
        return false;
    }

    int cached(int cls) {
        return cls == class0 ? count0 : cls == class1 ? count1 : 0;
    }
}
