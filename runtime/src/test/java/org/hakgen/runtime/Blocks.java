package org.hakgen.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Test helper: fills a block with a pattern derived from its id and checks it is still there. */
@SuppressWarnings("restricted")
final class Blocks {
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final long PHI = 0x9E37_79B9_7F4A_7C15L;

    private Blocks() {}

    static void fill(long address, long size, long id) {
        long words = size >>> 3;
        for (long k = 0; k < words; k++) {
            ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address + (k << 3), id * PHI + k);
        }
        for (long b = words << 3; b < size; b++) {
            ALL.set(ValueLayout.JAVA_BYTE, address + b, (byte) id);
        }
    }

    /** Null when the block holds its pattern, else a description of the first difference. */
    static String check(long address, long size, long id) {
        long words = size >>> 3;
        for (long k = 0; k < words; k++) {
            long got = ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, address + (k << 3));
            if (got != id * PHI + k) {
                return String.format("block %d at 0x%x (%d B): word %d is 0x%x, expected 0x%x",
                        id, address, size, k, got, id * PHI + k);
            }
        }
        for (long b = words << 3; b < size; b++) {
            if (ALL.get(ValueLayout.JAVA_BYTE, address + b) != (byte) id) {
                return String.format("block %d at 0x%x (%d B): byte %d changed", id, address, size, b);
            }
        }
        return null;
    }

    static byte byteAt(long address) {
        return ALL.get(ValueLayout.JAVA_BYTE, address);
    }

    static void set(long address, long size, byte value) {
        ALL.asSlice(address, size).fill(value);
    }
}
