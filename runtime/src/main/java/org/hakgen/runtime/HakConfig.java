package org.hakgen.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The knobs of an allocator build: hakmem's layers and their sizes, statistics, the guard's options
 * and the backend's limits. Immutable; {@link #toBuilder()} and {@link #withMemoryLimit} make validated copies.
 *
 * <p>{@link #defaults()} is hakmem's defaults with every layer on. {@link #fromEnvironment()} reads
 * the {@code HAKMEM_*} variables on top of them:
 *
 * <table>
 * <caption>Environment variables</caption>
 * <tr><th>variable</th><th>values</th><th>field</th></tr>
 * <tr><td>{@code HAKMEM_TINY_CLASSES}</td><td>comma-separated ascending sizes, multiples of 8, at most 1024</td><td>{@link #tinyClasses}</td></tr>
 * <tr><td>{@code HAKMEM_TINY_ULTRA_HOT}</td><td>0 / 1</td><td>{@link #ultraHot}</td></tr>
 * <tr><td>{@code HAKMEM_TINY_ULTRA_HOT_CLASSES}</td><td>two request sizes, e.g. {@code 16,32}</td><td>{@link #ultraHotSizes}</td></tr>
 * <tr><td>{@code HAKMEM_TINY_ULTRA_HOT_STATS}</td><td>0 / 1</td><td>{@link Layer#ULTRA_HOT} in {@link #stats}</td></tr>
 * <tr><td>{@code HAKMEM_TINY_HEAP_V2}</td><td>0 / 1</td><td>{@link #heapV2}</td></tr>
 * <tr><td>{@code HAKMEM_TINY_HEAP_V2_CLASS_MASK}</td><td>bit per tiny class, decimal or {@code 0x} hex</td><td>{@link #heapV2ClassMask}</td></tr>
 * <tr><td>{@code HAKMEM_TINY_HEAP_V2_LEFTOVER_MODE}</td><td>0 = stealing, 1 = leftover</td><td>{@link #heapV2Leftover}</td></tr>
 * <tr><td>{@code HAKMEM_TINY_HEAP_V2_STATS}</td><td>0 / 1</td><td>{@link Layer#HEAP_V2} in {@link #stats}</td></tr>
 * <tr><td>{@code HAKMEM_MID_MAX}</td><td>32K, 64K, 128K or 256K (bytes, optional K suffix)</td><td>{@link #midMax}</td></tr>
 * <tr><td>{@code HAKMEM_TINY_SLL_DRAIN_INTERVAL}</td><td>frees onto the thread lists between drains, 1 … 1048576</td><td>{@link #drainInterval}</td></tr>
 * <tr><td>{@code HAKMEM_TINY_SLL_STATS}</td><td>0 / 1</td><td>{@link Layer#THREAD_LIST} and {@link Layer#MID}</td></tr>
 * <tr><td>{@code HAKMEM_EXTERNAL_GUARD_MINCORE}</td><td>0 / 1</td><td>{@link #guardMincore}</td></tr>
 * <tr><td>{@code HAKMEM_EXTERNAL_GUARD_LOG}</td><td>0 / 1</td><td>{@link #guardLog}</td></tr>
 * <tr><td>{@code HAKMEM_EXTERNAL_GUARD_SEAL}</td><td>0 / 1 (hakgen's own)</td><td>{@link #guardSeal}</td></tr>
 * <tr><td>{@code HAKMEM_EXTERNAL_GUARD_STATS}</td><td>0 / 1</td><td>{@link Layer#GUARD} in {@link #stats}</td></tr>
 * <tr><td>{@code HAKMEM_STATS}</td><td>0 / 1</td><td>every layer in {@link #stats}</td></tr>
 * <tr><td>{@code HAKMEM_MEMORY_LIMIT}</td><td>bytes, with an optional K, M or G suffix</td><td>{@link #memoryLimit}</td></tr>
 * <tr><td>{@code HAKMEM_TRACE}</td><td>a file; {@code .gz} compresses</td><td>{@link #trace} (generic build: record every operation)</td></tr>
 * </table>
 *
 * <p>A bad value fails with an {@link IllegalArgumentException} naming the variable or field, the
 * value, and what would be valid.
 *
 * @param tinyClasses     block sizes of the tiny classes, ascending multiples of 8 from 8 up to 1024; the
 *                        mid classes continue above the last one up to {@code midMax}
 * @param ultraHot        UltraHot (L0): small magazines for two hot classes
 * @param ultraHotSizes   the two request sizes whose classes UltraHot serves (hakmem: 16 B and 32 B)
 * @param ultraHotSlots   slots per UltraHot magazine, 1 … 64 (hakmem: 4, one cache line for both)
 * @param heapV2          HeapV2 (L1): a magazine per class in {@code heapV2ClassMask}
 * @param heapV2ClassMask bit {@code i} enables tiny class {@code i} (hakmem: C0–C3, {@code 0xF})
 * @param heapV2Leftover  false = stealing (HeapV2 takes frees first), true = leftover (the thread list
 *                        takes frees, HeapV2 is topped up from what a drain gives back)
 * @param heapV2Slots     slots per HeapV2 magazine, 1 … 256 (hakmem: 16)
 * @param heapV2ClassSlots slots of the HeapV2 magazines of some classes, by class size, 1 … 256 each
 *                        (e.g. as {@code hakgen infer} sizes them from a trace); every other class in
 *                        the mask has {@code heapV2Slots}
 * @param midMax          the largest request the mid classes serve, from slabs through the thread's
 *                        caches: 32 KiB (hakmem), 64, 128 or 256 KiB; above it each request is a
 *                        mapping of its own, cached under one lock for reuse. A workload that
 *                        allocates and frees many blocks just above 32 KiB gains from a higher one
 * @param drainInterval   frees onto the thread lists (not those a magazine takes) between two drains of
 *                        the lists to the central pool (hakmem: 2048)
 * @param stats           layers whose counters are kept; an empty set keeps none and costs nothing
 * @param guardMincore    when a free is rejected as foreign, ask the kernel whether the address is
 *                        mapped at all and say so in the message
 * @param guardLog        log every rejected free at WARNING level before throwing
 * @param guardSeal       how the guard knows a block in a magazine is free: false = its state byte in
 *                        the side table, written on every free and malloc (the fastest on one thread);
 *                        true = a seal in the block's first word, so that only moves between magazines
 *                        and lists write the table (the fastest where threads free each other's blocks,
 *                        whose state bytes share cache lines). Both catch the same double frees; the seal
 *                        also refuses to hand out a cached block the program wrote after freeing it. It
 *                        also decides the tiny classes' caches ({@code FrontEnd.tinySpares}): with state
 *                        bytes, a tiny class without UltraHot or HeapV2 keeps its thread list alone, so a
 *                        write after free into a freed block's first word is a written link, reported at a
 *                        later malloc with the rest of that list abandoned; sealed, it keeps a spare magazine
 * @param memoryLimit     cap on bytes mapped from the OS; {@link Long#MAX_VALUE} for none
 * @param chunkReserve    empty chunks kept mapped for reuse (hysteresis), 0 … 64
 * @param trace           where the generic build records every operation as an allocation trace
 *                        ({@code ../shared/traces/README.md}; {@code .gz} compresses), or null for no
 *                        recording; generated builds do not record
 */
public record HakConfig(
        List<Integer> tinyClasses,
        boolean ultraHot,
        List<Integer> ultraHotSizes,
        int ultraHotSlots,
        boolean heapV2,
        int heapV2ClassMask,
        boolean heapV2Leftover,
        int heapV2Slots,
        Map<Integer, Integer> heapV2ClassSlots,
        int midMax,
        int drainInterval,
        Set<Layer> stats,
        boolean guardMincore,
        boolean guardLog,
        boolean guardSeal,
        long memoryLimit,
        int chunkReserve,
        Path trace) {

    /** The largest tiny class: above it the mid classes start. */
    public static final int TINY_MAX = 1024;

    /** The default and the least {@link #midMax}, hakmem's: 32 KiB. */
    public static final int MID_MAX_DEFAULT = 32 * 1024;

    /** The greatest {@link #midMax}: 256 KiB, two blocks to a mid slab. */
    public static final int MID_MAX_LIMIT = 256 * 1024;

    /** A layer of the allocator, for choosing which keep statistics. */
    public enum Layer { ULTRA_HOT, HEAP_V2, THREAD_LIST, MID, GUARD }

    public HakConfig {
        tinyClasses = List.copyOf(tinyClasses);
        ultraHotSizes = List.copyOf(ultraHotSizes);
        heapV2ClassSlots = Map.copyOf(heapV2ClassSlots);
        stats = stats.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(Layer.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(stats));
        if (tinyClasses.isEmpty() || tinyClasses.size() > 31) {
            throw new IllegalArgumentException("tinyClasses: " + tinyClasses
                    + " has " + tinyClasses.size() + " classes; valid: 1 to 31 sizes");
        }
        int previous = 0;
        for (int size : tinyClasses) {
            if (size < 8 || size > TINY_MAX || size % 8 != 0 || size <= previous) {
                throw new IllegalArgumentException("tinyClasses: " + size + " in " + tinyClasses
                        + " is invalid; valid: ascending multiples of 8 from 8 to " + TINY_MAX);
            }
            previous = size;
        }
        if (ultraHotSizes.size() != 2) {
            throw new IllegalArgumentException("ultraHotSizes: " + ultraHotSizes + " must name exactly two request sizes");
        }
        int last = tinyClasses.getLast();
        for (int size : ultraHotSizes) {
            if (size < 1 || size > last) {
                throw new IllegalArgumentException("ultraHotSizes: " + size
                        + " is not a tiny request size; valid: 1 to " + last);
            }
        }
        requireRange("ultraHotSlots", ultraHotSlots, 1, 64);
        requireRange("heapV2Slots", heapV2Slots, 1, 256);
        requireRange("drainInterval", drainInterval, 1, 1 << 20);
        if (!validMidMax(midMax)) {
            throw new IllegalArgumentException("midMax: " + midMax + " is invalid; valid: 32768, 65536, 131072 or 262144 "
                    + "(32, 64, 128 or 256 KiB)");
        }
        requireRange("chunkReserve", chunkReserve, 0, 64);
        if (heapV2ClassMask < 0 || heapV2ClassMask >>> tinyClasses.size() != 0) {
            throw new IllegalArgumentException("heapV2ClassMask: 0x" + Integer.toHexString(heapV2ClassMask)
                    + " names a class that does not exist; valid: bits 0 to " + (tinyClasses.size() - 1)
                    + " (the " + tinyClasses.size() + " tiny classes " + tinyClasses + ")");
        }
        for (var e : new java.util.TreeMap<>(heapV2ClassSlots).entrySet()) {
            int cls = tinyClasses.indexOf(e.getKey());
            if (cls < 0 || (heapV2ClassMask >>> cls & 1) == 0) {
                throw new IllegalArgumentException("heapV2ClassSlots: " + e.getKey() + " B is not a class with a HeapV2 "
                        + "magazine; valid: the classes heapV2ClassMask names");
            }
            requireRange("heapV2ClassSlots of " + e.getKey() + " B", e.getValue(), 1, 256);
        }
        if (memoryLimit < Chunk.SIZE) {
            throw new IllegalArgumentException("memoryLimit: " + memoryLimit
                    + " bytes is below one chunk; valid: at least " + Chunk.SIZE + " (2 MiB)");
        }
    }

    /** Whether {@code bytes} is a valid {@link #midMax}: a power of two from 32 to 256 KiB. */
    public static boolean validMidMax(long bytes) {
        return bytes >= MID_MAX_DEFAULT && bytes <= MID_MAX_LIMIT && Long.bitCount(bytes) == 1;
    }

    private static void requireRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": " + value + " is out of range; valid: " + min + " to " + max);
        }
    }

    /** Slots of the HeapV2 magazine of tiny class {@code cls} (an index into {@link #tinyClasses}). */
    public int heapV2SlotsOf(int cls) {
        return heapV2ClassSlots.getOrDefault(tinyClasses.get(cls), heapV2Slots);
    }

    /** hakmem's defaults: every layer on, classes 8 … 1024 B in powers of two, no statistics, no limit. */
    public static HakConfig defaults() {
        return new HakConfig(List.of(8, 16, 32, 64, 128, 256, 512, 1024),
                true, List.of(16, 32), 4,
                true, 0xF, false, 16, Map.of(),
                MID_MAX_DEFAULT, 2048, Set.of(), false, false, false, Long.MAX_VALUE, 1, null);
    }

    /** {@link #defaults()} with the {@code HAKMEM_*} variables of this process applied. */
    public static HakConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** {@link #defaults()} with the {@code HAKMEM_*} entries of {@code env} applied; other keys are ignored. */
    public static HakConfig fromEnvironment(Map<String, String> env) {
        Builder b = defaults().toBuilder();
        String v;
        if ((v = env.get("HAKMEM_TINY_CLASSES")) != null) b.tinyClasses(parseSizes("HAKMEM_TINY_CLASSES", v));
        if ((v = env.get("HAKMEM_TINY_ULTRA_HOT")) != null) b.ultraHot(parseFlag("HAKMEM_TINY_ULTRA_HOT", v));
        if ((v = env.get("HAKMEM_TINY_ULTRA_HOT_CLASSES")) != null) {
            b.ultraHotSizes(parseSizes("HAKMEM_TINY_ULTRA_HOT_CLASSES", v));
        }
        if ((v = env.get("HAKMEM_TINY_HEAP_V2")) != null) b.heapV2(parseFlag("HAKMEM_TINY_HEAP_V2", v));
        if ((v = env.get("HAKMEM_TINY_HEAP_V2_CLASS_MASK")) != null) {
            b.heapV2ClassMask((int) parseNumber("HAKMEM_TINY_HEAP_V2_CLASS_MASK", v, 0, 0x7FFF_FFFFL));
        }
        if ((v = env.get("HAKMEM_TINY_HEAP_V2_LEFTOVER_MODE")) != null) {
            b.heapV2Leftover(parseFlag("HAKMEM_TINY_HEAP_V2_LEFTOVER_MODE", v));
        }
        if ((v = env.get("HAKMEM_MID_MAX")) != null) b.midMax(midMax("HAKMEM_MID_MAX", v));
        if ((v = env.get("HAKMEM_TINY_SLL_DRAIN_INTERVAL")) != null) {
            b.drainInterval((int) parseNumber("HAKMEM_TINY_SLL_DRAIN_INTERVAL", v, 1, 1 << 20));
        }
        if ((v = env.get("HAKMEM_EXTERNAL_GUARD_MINCORE")) != null) b.guardMincore(parseFlag("HAKMEM_EXTERNAL_GUARD_MINCORE", v));
        if ((v = env.get("HAKMEM_EXTERNAL_GUARD_LOG")) != null) b.guardLog(parseFlag("HAKMEM_EXTERNAL_GUARD_LOG", v));
        if ((v = env.get("HAKMEM_EXTERNAL_GUARD_SEAL")) != null) b.guardSeal(parseFlag("HAKMEM_EXTERNAL_GUARD_SEAL", v));
        if ((v = env.get("HAKMEM_MEMORY_LIMIT")) != null) b.memoryLimit(parseBytes("HAKMEM_MEMORY_LIMIT", v));
        if ((v = env.get("HAKMEM_TRACE")) != null) b.trace(parsePath("HAKMEM_TRACE", v));

        EnumSet<Layer> stats = EnumSet.noneOf(Layer.class);
        if (flag(env, "HAKMEM_STATS")) stats.addAll(EnumSet.allOf(Layer.class));
        if (flag(env, "HAKMEM_TINY_ULTRA_HOT_STATS")) stats.add(Layer.ULTRA_HOT);
        if (flag(env, "HAKMEM_TINY_HEAP_V2_STATS")) stats.add(Layer.HEAP_V2);
        if (flag(env, "HAKMEM_TINY_SLL_STATS")) stats.addAll(List.of(Layer.THREAD_LIST, Layer.MID));
        if (flag(env, "HAKMEM_EXTERNAL_GUARD_STATS")) stats.add(Layer.GUARD);
        return b.stats(stats).build();
    }

    private static boolean flag(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && parseFlag(name, v);
    }

    private static boolean parseFlag(String name, String value) {
        return switch (value.trim()) {
            case "0" -> false;
            case "1" -> true;
            default -> throw new IllegalArgumentException(name + "=" + value + " is not a flag; valid: 0 or 1");
        };
    }

    private static long parseNumber(String name, String value, long min, long max) {
        String v = value.trim();
        long n;
        try {
            n = v.startsWith("0x") || v.startsWith("0X") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a number; valid: " + min + " to " + max);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + "=" + value + " is out of range; valid: " + min + " to " + max);
        }
        return n;
    }

    private static long parseBytes(String name, String value) {
        String v = value.trim().toUpperCase(java.util.Locale.ROOT);
        long unit = 1;
        if (v.endsWith("K")) unit = 1L << 10;
        else if (v.endsWith("M")) unit = 1L << 20;
        else if (v.endsWith("G")) unit = 1L << 30;
        if (unit != 1) v = v.substring(0, v.length() - 1);
        try {
            return parseNumber(name, v, 1, Long.MAX_VALUE / unit) * unit;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a byte count; valid: a whole number of "
                    + "bytes from 1, with an optional K, M or G suffix");
        }
    }

    private static int midMax(String name, String value) {
        long n;
        try {
            n = parseBytes(name, value);
        } catch (IllegalArgumentException e) {
            n = 0;
        }
        if (!validMidMax(n)) {
            throw new IllegalArgumentException(name + "=" + value + " is invalid; valid: 32K, 64K, 128K or 256K");
        }
        return (int) n;
    }

    private static Path parsePath(String name, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is empty; valid: a file to write, e.g. /tmp/app.mtrace.gz");
        }
        try {
            return Path.of(value.trim());
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a valid path (" + e.getReason()
                    + "); valid: a file to write, e.g. /tmp/app.mtrace.gz");
        }
    }

    private static List<Integer> parseSizes(String name, String value) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            try {
                sizes.add((int) parseNumber(name, part, 1, TINY_MAX));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + "=" + value + ": '" + part.trim() + "' is not a size; valid: sizes "
                        + "in bytes from 1 to " + TINY_MAX + " separated by commas, e.g. 8,16,32,64");
            }
        }
        return sizes;
    }

    /** A builder holding this configuration's values, to change several at once. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A copy that caps the bytes mapped from the OS (chunks and large mappings) at {@code bytes}. */
    public HakConfig withMemoryLimit(long bytes) {
        return toBuilder().memoryLimit(bytes).build();
    }

    /** Every layer's counters on. */
    public HakConfig withAllStats() {
        return toBuilder().stats(EnumSet.allOf(Layer.class)).build();
    }

    /** Mutable twin of {@link HakConfig}; {@link #build()} validates. */
    public static final class Builder {
        private List<Integer> tinyClasses;
        private boolean ultraHot;
        private List<Integer> ultraHotSizes;
        private int ultraHotSlots;
        private boolean heapV2;
        private int heapV2ClassMask;
        private boolean heapV2Leftover;
        private int heapV2Slots;
        private Map<Integer, Integer> heapV2ClassSlots;
        private int midMax;
        private int drainInterval;
        private Set<Layer> stats;
        private boolean guardMincore;
        private boolean guardLog;
        private boolean guardSeal;
        private long memoryLimit;
        private int chunkReserve;
        private Path trace;

        private Builder(HakConfig c) {
            tinyClasses = c.tinyClasses;
            ultraHot = c.ultraHot;
            ultraHotSizes = c.ultraHotSizes;
            ultraHotSlots = c.ultraHotSlots;
            heapV2 = c.heapV2;
            heapV2ClassMask = c.heapV2ClassMask;
            heapV2Leftover = c.heapV2Leftover;
            heapV2Slots = c.heapV2Slots;
            heapV2ClassSlots = c.heapV2ClassSlots;
            midMax = c.midMax;
            drainInterval = c.drainInterval;
            stats = c.stats;
            guardMincore = c.guardMincore;
            guardLog = c.guardLog;
            guardSeal = c.guardSeal;
            memoryLimit = c.memoryLimit;
            chunkReserve = c.chunkReserve;
            trace = c.trace;
        }

        /** Also clears HeapV2 mask bits and class slots of classes the new table does not have. */
        public Builder tinyClasses(List<Integer> sizes) {
            tinyClasses = sizes;
            heapV2ClassMask &= (int) ((1L << Math.min(sizes.size(), 31)) - 1);
            Map<Integer, Integer> kept = new java.util.HashMap<>(heapV2ClassSlots);
            kept.keySet().retainAll(sizes);
            heapV2ClassSlots = kept;
            return this;
        }

        public Builder ultraHot(boolean on) { ultraHot = on; return this; }
        public Builder ultraHotSizes(List<Integer> sizes) { ultraHotSizes = sizes; return this; }
        public Builder ultraHotSlots(int slots) { ultraHotSlots = slots; return this; }
        public Builder heapV2(boolean on) { heapV2 = on; return this; }
        public Builder heapV2ClassMask(int mask) { heapV2ClassMask = mask; return this; }
        public Builder heapV2Leftover(boolean leftover) { heapV2Leftover = leftover; return this; }
        public Builder heapV2Slots(int slots) { heapV2Slots = slots; return this; }
        /** Slots of the HeapV2 magazines of some classes, by class size; the others keep {@link #heapV2Slots}. */
        public Builder heapV2ClassSlots(Map<Integer, Integer> slotsBySize) { heapV2ClassSlots = slotsBySize; return this; }
        /** The largest request the mid classes serve (32, 64, 128 or 256 KiB). */
        public Builder midMax(int bytes) { midMax = bytes; return this; }
        public Builder drainInterval(int frees) { drainInterval = frees; return this; }
        public Builder stats(Set<Layer> layers) { stats = layers; return this; }
        public Builder guardMincore(boolean on) { guardMincore = on; return this; }
        public Builder guardLog(boolean on) { guardLog = on; return this; }
        /** Whether the guard seals cached blocks instead of writing their state bytes ({@link HakConfig#guardSeal}). */
        public Builder guardSeal(boolean on) { guardSeal = on; return this; }
        public Builder memoryLimit(long bytes) { memoryLimit = bytes; return this; }
        public Builder chunkReserve(int chunks) { chunkReserve = chunks; return this; }
        /** Where the generic build records its operations, or null for nowhere. */
        public Builder trace(Path file) { trace = file; return this; }

        public HakConfig build() {
            return new HakConfig(tinyClasses, ultraHot, ultraHotSizes, ultraHotSlots, heapV2, heapV2ClassMask,
                    heapV2Leftover, heapV2Slots, heapV2ClassSlots, midMax, drainInterval, stats, guardMincore, guardLog, guardSeal, memoryLimit,
                    chunkReserve, trace);
        }
    }
}
