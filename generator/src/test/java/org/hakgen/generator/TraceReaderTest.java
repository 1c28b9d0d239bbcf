package org.hakgen.generator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceReaderTest {
    /** Every event as one line of text. */
    static final class Log implements TraceReader.Sink {
        final List<String> events = new ArrayList<>();

        @Override
        public void alloc(long thread, long address, long size, TraceReader.Kind kind, long alignment) {
            events.add("alloc t" + thread + " " + Long.toHexString(address) + " " + size + " " + kind.spelling()
                    + (alignment == 0 ? "" : " a" + alignment));
        }

        @Override
        public void free(long thread, long address, TraceReader.Kind kind) {
            events.add("free t" + thread + " " + Long.toHexString(address) + " " + kind.spelling());
        }

        @Override
        public void realloc(long thread, long oldAddress, long newAddress, long size) {
            events.add("realloc t" + thread + " " + Long.toHexString(oldAddress) + " " + Long.toHexString(newAddress) + " " + size);
        }

        @Override
        public void failedRealloc(long thread, long oldAddress, long size) {
            events.add("failed t" + thread + " " + Long.toHexString(oldAddress) + " " + size);
        }
    }

    static TraceReader.Summary read(String text, Log log) throws IOException {
        return TraceReader.read("t.mtrace", new BufferedReader(new StringReader(text)), log);
    }

    @Test
    void everyLineKind() throws IOException {
        Log log = new Log();
        TraceReader.Summary s = read("""
                = Start
                = mtrace_shim v1 pid=1
                @ [0x7f01] + 0x1000 0x30 t=7
                @ [0x7f01] + 0x2000 0x18 t=7 k=calloc
                @ ./prog:[0x4005d4] + (nil) 0x7fffffffffff t=8
                @ [0x7f01] - 0x1000 t=8
                @ [0x7f01] < 0x2000 t=7
                @ [0x7f01] > 0x3000 0x400 t=7
                @ [0x7f01] ! 0x3000 0x10000000 t=7
                @ [0x7f01] + 0x1000 0x10 t=7 k=posix_memalign a=64 future=field
                @ [0x7f01] + 0x4000 0x10 t=7 k=realloc
                @ [0x7f01] - 0x4000 t=7 k=realloc
                not an event
                @ ./a.out:[0x4005d4] + 0x5000 0x64
                @ ./a.out:(main+0x1d)[0x4005d4] - 0x5000
                = End
                """, log);
        assertEquals(List.of("alloc t7 1000 48 malloc", "alloc t7 2000 24 calloc", "alloc t8 0 140737488355327 malloc",
                "free t8 1000 malloc", "realloc t7 2000 3000 1024", "failed t7 3000 268435456",
                "alloc t7 1000 16 posix_memalign a64", "alloc t7 4000 16 realloc", "free t7 4000 realloc",
                "alloc t0 5000 100 malloc", "free t0 5000 malloc"), log.events,
                "plain glibc lines (no t=) are thread 0; unknown keys are ignored");
        assertEquals(11, s.events());
        assertEquals(1, s.skipped());
        assertEquals(13, s.firstSkipped());
        assertEquals(16, s.lines());
        assertTrue(s.describe("t.mtrace").contains("1 line(s) skipped"), s.describe("t.mtrace"));
    }

    @Test
    void malformedLinesNameTheFileTheLineAndWhatIsValid() {
        List<String> bad = List.of("@ [0x1] + 0x1000", "@ [0x1] + 0x10 12", "@ [0x1] * 0x10 0x10", "@ [0x1]",
                "@ [0x1] > 0x10 0x10", "@ [0x1] + 0x10 0x10 t=-3", "@ [0x1] + 0x10 0x10 junk", "@ [0x1] - zz");
        for (String line : bad) {
            TraceException e = assertThrows(TraceException.class, () -> read("= Start\n" + line + "\n", new Log()));
            assertTrue(e.getMessage().startsWith("t.mtrace:2: "), e.getMessage());
            assertTrue(e.getMessage().endsWith(line), e.getMessage());
        }
        TraceException e = assertThrows(TraceException.class, () -> read("@ [0x1] < 0x10 t=1\n", new Log()));
        assertTrue(e.getMessage().contains("ends inside a realloc"), e.getMessage());
        e = assertThrows(TraceException.class, () -> read("@ [0x1] < 0x10 t=1\n@ [0x1] + 0x20 0x8 t=1\n", new Log()));
        assertTrue(e.getMessage().contains("must be followed by its '>'"), e.getMessage());
        e = assertThrows(TraceException.class, () -> read("@ [0x1] < 0x10 t=1\n@ [0x1] > 0x20 0x8 t=2\n", new Log()));
        assertTrue(e.getMessage().contains("from thread 2"), e.getMessage());
    }

    @Test
    void gzipIsRecognisedByItsBytesNotItsName(@TempDir Path dir) throws IOException {
        String text = "= Start\n@ [0x1] + 0x1000 0x30 t=7\n@ [0x1] - 0x1000 t=7\n";
        Path plain = dir.resolve("a.gz"), packed = dir.resolve("b.mtrace");
        Files.writeString(plain, text);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(packed))) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
        for (Path p : List.of(plain, packed)) {
            Log log = new Log();
            assertEquals(2, TraceReader.read(p, log).events(), p.toString());
            assertEquals(List.of("alloc t7 1000 48 malloc", "free t7 1000 malloc"), log.events);
        }
    }
}
