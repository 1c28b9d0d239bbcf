package org.hakgen.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The kernel's memory calls as FFM downcalls, and raw access to native words.
 *
 * <p>Every call captures {@code errno} and a failure names the call, its arguments and the error
 * ({@code "mmap(len=4194304) failed: errno 12 (ENOMEM)"}). These calls are the slow path: a chunk is
 * mapped once per 2 MiB of growth, so the confined arena and the small objects each call allocates for
 * the errno capture do not matter.
 *
 * <p>Linux only (x86-64 and AArch64 share the constants below); on another OS the class fails to
 * initialise with a message saying so.
 */
@SuppressWarnings("restricted")   // this class is where the runtime touches native code
final class OsMemory {
    /** The whole address space as one segment: native words are read and written through it. */
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /** Kernel page ("OS page"): the unit of mmap, munmap and madvise. */
    static final long OS_PAGE = 4096;

    private static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    private static final int MADV_DONTNEED = 4;
    private static final long MAP_FAILED = -1L;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(PathElement.groupElement("errno"));

    /** {@code void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)} */
    private static final MethodHandle MMAP;
    /** {@code int munmap(void *addr, size_t len)} */
    private static final MethodHandle MUNMAP;
    /** {@code int madvise(void *addr, size_t len, int advice)} */
    private static final MethodHandle MADVISE;
    /** {@code int mincore(void *addr, size_t len, unsigned char *vec)} */
    private static final MethodHandle MINCORE;

    static {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            throw new UnsupportedOperationException(
                    "hakgen's runtime maps memory with Linux's mmap; this JVM runs on " + os);
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        MMAP = linker.downcallHandle(libc.findOrThrow("mmap"),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), errno);
        MUNMAP = linker.downcallHandle(libc.findOrThrow("munmap"),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
        MADVISE = linker.downcallHandle(libc.findOrThrow("madvise"),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), errno);
        MINCORE = linker.downcallHandle(libc.findOrThrow("mincore"),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS), errno);
    }

    private OsMemory() {}

    /**
     * Maps {@code length} bytes of zeroed, private, read-write memory whose start is a multiple of
     * {@code alignment} (a power of two, at least an OS page). Over-maps by the alignment and unmaps
     * the slack on both sides, so exactly {@code length} bytes stay mapped.
     *
     * @throws OutOfMemoryError when the kernel refuses, naming errno
     */
    static long map(long length, long alignment) {
        long span = alignment <= OS_PAGE ? length : length + alignment;
        long raw = mapLazy(span);
        if (alignment <= OS_PAGE) {
            return raw;
        }
        long start = (raw + alignment - 1) & -alignment;
        if (start > raw) {
            unmap(raw, start - raw);
        }
        long tail = raw + span - (start + length);
        if (tail > 0) {
            unmap(start + length, tail);
        }
        return start;
    }

    /** A downcall given the errno capture segment; returns the C function's result widened to long. */
    @FunctionalInterface
    private interface Downcall {
        long invoke(MemorySegment capture) throws Throwable;
    }

    /** What a downcall returned, and errno right after it. */
    private record Outcome(long result, int errno) {}

    private static Outcome call(String function, Downcall downcall) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CAPTURE);
            long result = downcall.invoke(capture);
            return new Outcome(result, (int) ERRNO.get(capture, 0L));
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(function + " downcall", t);
        }
    }

    /**
     * Reserves {@code length} bytes of address space that nothing may touch yet (PROT_NONE): chunks
     * are later mapped into it with {@link #mapFixed}.
     */
    static long reserve(long length) {
        return mmap(0L, length, PROT_NONE, 0);
    }

    /** Maps {@code length} bytes read-write that hold no memory until written and read as zero. */
    static long mapLazy(long length) {
        return mmap(0L, length, PROT_READ | PROT_WRITE, 0);
    }

    /** Maps fresh zeroed read-write memory over {@code [address, address + length)} of a reservation. */
    static void mapFixed(long address, long length) {
        mmap(address, length, PROT_READ | PROT_WRITE, MAP_FIXED);
    }

    /** Puts {@code [address, address + length)} back to reserved-only: its memory goes back to the OS. */
    static void unreserve(long address, long length) {
        mmap(address, length, PROT_NONE, MAP_FIXED);
    }

    private static long mmap(long address, long length, int prot, int flags) {
        Outcome o = call("mmap", c -> (long) MMAP.invokeExact(c, address, length, prot,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | flags, -1, 0L));
        if (o.result == MAP_FAILED) {
            throw new OutOfMemoryError("mmap(" + (address == 0 ? "" : "0x" + Long.toHexString(address) + ", ")
                    + "len=" + length + (prot == PROT_NONE ? ", PROT_NONE" : "") + ") failed: " + describe(o.errno));
        }
        return o.result;
    }

    /** Unmaps {@code [address, address + length)}; a failure is a bug in the caller's bookkeeping. */
    static void unmap(long address, long length) {
        Outcome o = call("munmap", c -> (int) MUNMAP.invokeExact(c, address, length));
        if (o.result != 0) {
            throw new IllegalStateException(
                    "munmap(0x" + Long.toHexString(address) + ", len=" + length + ") failed: " + describe(o.errno));
        }
    }

    /** Gives the physical memory behind {@code [address, address + length)} back; the mapping stays and reads as zero. */
    static void discard(long address, long length) {
        Outcome o = call("madvise", c -> (int) MADVISE.invokeExact(c, address, length, MADV_DONTNEED));
        if (o.result != 0) {
            throw new IllegalStateException("madvise(0x" + Long.toHexString(address) + ", len=" + length
                    + ", MADV_DONTNEED) failed: " + describe(o.errno));
        }
    }

    /**
     * Whether the OS page holding {@code address} is mapped by anyone in this process: mincore fails
     * with ENOMEM exactly when it is not. Used only to word error messages about foreign addresses.
     */
    static boolean isMapped(long address) {
        long page = address & -OS_PAGE;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vec = arena.allocate(1);
            return call("mincore", c -> (int) MINCORE.invokeExact(c, page, OS_PAGE, vec)).result == 0;
        }
    }

    static String describe(int errno) {
        String name = switch (errno) {
            case 1 -> "EPERM";
            case 9 -> "EBADF";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 14 -> "EFAULT";
            case 22 -> "EINVAL";
            default -> "see errno(3)";
        };
        return "errno " + errno + " (" + name + ")";
    }

    // Native words. The segment is a constant, so C2 reduces each access to one load or store.

    static long getLong(long address) {
        return ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, address);
    }

    static void putLong(long address, long value) {
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, address, value);
    }

    static void fill(long address, long length, byte value) {
        ALL.asSlice(address, length).fill(value);
    }

    static void copy(long from, long to, long length) {
        MemorySegment.copy(ALL, from, ALL, to, length);
    }
}
