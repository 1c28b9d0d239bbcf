package org.hakgen.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import org.hakgen.generator.NettyJfr.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netty's JFR buffer events as a trace. The recordings here are real JFR recordings of events with
 * Netty's names and fields, committed by the test (the bench's Netty, 4.1, has no such events).
 */
class NettyJfrTest {
    @TempDir
    Path dir;

    @Name(NettyJfr.ALLOCATE)
    static final class Allocate extends Event {
        int size;
        boolean direct;
        long address;
    }

    @Name(NettyJfr.FREE)
    static final class Free extends Event {
        int size;
        boolean direct;
        long address;
    }

    @Name(NettyJfr.REALLOCATE)
    static final class Reallocate extends Event {
        int size;
        boolean direct;
        long address;
        int newCapacity;
    }

    static void allocate(long address, int size, boolean direct) {
        Allocate e = new Allocate();
        e.address = address;
        e.size = size;
        e.direct = direct;
        e.commit();
    }

    static void free(long address, int size) {
        Free e = new Free();
        e.address = address;
        e.size = size;
        e.direct = true;
        e.commit();
    }

    static void reallocate(long address, int size, int newCapacity) {
        Reallocate e = new Reallocate();
        e.address = address;
        e.size = size;
        e.newCapacity = newCapacity;
        e.direct = true;
        e.commit();
    }

    /** Records what {@code program} commits into a file, as a user's {@code -XX:StartFlightRecording} would. */
    Path record(String name, Runnable program) throws IOException {
        Path file = dir.resolve(name);
        try (Recording r = new Recording()) {
            for (String event : List.of(NettyJfr.ALLOCATE, NettyJfr.FREE, NettyJfr.REALLOCATE)) {
                r.enable(event).withoutStackTrace();
            }
            r.start();
            program.run();
            r.stop();
            r.dump(file);
        }
        return file;
    }

    @Test
    void directBuffersBecomeMallocReallocAndFreeOnTheirThreads() throws Exception {
        long main = Thread.currentThread().threadId();
        long[] other = new long[1];
        Path file = record("netty.jfr", () -> {
            allocate(0x10000, 100, true);
            allocate(0, 50, false);                  // a heap buffer: no native memory
            reallocate(0x10000, 100, 300);           // grows: the new memory's allocation follows
            allocate(0x20000, 300, true);
            allocate(0x30000, 64, true);
            Thread t = new Thread(() -> {
                free(0x30000, 64);                   // released by another thread
                free(0x99000, 64);                   // allocated before the recording started
            });
            other[0] = t.threadId();
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            free(0x20000, 300);
        });
        TraceReaderTest.Log log = new TraceReaderTest.Log();
        TraceReader.Summary s = TraceReader.read(file, log);
        assertEquals(List.of("alloc t" + main + " 10000 100 malloc", "realloc t" + main + " 10000 20000 300",
                "alloc t" + main + " 30000 64 malloc", "free t" + other[0] + " 30000 malloc",
                "free t" + main + " 20000 malloc"), log.events);
        assertEquals(5, s.events());
        assertEquals(2, s.skipped());
        assertTrue(s.describe("netty.jfr").contains("1 of heap buffers (no native memory)"), s.describe("netty.jfr"));
        assertTrue(s.describe("netty.jfr").contains("1 releases or reallocations of buffers allocated before the recording started"),
                s.describe("netty.jfr"));
        assertEquals(1.0 / 3, Inference.infer(file, "netty", 8, file.toString()).crossThreadFrees(), 1e-9,
                "of the reallocation's old buffer and two releases, one release was on another thread");
    }

    @Test
    void aRecordingWithoutNettyEventsSaysHowToRecordThem() throws Exception {
        Path file = record("empty.jfr", () -> allocate(0, 10, false));
        TraceException e = assertThrows(TraceException.class, () -> TraceReader.read(file, new TraceReaderTest.Log()));
        assertTrue(e.getMessage().contains("no direct buffer events of Netty") && e.getMessage().contains("1 were heap buffers")
                && e.getMessage().contains(NettyJfr.RECORD_OPTION), e.getMessage());
    }

    @Test
    void aCompressedOrBrokenRecordingIsNamed() throws Exception {
        Path file = record("netty.jfr", () -> allocate(0x1000, 10, true));
        Path gz = dir.resolve("netty.jfr.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(file));
        }
        TraceException e = assertThrows(TraceException.class, () -> TraceReader.read(gz, new TraceReaderTest.Log()));
        assertTrue(e.getMessage().startsWith(gz + ": a gzip-compressed JFR recording"), e.getMessage());

        Path broken = dir.resolve("broken.jfr");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(broken, java.util.Arrays.copyOf(bytes, 40));
        e = assertThrows(TraceException.class, () -> TraceReader.read(broken, new TraceReaderTest.Log()));
        assertTrue(e.getMessage().startsWith(broken + ": not a readable JFR recording"), e.getMessage());
    }

    @Test
    void aReleaseRecordedAfterTheAllocationThatReusedItsMemoryIsMovedBefore() throws Exception {
        TraceReaderTest.Log log = new TraceReaderTest.Log();
        NettyJfr.Converter c = new NettyJfr.Converter("t.jfr", log);
        c.convert(List.of(
                new NettyJfr.Event(1, 1, Op.ALLOCATE, 0x1000, 64),
                new NettyJfr.Event(2, 2, Op.ALLOCATE, 0x1000, 32),    // thread 2 got the memory thread 1 released ...
                new NettyJfr.Event(3, 1, Op.FREE, 0x1000, 64),        // ... but its release is stamped later
                new NettyJfr.Event(4, 2, Op.FREE, 0x1000, 32)));
        assertEquals(List.of("alloc t1 1000 64 malloc", "free t1 1000 malloc", "alloc t2 1000 32 malloc",
                "free t2 1000 malloc"), log.events);
        assertEquals(1, c.reordered);
        assertEquals(0, c.unmatched);
    }

    @Test
    void reallocationsInPlaceUnmatchedOrNotFollowedByAnAllocation() throws Exception {
        TraceReaderTest.Log log = new TraceReaderTest.Log();
        NettyJfr.Converter c = new NettyJfr.Converter("t.jfr", log);
        c.convert(List.of(
                new NettyJfr.Event(1, 1, Op.ALLOCATE, 0x1000, 64),
                new NettyJfr.Event(2, 1, Op.REALLOCATE, 0x1000, 128),
                new NettyJfr.Event(3, 1, Op.ALLOCATE, 0x1000, 128),   // grown in place
                new NettyJfr.Event(4, 2, Op.REALLOCATE, 0x7000, 256), // a buffer from before the recording
                new NettyJfr.Event(5, 2, Op.ALLOCATE, 0x8000, 256),
                new NettyJfr.Event(6, 1, Op.REALLOCATE, 0x1000, 512), // no allocation follows on thread 1:
                new NettyJfr.Event(7, 1, Op.FREE, 0x9000, 8)));       // the old memory was released
        assertEquals(List.of("alloc t1 1000 64 malloc", "realloc t1 1000 1000 128", "alloc t2 8000 256 malloc",
                "free t1 1000 malloc"), log.events);
        assertEquals(2, c.unmatched, "the reallocation of 0x7000 and the release of 0x9000");
        TraceException e = assertThrows(TraceException.class, () -> new NettyJfr.Converter("t.jfr", new TraceReaderTest.Log())
                .convert(List.of(new NettyJfr.Event(1, 1, Op.ALLOCATE, 0x1000, 64),
                        new NettyJfr.Event(2, 1, Op.ALLOCATE, 0x1000, 64))));
        assertTrue(e.getMessage().startsWith("t.jfr: event 2 (thread 1): the buffer at 0x1000 is allocated again while live"),
                e.getMessage());
    }

    @Test
    void aProfileIsInferredFromARecording() throws Exception {
        Path file = record("server.jfr", () -> {
            for (int round = 0; round < 200; round++) {
                for (int i = 0; i < 8; i++) {
                    allocate(0x100000 + i * 0x1000L, i % 2 == 0 ? 256 : 2048, true);
                }
                for (int i = 0; i < 8; i++) {
                    free(0x100000 + i * 0x1000L, 0);
                }
            }
        });
        Inference.Result r = Inference.infer(file, "server", 4, file.toString());
        assertTrue(r.classes().contains(256), "the 256-byte buffers get their class: " + r.classes());
        assertTrue(r.yaml().contains("1,600 requests"), r.yaml());
        ProfileReader.read("server.yaml", "server", r.yaml().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
