package org.hakgen.runtime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.zip.GZIPOutputStream;

/**
 * The generic build with every allocation, free and realloc written to a trace file
 * ({@link HakConfig#trace()}, {@code HAKMEM_TRACE=path}), in the format of
 * {@code ../shared/traces/README.md}: glibc mtrace lines with {@code t=} (the Java thread id),
 * {@code k=} (calloc, realloc, aligned_alloc) and {@code a=}. A path ending in {@code .gz} is written
 * gzip-compressed. {@link Hakmem#generic} returns this wrapper only when a trace is configured, so an
 * allocator that records nothing runs no code of it: zero cost when off.
 *
 * <p><b>Order.</b> Each operation and the line it writes happen under one lock, so the file's order is
 * an order that really happened: a free is written before any thread can get the same address back
 * from malloc, and an operation that throws (a bad free) writes nothing. Lines are buffered (64 KiB)
 * and written when the buffer fills, at {@link #close()}, and at JVM exit for an allocator left open.
 * The caller field is {@code [0x0]}: Java has no return address to give.
 */
final class Recorder implements HakAllocator {
    private final HakAllocator target;
    private final Path file;
    private final OutputStream out;
    private final StringBuilder line = new StringBuilder(96);
    private final Thread flushAtExit;
    private boolean closed;

    private Recorder(HakAllocator target, Path file, OutputStream out) {
        this.target = target;
        this.file = file;
        this.out = out;
        this.flushAtExit = new Thread(this::finish, "hakgen-trace-flush");
    }

    /**
     * Records {@code target}'s operations into {@code file}, which is created or truncated.
     *
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    static HakAllocator wrap(HakAllocator target, Path file) {
        try {
            OutputStream raw = Files.newOutputStream(file);
            OutputStream out = file.toString().endsWith(".gz")
                    ? new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16), 1 << 16)
                    : new BufferedOutputStream(raw, 1 << 16);
            Recorder r = new Recorder(target, file, out);
            r.header();
            Runtime.getRuntime().addShutdownHook(r.flushAtExit);
            return r;
        } catch (IOException e) {
            target.close();
            throw new UncheckedIOException("HAKMEM_TRACE / HakConfig.trace: cannot write the trace to " + file + ": " + e, e);
        }
    }

    private synchronized void header() {
        line.append("= Start\n= hakgen recorder v1 pid=").append(ProcessHandle.current().pid())
                .append(" allocator=").append(target).append('\n');
        write();
    }

    // ---- Lines: built in one StringBuilder under the lock, never allocating per event once warm -----

    private StringBuilder event(char op, long address) {
        line.append("@ [0x0] ").append(op).append(' ');
        return hex(address);
    }

    private StringBuilder hex(long v) {
        return line.append("0x").append(Long.toHexString(v));
    }

    private void end(String kind) {
        end(kind, 0);
    }

    /** Ends the line with the thread, and the kind and alignment when there are. */
    private void end(String kind, long alignment) {
        line.append(" t=").append(Thread.currentThread().threadId());
        if (kind != null) {
            line.append(" k=").append(kind);
        }
        if (alignment != 0) {
            line.append(" a=").append(alignment);
        }
        line.append('\n');
        write();
    }

    private void write() {
        if (closed) {
            line.setLength(0);   // after close the file is complete; the allocator itself refuses the call
        } else if (line.length() >= (1 << 16) - 128) {
            flushLine();
        }
    }

    private void flushLine() {
        try {
            byte[] bytes = line.toString().getBytes(StandardCharsets.US_ASCII);
            line.setLength(0);
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the trace " + file + " failed: " + e, e);
        }
    }

    // ---- The allocator ------------------------------------------------------------------------

    @Override
    public synchronized long malloc(long size) {
        long p = target.malloc(size);
        event('+', p).append(' ');
        hex(size);
        end(null);
        return p;
    }

    @Override
    public synchronized void free(long address) {
        target.free(address);
        if (address != 0) {
            event('-', address);
            end(null);
        }
    }

    @Override
    public synchronized long calloc(long count, long size) {
        long p = target.calloc(count, size);
        event('+', p).append(' ');
        hex(count * size);
        end("calloc");
        return p;
    }

    @Override
    public synchronized long realloc(long address, long newSize) {
        long p = target.realloc(address, newSize);
        logRealloc(address, newSize, p);
        return p;
    }

    /** The lines of a realloc that returned {@code p}, as glibc's mtrace writes them. */
    private void logRealloc(long address, long newSize, long p) {
        if (address == 0) {
            event('+', p).append(' ');
            hex(newSize);
            end("realloc");
        } else if (p == 0) {
            event('-', address);
            end("realloc");
        } else {
            event('<', address);
            end(null);
            event('>', p).append(' ');
            hex(newSize);
            end(null);
        }
    }

    @Override
    public synchronized MemorySegment allocate(long byteSize, long byteAlignment) {
        MemorySegment s = target.allocate(byteSize, byteAlignment);
        event('+', s.address()).append(' ');
        hex(byteSize);
        end("aligned_alloc", byteAlignment);
        return s;
    }

    @Override
    public synchronized void free(MemorySegment segment) {
        target.free(segment);
        event('-', segment.address());
        end(null);
    }

    @Override
    public long usableSize(long address) {
        return target.usableSize(address);
    }

    @Override
    public boolean owns(long address) {
        return target.owns(address);
    }

    /** A handle that records too: the recorder's lock orders its operations with everyone else's. */
    @Override
    public HakHeap threadHeap() {
        return new HakHeap() {
            @Override
            public long malloc(long size) {
                return Recorder.this.malloc(size);
            }

            @Override
            public void free(long address) {
                Recorder.this.free(address);
            }

            @Override
            public long calloc(long count, long size) {
                return Recorder.this.calloc(count, size);
            }

            @Override
            public long realloc(long address, long newSize) {
                return Recorder.this.realloc(address, newSize);
            }
        };
    }

    @Override
    public ThreadFactory threadFactory() {
        return target.threadFactory();
    }

    @Override
    public HakStats stats() {
        return target.stats();
    }

    @Override
    public void trim() {
        target.trim();
    }

    /** Writes the rest of the trace and {@code = End}, closes the file, then closes the allocator. */
    @Override
    public void close() {
        finish();
        try {
            Runtime.getRuntime().removeShutdownHook(flushAtExit);
        } catch (IllegalStateException exiting) {
            // the JVM is shutting down: the hook is running or has run
        }
        target.close();
    }

    private synchronized void finish() {
        if (closed) {
            return;
        }
        line.append("= End\n");
        closed = true;
        try {
            flushLine();
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("closing the trace " + file + " failed: " + e, e);
            }
        }
    }

    @Override
    public String toString() {
        return target + " recording to " + file;
    }
}
