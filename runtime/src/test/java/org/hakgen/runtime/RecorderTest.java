package org.hakgen.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecorderTest {
    @Test
    void hakmemTraceTurnsTheRecorderOnAndNothingElseDoes(@TempDir Path dir) {
        Path file = dir.resolve("a.mtrace");
        assertEquals(file, HakConfig.fromEnvironment(Map.of("HAKMEM_TRACE", file.toString())).trace());
        assertEquals(null, HakConfig.fromEnvironment(Map.of()).trace());
        try (HakAllocator plain = Hakmem.generic(HakConfig.defaults())) {
            assertInstanceOf(GenericAllocator.class, plain, "no trace: the generic build itself, nothing in front of it");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HakConfig.fromEnvironment(Map.of("HAKMEM_TRACE", " ")));
        assertTrue(e.getMessage().contains("HAKMEM_TRACE is empty; valid: a file"), e.getMessage());
    }

    @Test
    void everyOperationIsALineInTheTraceFormatAndABadFreeWritesNothing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("a.mtrace");
        long tid = Thread.currentThread().threadId();
        long a, b, c, d;
        try (HakAllocator h = Hakmem.generic(HakConfig.defaults().toBuilder().trace(file).build())) {
            a = h.malloc(24);
            b = h.calloc(3, 16);
            c = h.realloc(b, 600);
            d = h.threadHeap().malloc(40000);
            assertThrows(IllegalArgumentException.class, () -> h.free(12345));
            h.free(a);
            assertEquals(0, h.realloc(c, 0));
            h.free(d);
        }
        String t = " t=" + tid;
        assertEquals(List.of("= Start",
                "@ [0x0] + 0x" + Long.toHexString(a) + " 0x18" + t,
                "@ [0x0] + 0x" + Long.toHexString(b) + " 0x30" + t + " k=calloc",
                "@ [0x0] < 0x" + Long.toHexString(b) + t,
                "@ [0x0] > 0x" + Long.toHexString(c) + " 0x258" + t,
                "@ [0x0] + 0x" + Long.toHexString(d) + " 0x9c40" + t,
                "@ [0x0] - 0x" + Long.toHexString(a) + t,
                "@ [0x0] - 0x" + Long.toHexString(c) + t + " k=realloc",
                "@ [0x0] - 0x" + Long.toHexString(d) + t,
                "= End"), Files.readAllLines(file).stream().filter(l -> !l.startsWith("= hakgen")).toList());
    }

    @Test
    void aTraceThatCannotBeWrittenSaysWhere(@TempDir Path dir) {
        Path file = dir.resolve("no/such/folder/a.mtrace");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Hakmem.generic(HakConfig.defaults().toBuilder().trace(file).build()));
        assertTrue(e.getMessage().contains("cannot write the trace to " + file), e.getMessage());
    }
}
