package org.hakgen.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceTest {
    static Trace read(String text) throws IOException {
        return Trace.read("t.mtrace", new BufferedReader(new StringReader(text)));
    }

    static List<String> decode(Trace t) {
        List<String> out = new ArrayList<>();
        for (long e : t.ops()) {
            out.add(switch (Trace.op(e)) {
                case Trace.ALLOC -> "alloc " + Trace.slot(e) + " " + Trace.size(e);
                case Trace.FREE -> "free " + Trace.slot(e);
                default -> "realloc " + Trace.slot(e) + " " + Trace.size(e);
            });
        }
        return out;
    }

    @Test
    void everyLineKind() throws IOException {
        Trace t = read("""
                = Start
                = mtrace_shim v1 pid=1
                @ [0x1] + 0x1000 0x30 t=7
                @ [0x1] + 0x2000 0x18 t=7 k=calloc
                @ ./prog:[0x4005d4] + (nil) 0x7fffffffffff
                @ [0x1] - 0x1000 t=8
                @ [0x1] < 0x2000 t=7
                @ [0x1] > 0x3000 0x400 t=7
                @ [0x1] ! 0x3000 0x10000000 t=7
                @ [0x1] + 0x1000 0x10 t=7 k=posix_memalign a=64
                @ [0x1] - 0xdead t=7
                something else entirely
                @ [0x1] - 0x3000 t=7 k=realloc
                = End
                """);
        assertEquals(List.of("alloc 0 48", "alloc 1 24", "free 0", "realloc 1 1024", "alloc 0 16", "free 1"), decode(t));
        assertEquals(2, t.slotCount());
        assertEquals(1024 + 16, t.peakLive(), "the realloc grew block 1 to 1024 B, then 16 B more were allocated");
        assertEquals(10, t.events());
        assertEquals(1, t.skipped());
        assertEquals(1, t.unmatched());
    }

    @Test
    void malformedLinesNameTheFileAndLine() {
        for (String bad : List.of("@ [0x1] + 0x1000", "@ [0x1] + 0x10 12", "@ [0x1] * 0x10 0x10", "@ [0x1]",
                "@ [0x1] > 0x10 0x10")) {
            Trace.TraceException e = assertThrows(Trace.TraceException.class, () -> read("= Start\n" + bad + "\n"));
            assertTrue(e.getMessage().startsWith("t.mtrace:2: "), e.getMessage());
        }
        Trace.TraceException e = assertThrows(Trace.TraceException.class,
                () -> read("@ [0x1] + 0x10 0x10\n@ [0x1] + 0x10 0x10\n"));
        assertTrue(e.getMessage().contains("t.mtrace:2: address 0x10 is allocated again while live"), e.getMessage());
        e = assertThrows(Trace.TraceException.class, () -> read("@ [0x1] + 0x10 0x10\n@ [0x1] < 0x10\n"));
        assertTrue(e.getMessage().contains("ends inside a realloc"), e.getMessage());
    }

    @Test
    void replayingASharedTraceLeavesNothingInUse() throws IOException {
        Path file = Path.of(System.getProperty("hakgen.home", ".."), "..", "shared", "traces", "sqlite.mtrace.gz");
        Assumptions.assumeTrue(Files.isRegularFile(file), "the shared traces are not on this machine: " + file);
        Trace t = Trace.read(file);
        assertTrue(t.events() > 400_000, "events " + t.events());
        try (HakBuild b = (HakBuild) Builds.open("generic")) {
            Subject s = b.subject(Build.Api.ALLOCATOR, t.slotCount());
            for (long e : t.ops()) {
                switch (Trace.op(e)) {
                    case Trace.ALLOC -> s.alloc(Trace.slot(e), Trace.size(e));
                    case Trace.FREE -> s.free(Trace.slot(e));
                    default -> s.realloc(Trace.slot(e), Trace.size(e));
                }
            }
            s.freeAll();
            assertEquals(0, b.stats().bytesInUse());
        }
    }
}
