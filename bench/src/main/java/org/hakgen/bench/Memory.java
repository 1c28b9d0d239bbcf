package org.hakgen.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Writing into blocks by raw address, and atomic swaps of shared slots; neither allocates. */
final class Memory {
    /** The whole address space; reads and writes by absolute address. */
    @SuppressWarnings("restricted")
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

    private Memory() {
    }

    /** The first touch of a block: 8 bytes, or 1 when the block is smaller. */
    static void touch(long address, long size) {
        if (size >= 8) {
            ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, address);
        } else {
            ALL.set(ValueLayout.JAVA_BYTE, address, (byte) address);
        }
    }

    /** Atomically puts {@code value} in {@code slots[i]} and returns what was there. */
    static long swap(long[] slots, int i, long value) {
        return (long) SLOTS.getAndSet(slots, i, value);
    }
}
