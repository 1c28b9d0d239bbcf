package org.hakgen.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A thread list head's encoding, against the slab range this process got. */
class ThreadListTest {

    /**
     * A pop tests a head's offset in place, with {@link ThreadList#MISS}: it must refuse exactly the offsets
     * {@link SlabRange#MISS} refuses, those not 8-byte aligned and those beyond the range, whose side tables
     * are not mapped, whatever size of range the kernel granted.
     */
    @Test
    void aHeadIsRefusedExactlyWhereItsOffsetIsNoBlockOfTheRange() {
        for (int bit = 0; bit < 64 - ThreadList.OFFSET_SHIFT; bit++) {
            for (long low = 0; low < 8; low++) {
                long off = 1L << bit | low;
                long head = off << ThreadList.OFFSET_SHIFT | 5;
                assertEquals((off & SlabRange.MISS) != 0, (head & ThreadList.MISS) != 0,
                        "offset 0x" + Long.toHexString(off) + " in a range of 0x" + Long.toHexString(SlabRange.SPAN));
            }
        }
    }

    @Test
    void aPushThenAPopGivesBackTheHeadAndTheBlock() {
        long block = SlabRange.BASE + (SlabRange.SPAN - 64);
        long head = (8L << ThreadList.OFFSET_SHIFT) | 41;
        long pushed = ThreadList.pushed(head, block);
        assertEquals(42, ThreadList.length(pushed));
        assertEquals(block, ThreadList.block(pushed));
        assertEquals(head, ThreadList.popped(pushed, ThreadList.link(head)), "the link restores the head below it");
    }
}
