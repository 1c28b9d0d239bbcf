package org.hakgen.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OsMemoryTest {
    @Test
    void mapsAlignedZeroedMemory() {
        long p = OsMemory.map(Chunk.SIZE, Chunk.SIZE);
        try {
            assertEquals(0, p & (Chunk.SIZE - 1));
            assertEquals(0, OsMemory.getLong(p + Chunk.SIZE - 8));
            OsMemory.putLong(p, 42);
            assertEquals(42, OsMemory.getLong(p));
            assertTrue(OsMemory.isMapped(p));
            OsMemory.discard(p, Chunk.SIZE);
            assertEquals(0, OsMemory.getLong(p), "discarded pages read as zero");
        } finally {
            OsMemory.unmap(p, Chunk.SIZE);
        }
        assertFalse(OsMemory.isMapped(p));
    }

    @Test
    void failuresCarryErrno() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OsMemory.unmap(12345, 4096));
        assertEquals("munmap(0x3039, len=4096) failed: errno 22 (EINVAL)", e.getMessage());
        OutOfMemoryError oom = assertThrows(OutOfMemoryError.class, () -> OsMemory.map(1L << 62, 4096));
        assertEquals("mmap(len=4611686018427387904) failed: errno 12 (ENOMEM)", oom.getMessage());
    }
}
