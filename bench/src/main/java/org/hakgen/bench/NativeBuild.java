package org.hakgen.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A native allocator called through FFM downcalls with {@link Linker.Option#critical}, the cheapest
 * kind (no thread-state transition): glibc's malloc, or mimalloc, jemalloc or tcmalloc when their
 * shared libraries are installed.
 *
 * <p>The downcall handles are {@code static final}, so the JIT inlines them; that makes one native
 * allocator per JVM, which is what a JMH fork runs. Opening a second one in the same JVM throws.
 */
@SuppressWarnings("restricted")   // loading the peers' libraries and binding their downcalls is this class's job
final class NativeBuild implements Build {
    /** The peers this class can load, with the library file and symbol names of each. */
    enum Lib {
        MALLOC("malloc", null, "malloc", "calloc", "free", "realloc", null),
        MIMALLOC("mimalloc", "libmimalloc.so.2", "mi_malloc", "mi_calloc", "mi_free", "mi_realloc", "libmimalloc2.0"),
        JEMALLOC("jemalloc", "libjemalloc.so.2", "malloc", "calloc", "free", "realloc", "libjemalloc2"),
        TCMALLOC("tcmalloc", "libtcmalloc_minimal.so.4", "tc_malloc", "tc_calloc", "tc_free", "tc_realloc",
                "libgoogle-perftools4");

        final String build, file, malloc, calloc, free, realloc, debianPackage;

        Lib(String build, String file, String malloc, String calloc, String free, String realloc, String debianPackage) {
            this.build = build;
            this.file = file;
            this.malloc = malloc;
            this.calloc = calloc;
            this.free = free;
            this.realloc = realloc;
            this.debianPackage = debianPackage;
        }

        /** The library a peer build name means, or empty when the name is no native peer. */
        static Optional<Lib> named(String build) {
            return java.util.Arrays.stream(values()).filter(l -> l.build.equals(build)).findFirst();
        }

        /** Why build {@code build} cannot run here (a native peer whose library is missing), or empty. */
        static Optional<String> absenceOf(String build) {
            return named(build).flatMap(Lib::absence);
        }

        /** The library's symbols, or empty when it is not installed. */
        Optional<SymbolLookup> lookup() {
            if (file == null) {
                return Optional.of(Linker.nativeLinker().defaultLookup());
            }
            try {
                return Optional.of(SymbolLookup.libraryLookup(file, Arena.global()));
            } catch (IllegalArgumentException notFound) {
                return Optional.empty();
            }
        }

        /** Why the peer cannot be run here, or empty when it can. */
        Optional<String> absence() {
            if (lookup().isPresent()) {
                return Optional.empty();
            }
            String why = build + ": " + file + " is not installed (Debian package " + debianPackage + ")";
            if (this == JEMALLOC && Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/" + file))) {
                why = build + ": " + file + " is installed but will not load into a JVM without "
                        + "GLIBC_TUNABLES=glibc.rtld.optional_static_tls=16384 in the environment";
            }
            return Optional.of(why);
        }
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static volatile Lib chosen;

    private final Lib lib;
    private final Footprints footprints;
    /**
     * What the library held before the benchmark used it, which its footprint leaves out: glibc's count
     * includes the JVM's own mallocs. The other peers are called by their own symbols from this class
     * alone, so all they hold (tcmalloc's first 1 MiB of heap, which it takes when it loads, included) is
     * held for the benchmark and counts, as everything hakgen maps counts for it.
     */
    private final long baseline;
    private long peakSeen;
    private long[] shared = new long[0];

    private NativeBuild(Lib lib) {
        this.lib = lib;
        this.footprints = new Footprints(lib);
        this.baseline = lib == Lib.MALLOC ? footprints.mapped() : 0;
    }

    /** Opens {@code lib}, which must be the only native peer this JVM opens. */
    static NativeBuild open(Lib lib) {
        synchronized (NativeBuild.class) {
            if (chosen != null && chosen != lib) {
                throw new IllegalStateException("this JVM already calls " + chosen.build + " through static downcall "
                        + "handles; run " + lib.build + " in its own JVM (JMH forks do)");
            }
            String why = lib.absence().orElse(null);
            if (why != null) {
                throw new UnsupportedOperationException(why);
            }
            chosen = lib;
        }
        return new NativeBuild(lib);
    }

    @Override
    public String name() {
        return lib.build;
    }

    @Override
    public Subject subject(Api api, int slots) {
        if (api != Api.ALLOCATOR) {
            throw new UnsupportedOperationException(lib.build + " has no per-thread heap handle; valid api: allocator");
        }
        return new Calls(new long[slots], shared);
    }

    @Override
    public void shareSlots(int count) {
        shared = new long[count];
    }

    @Override
    public void freeShared() {
        for (int i = 0; i < shared.length; i++) {
            Handles.free(Memory.swap(shared, i, 0));
        }
    }

    @Override
    public void trim() {
        footprints.trim();
    }

    @Override
    public Footprint footprint() {
        if (footprints.mapped() == Footprints.UNKNOWN) {
            return new Footprint(Footprints.UNKNOWN, Footprints.UNKNOWN, false);
        }
        long now = Math.max(0, footprints.mapped() - baseline);
        peakSeen = Math.max(peakSeen, now);
        return new Footprint(now, Math.max(peakSeen, Math.max(0, footprints.peak() - baseline)), footprints.exactPeak());
    }

    @Override
    public void close() {
        freeShared();
    }

    /** The downcalls, bound once per JVM to the chosen library. */
    static final class Handles {
        private static final MethodHandle MALLOC, CALLOC, FREE, REALLOC;

        static {
            Lib lib = chosen;
            SymbolLookup symbols = lib.lookup().orElseThrow();
            Linker.Option critical = Linker.Option.critical(false);
            MALLOC = LINKER.downcallHandle(symbols.findOrThrow(lib.malloc), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), critical);
            CALLOC = LINKER.downcallHandle(symbols.findOrThrow(lib.calloc),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG), critical);
            FREE = LINKER.downcallHandle(symbols.findOrThrow(lib.free), FunctionDescriptor.ofVoid(JAVA_LONG), critical);
            REALLOC = LINKER.downcallHandle(symbols.findOrThrow(lib.realloc),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG), critical);
        }

        private Handles() {
        }

        static long malloc(long size) {
            try {
                long p = (long) MALLOC.invokeExact(size);
                if (p == 0) {
                    throw new OutOfMemoryError(chosen.build + " returned NULL for " + size + " bytes");
                }
                return p;
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        static long calloc(long size) {
            try {
                long p = (long) CALLOC.invokeExact(1L, size);
                if (p == 0) {
                    throw new OutOfMemoryError(chosen.build + " returned NULL for calloc(1, " + size + ")");
                }
                return p;
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        static void free(long p) {
            try {
                FREE.invokeExact(p);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        static long realloc(long p, long size) {
            try {
                return (long) REALLOC.invokeExact(p, size);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        private static RuntimeException rethrow(Throwable t) {
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }

    /** malloc, calloc, free and realloc by downcall. */
    static final class Calls extends Subject {
        private final long[] slots;
        private final long[] shared;

        Calls(long[] slots, long[] shared) {
            super(slots.length);
            this.slots = slots;
            this.shared = shared;
        }

        @Override
        public Subject twin() {
            return new Calls(slots, shared);
        }

        @Override
        public void alloc(int slot, long size) {
            long p = Handles.malloc(size);
            Memory.touch(p, size);
            slots[slot] = p;
        }

        @Override
        public void calloc(int slot, long size) {
            long p = Handles.calloc(size);
            Memory.touch(p, size);
            slots[slot] = p;
        }

        @Override
        public void free(int slot) {
            Handles.free(slots[slot]);
            slots[slot] = 0;
        }

        @Override
        public void realloc(int slot, long size) {
            long p = Handles.realloc(slots[slot], size);
            if (p != 0) {
                Memory.touch(p, size);
            }
            slots[slot] = p;
        }

        @Override
        public void exchange(int slot, long size) {
            long p = Handles.malloc(size);
            Memory.touch(p, size);
            Handles.free(Memory.swap(shared, slot, p));
        }

    }

    /**
     * Each library's own count of the memory it holds from the OS, read off the hot path:
     * glibc's {@code mallinfo2} (arena + mmapped bytes, which include the JVM's own mallocs, hence the
     * baseline), mimalloc's {@code mi_process_info} (committed bytes, with a true peak), jemalloc's
     * {@code stats.mapped} and tcmalloc's {@code generic.heap_size}.
     */
    static final class Footprints {
        /** What a library that would not say reads as: reports print it as n/a. */
        static final long UNKNOWN = -1;
        private static final MemoryLayout MALLINFO2 = MemoryLayout.sequenceLayout(10, JAVA_LONG);
        private final Lib lib;
        private final MethodHandle read;
        /** The library's trim, or null when it has none: malloc_trim, mi_collect, MallocExtension_ReleaseFreeMemory. */
        private final MethodHandle trim;

        Footprints(Lib lib) {
            this.lib = lib;
            SymbolLookup symbols = lib.lookup().orElseThrow();
            this.trim = switch (lib) {
                case MALLOC -> LINKER.downcallHandle(symbols.findOrThrow("malloc_trim"), FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
                case MIMALLOC -> LINKER.downcallHandle(symbols.findOrThrow("mi_collect"), FunctionDescriptor.ofVoid(JAVA_BOOLEAN));
                case TCMALLOC -> symbols.find("MallocExtension_ReleaseFreeMemory")
                        .map(f -> LINKER.downcallHandle(f, FunctionDescriptor.ofVoid())).orElse(null);
                case JEMALLOC -> null;
            };
            this.read = switch (lib) {
                case MALLOC -> LINKER.downcallHandle(symbols.findOrThrow("mallinfo2"),
                        FunctionDescriptor.of(MemoryLayout.structLayout(MALLINFO2)));
                case MIMALLOC -> LINKER.downcallHandle(symbols.findOrThrow("mi_process_info"),
                        FunctionDescriptor.ofVoid(ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
                case JEMALLOC -> LINKER.downcallHandle(symbols.findOrThrow("mallctl"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
                case TCMALLOC -> LINKER.downcallHandle(symbols.findOrThrow("MallocExtension_GetNumericProperty"),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            };
        }

        /** Gives free memory back to the OS, where the library can be asked to. */
        void trim() {
            try {
                switch (lib) {
                    case MALLOC -> {
                        int released = (int) trim.invokeExact(0L);
                    }
                    case MIMALLOC -> trim.invokeExact(true);
                    case TCMALLOC -> {
                        if (trim != null) {
                            trim.invokeExact();
                        }
                    }
                    case JEMALLOC -> { }
                }
            } catch (Throwable t) {
                throw new IllegalStateException("trimming " + lib.build + " failed", t);
            }
        }

        boolean exactPeak() {
            return lib == Lib.MIMALLOC;
        }

        long mapped() {
            return read(false);
        }

        long peak() {
            return exactPeak() ? read(true) : 0;
        }

        private long read(boolean peak) {
            try (Arena arena = Arena.ofConfined()) {
                switch (lib) {
                    case MALLOC -> {
                        MemorySegment info = (MemorySegment) read.invokeExact((java.lang.foreign.SegmentAllocator) arena);
                        return info.getAtIndex(JAVA_LONG, 0) + info.getAtIndex(JAVA_LONG, 4);   // arena + hblkhd
                    }
                    case MIMALLOC -> {
                        MemorySegment v = arena.allocate(JAVA_LONG, 8);
                        read.invokeExact(v, v.asSlice(8), v.asSlice(16), v.asSlice(24), v.asSlice(32), v.asSlice(40),
                                v.asSlice(48), v.asSlice(56));
                        return v.getAtIndex(JAVA_LONG, peak ? 6 : 5);   // peak_commit : current_commit
                    }
                    case JEMALLOC -> {
                        MemorySegment epoch = arena.allocateFrom(JAVA_LONG, 1);
                        int rc = (int) read.invokeExact(arena.allocateFrom("epoch"), MemorySegment.NULL,
                                MemorySegment.NULL, epoch, 8L);
                        MemorySegment v = arena.allocate(JAVA_LONG);
                        MemorySegment len = arena.allocateFrom(JAVA_LONG, 8);
                        rc |= (int) read.invokeExact(arena.allocateFrom("stats.mapped"), v, len, MemorySegment.NULL, 0L);
                        return rc == 0 ? v.get(JAVA_LONG, 0) : UNKNOWN;
                    }
                    case TCMALLOC -> {
                        MemorySegment v = arena.allocate(JAVA_LONG);
                        int ok = (int) read.invokeExact(arena.allocateFrom("generic.heap_size"), v);
                        return ok != 0 && v.get(JAVA_LONG, 0) > 0 ? v.get(JAVA_LONG, 0) : UNKNOWN;
                    }
                    default -> throw new AssertionError(lib);
                }
            } catch (Throwable t) {
                throw new IllegalStateException("reading " + lib.build + "'s footprint failed", t);
            }
        }
    }
}
