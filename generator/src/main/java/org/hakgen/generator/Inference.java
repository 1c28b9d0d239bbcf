package org.hakgen.generator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.hakgen.runtime.HakConfig;

/**
 * A profile inferred from an allocation trace ({@code hakgen infer}):
 * <ol>
 *   <li><b>Classes</b>: the tiny class table, at most {@code budget} classes, that minimizes internal
 *       waste (bytes handed out minus bytes requested, summed over every request up to 1 KiB) for the
 *       trace's request sizes. Classes are multiples of 8, so every request of one 8-byte granule
 *       lands in the same class and the problem is an optimal partition of the 128 granules, solved
 *       exactly by dynamic programming over (classes used, last class); requests above the last class
 *       pay the mid class they fall into. Ties go to the table that leaves fewer requests to the mid
 *       classes, then to fewer classes, then to smaller ones: the result is deterministic.</li>
 *   <li><b>Mix</b>: each class's share of all requests (a realloc to a new size is a request), and the
 *       shares of mid (1 KiB–32 KiB) and large requests.</li>
 *   <li><b>Magazines</b>: a second pass replays each thread's frees and mallocs of each class against
 *       LIFO magazines of 1 to 256 slots and counts the mallocs a magazine would serve (a block freed
 *       and taken again while it is still in the magazine). A class's magazine size is the smallest
 *       that serves {@value #REUSE_KEPT} of what 256 slots would.</li>
 *   <li><b>Layers</b>: HeapV2 for the classes with at least {@value #HEAP_V2_SHARE} of requests whose
 *       reuse (mallocs served by a 256-slot magazine) is at least {@value #REUSE_PAYS}, hottest first,
 *       at most {@value #HEAP_V2_CLASSES}; UltraHot for the two hottest of those when together they have
 *       {@value #ULTRA_HOT_PAIR} of requests, or the hottest alone at {@value #ULTRA_HOT_SINGLE} (the
 *       planner's earlier rule, below). A class whose blocks do not come back soon gains nothing from a
 *       magazine.</li>
 *   <li><b>Predictability</b>: the same pass guesses each malloc's class from the {@value Predictor#CONTEXT}
 *       before it in its thread ({@link Predictor}); the planner picks named bodies or the size table by it.</li>
 * </ol>
 */
public final class Inference {
    static final double REUSE_KEPT = 0.95;
    static final double REUSE_PAYS = 0.5;
    static final double HEAP_V2_SHARE = Planner.HEAP_V2_SHARE;
    /**
     * UltraHot for the two hottest reusing classes at this share together, or the hottest alone at
     * {@link #ULTRA_HOT_SINGLE}: the planner's rule before it was measured to cost on a uniform mix and
     * raised to {@link Planner#DOMINANT} (issue 4). The trace profiles are inferred with these until the
     * replays are measured under the planner's rule.
     */
    static final double ULTRA_HOT_PAIR = 0.30, ULTRA_HOT_SINGLE = 0.25;
    static final int HEAP_V2_CLASSES = Planner.HEAP_V2_CLASSES;
    /** Magazine sizes tried: 1, 2, 4 … 256. */
    static final int[] SLOTS = {1, 2, 4, 8, 16, 32, 64, 128, 256};
    /** Granules of 8 bytes up to {@link HakConfig#TINY_MAX}. */
    static final int GRANULES = HakConfig.TINY_MAX / 8;
    static final int MID_MAX = HakConfig.MID_MAX_DEFAULT;
    /** The mid pool is raised above 32 KiB when at least this share of requests is above it ... */
    static final double MID_RAISE_SHARE = 0.01;
    /** ... to the least of 64, 128 and 256 KiB that holds this share of those requests. */
    static final double MID_COVER = 0.90;
    /** The mid maxima tried above 32 KiB. */
    static final int[] MID_MAXIMA = {64 * 1024, 128 * 1024, HakConfig.MID_MAX_LIMIT};

    /** hakmem's table, the generic build's: what the inferred one is compared with. */
    public static final List<Integer> DEFAULT_CLASSES = HakConfig.defaults().tinyClasses();

    private Inference() {
    }

    /**
     * Request sizes of a trace, by 8-byte granule up to 1 KiB.
     *
     * @param count     {@code count[g]}: requests of {@code 8(g-1)+1 … 8g} bytes (0-byte requests in granule 1)
     * @param bytes     {@code bytes[g]}: their requested bytes
     * @param mid       requests of 1 KiB + 1 … 32 KiB
     * @param large     requests above 32 KiB
     */
    public record Histogram(long[] count, long[] bytes, long mid, long large) {
        /** Every request. */
        public long total() {
            return Arrays.stream(count).sum() + mid + large;
        }

        /** Requests up to 1 KiB. */
        public long tiny() {
            return Arrays.stream(count).sum();
        }
    }

    /** What one class of the inferred table sees in the trace. */
    public record ClassReport(int size, long requests, double share, double reuse, int slots) {
    }

    /**
     * The inferred profile.
     *
     * @param classes      the table, ascending
     * @param waste        its internal waste over the trace's requests up to 1 KiB, in bytes
     * @param defaultWaste the waste of {@link #DEFAULT_CLASSES} over the same requests
     * @param yaml         the profile, commented, ready to write
     * @param summary      what the reader saw: events, and what it skipped
     */
    public record Result(List<Integer> classes, long waste, long defaultWaste, List<ClassReport> perClass,
                         Histogram histogram, double predictability, double crossThreadFrees, String yaml,
                         TraceReader.Summary summary) {
    }

    /**
     * Infers profile {@code name} from {@code trace} with at most {@code budget} tiny classes.
     *
     * @param workloadFile what the profile's workload names: the trace as the bench will find it
     */
    public static Result infer(Path trace, String name, int budget, String workloadFile) throws IOException {
        return infer(trace, name, budget, workloadFile, "profiles/" + name + ".yaml");
    }

    /**
     * Infers profile {@code name} from {@code trace}, its comments naming {@code output} as where
     * {@code hakgen infer} writes it.
     */
    public static Result infer(Path trace, String name, int budget, String workloadFile, String output) throws IOException {
        if (budget < 1 || budget > 31) {
            throw new IllegalArgumentException("--classes " + budget + " is not valid; valid: 1 to 31 tiny classes");
        }
        Sizes sizes = new Sizes();
        TraceReader.Summary summary = TraceReader.read(trace, sizes);
        Histogram h = sizes.histogram();
        if (h.total() == 0) {
            throw new IllegalArgumentException(trace + " has no allocations (" + summary.describe(trace.toString())
                    + "); valid: a trace with at least one '+' event");
        }
        List<Integer> classes = optimalClasses(h, budget);
        Reuse reuse = new Reuse(classes);
        TraceReader.read(trace, reuse);
        List<ClassReport> per = reuse.report(h);
        double predictability = reuse.predictor.predictability();
        String yaml = Yaml.write(name, trace, workloadFile, output, summary, sizes, h, classes, budget, per, predictability);
        return new Result(classes, waste(h, classes), waste(h, DEFAULT_CLASSES), per, h, predictability,
                sizes.crossThreadFrees(), yaml, summary);
    }

    // ---- The class table ------------------------------------------------------------------------

    /**
     * The table of at most {@code budget} classes with the least waste for {@code h}; ties to the one
     * that leaves fewer requests to the mid classes, then to fewer classes, then to the smallest.
     */
    public static List<Integer> optimalClasses(Histogram h, int budget) {
        long[] n = new long[GRANULES + 1];   // n[g]: requests in granules 1..g
        for (int g = 1; g <= GRANULES; g++) {
            n[g] = n[g - 1] + h.count()[g];
        }
        long[] tail = new long[GRANULES + 1];   // tail[j]: bytes handed out above a last class of granule j
        for (int j = 1; j <= GRANULES; j++) {
            for (int g = j + 1; g <= GRANULES; g++) {
                tail[j] += h.count()[g] * midClass(8L * g, 8 * j);
            }
        }
        long inf = Long.MAX_VALUE / 4;
        long[][] best = new long[budget + 1][GRANULES + 1];   // handed-out bytes of granules 1..j, k classes, last at j
        int[][] from = new int[budget + 1][GRANULES + 1];
        for (long[] row : best) {
            Arrays.fill(row, inf);
        }
        for (int j = 1; j <= GRANULES; j++) {
            best[1][j] = n[j] * 8 * j;
        }
        for (int k = 2; k <= budget; k++) {
            for (int j = k; j <= GRANULES; j++) {
                for (int i = k - 1; i < j; i++) {
                    long c = best[k - 1][i] + (n[j] - n[i]) * 8 * j;
                    if (c < best[k][j]) {
                        best[k][j] = c;
                        from[k][j] = i;
                    }
                }
            }
        }
        long bestCost = inf;
        int bestK = 0, bestJ = 0;
        for (int k = 1; k <= budget; k++) {
            for (int j = k; j <= GRANULES; j++) {
                long c = best[k][j] + tail[j];
                // Equal waste: fewer requests left to the mid classes (their slabs are 8 times larger), then fewer classes.
                if (c < bestCost || c == bestCost && n[j] > n[bestJ]) {
                    bestCost = c;
                    bestK = k;
                    bestJ = j;
                }
            }
        }
        List<Integer> table = new ArrayList<>();
        for (int k = bestK, j = bestJ; k >= 1; j = from[k][j], k--) {
            table.add(0, 8 * j);
        }
        return List.copyOf(table);
    }

    /** Bytes handed out minus bytes requested for the requests of {@code h} up to 1 KiB under {@code table}. */
    public static long waste(Histogram h, List<Integer> table) {
        long handed = 0, requested = 0;
        int last = table.getLast();
        for (int g = 1; g <= GRANULES; g++) {
            long size = 8L * g;
            long cls = size <= last ? table.stream().filter(c -> c >= size).findFirst().orElseThrow() : midClass(size, last);
            handed += h.count()[g] * cls;
            requested += h.bytes()[g];
        }
        return handed - requested;
    }

    /** The runtime's mid class of {@code size} above a tiny table ending at {@code tinyMax} (quarter steps). */
    static long midClass(long size, int tinyMax) {
        for (int base = 512; base < MID_MAX; base <<= 1) {
            for (int quarter = 1; quarter <= 4; quarter++) {
                int s = base + base / 4 * quarter;
                if (s > tinyMax && s >= size) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException(size + " B is above the mid classes");
    }

    /** Index of the class of {@code size} in {@code table}, or -1 above it. */
    static int classOf(List<Integer> table, long size) {
        for (int c = 0; c < table.size(); c++) {
            if (size <= table.get(c)) {
                return c;
            }
        }
        return -1;
    }

    // ---- Pass 1: sizes --------------------------------------------------------------------------

    /** The request-size histogram, and what the header comments say about the trace. */
    static final class Sizes implements TraceReader.Sink {
        final long[] count = new long[GRANULES + 1];
        final long[] bytes = new long[GRANULES + 1];
        long mid, large, live, peak, cross, frees;
        /** {@code largeUpTo[i]}: requests above 32 KiB up to {@code MID_MAXIMA[i]}. */
        final long[] largeUpTo = new long[MID_MAXIMA.length];
        final Map<Long, long[]> blocks = new HashMap<>();   // address -> {size, thread}
        final Set<Long> threads = new HashSet<>();

        void request(long size) {
            if (size <= HakConfig.TINY_MAX) {
                int g = (int) Math.max(1, (size + 7) / 8);
                count[g]++;
                bytes[g] += size;
            } else if (size <= MID_MAX) {
                mid++;
            } else {
                large++;
                for (int i = 0; i < MID_MAXIMA.length; i++) {
                    largeUpTo[i] += size <= MID_MAXIMA[i] ? 1 : 0;
                }
            }
        }

        @Override
        public void alloc(long thread, long address, long size, TraceReader.Kind kind, long alignment) {
            threads.add(thread);
            if (address == 0) {
                return;
            }
            request(size);
            long[] old = blocks.put(address, new long[] {size, thread});
            live += size - (old == null ? 0 : old[0]);
            peak = Math.max(peak, live);
        }

        @Override
        public void free(long thread, long address, TraceReader.Kind kind) {
            threads.add(thread);
            release(thread, address);
        }

        /** {@code thread} frees the block at {@code address}, if it is live: one free, across threads or not. */
        private void release(long thread, long address) {
            long[] b = blocks.remove(address);
            if (b != null) {
                live -= b[0];
                frees++;
                cross += b[1] != thread ? 1 : 0;
            }
        }

        @Override
        public void realloc(long thread, long oldAddress, long newAddress, long size) {
            threads.add(thread);
            request(size);
            release(thread, oldAddress);   // by the calling thread, as the runtime's realloc does
            blocks.put(newAddress, new long[] {size, thread});
            live += size;
            peak = Math.max(peak, live);
        }

        Histogram histogram() {
            return new Histogram(count.clone(), bytes.clone(), mid, large);
        }

        /** The share of frees (realloc's of the old block included) made by a thread other than the allocating one. */
        double crossThreadFrees() {
            return frees == 0 ? 0 : (double) cross / frees;
        }
    }

    // ---- Pass 2: reuse --------------------------------------------------------------------------

    /** Each thread's magazines of every tried size, per class, fed the trace's mallocs and frees. */
    static final class Reuse implements TraceReader.Sink {
        final List<Integer> table;
        final Map<Long, int[]> depth = new HashMap<>();   // thread -> [class * SLOTS.length + m]
        final Map<Long, Integer> classOfBlock = new HashMap<>();
        /** Mallocs of each class this pass saw (a realloc within its class keeps its block and is none). */
        final long[] requests;
        final long[][] served;
        final Predictor predictor;

        Reuse(List<Integer> table) {
            this.table = table;
            requests = new long[table.size()];
            served = new long[table.size()][SLOTS.length];
            predictor = new Predictor(table.size() + 2);
        }

        /**
         * The class of a malloc of {@code size} as the dispatch sees it: its tiny class {@code c}, else mid,
         * else large.
         */
        int dispatchClass(int c, long size) {
            return c >= 0 ? c : size <= MID_MAX ? table.size() : table.size() + 1;
        }

        int[] magazines(long thread) {
            return depth.computeIfAbsent(thread, t -> new int[table.size() * SLOTS.length]);
        }

        void take(long thread, int c) {
            requests[c]++;
            int[] d = magazines(thread);
            for (int m = 0; m < SLOTS.length; m++) {
                int i = c * SLOTS.length + m;
                if (d[i] > 0) {
                    d[i]--;
                    served[c][m]++;
                }
            }
        }

        void give(long thread, int c) {
            int[] d = magazines(thread);
            for (int m = 0; m < SLOTS.length; m++) {
                int i = c * SLOTS.length + m;
                if (d[i] < SLOTS[m]) {
                    d[i]++;
                }
            }
        }

        @Override
        public void alloc(long thread, long address, long size, TraceReader.Kind kind, long alignment) {
            if (address == 0) {
                return;
            }
            int c = classOf(table, size);
            predictor.next(thread, dispatchClass(c, size));
            if (c >= 0) {
                take(thread, c);
                classOfBlock.put(address, c);
            }
        }

        @Override
        public void free(long thread, long address, TraceReader.Kind kind) {
            Integer c = classOfBlock.remove(address);
            if (c != null) {
                give(thread, c);
            }
        }

        @Override
        public void realloc(long thread, long oldAddress, long newAddress, long size) {
            Integer old = classOfBlock.remove(oldAddress);
            int c = classOf(table, size);
            if (old != null && old == c) {
                classOfBlock.put(newAddress, c);   // the same class: the runtime keeps the block
                return;
            }
            if (old != null) {
                give(thread, old);
            }
            predictor.next(thread, dispatchClass(c, size));
            if (c >= 0) {
                take(thread, c);
                classOfBlock.put(newAddress, c);
            }
        }

        /** Per class: its requests and share from the histogram, its reuse and magazine size from this pass. */
        List<ClassReport> report(Histogram h) {
            long total = h.total();
            long[] inClass = new long[table.size()];
            for (int g = 1; g <= GRANULES; g++) {
                int c = classOf(table, 8L * g);
                if (c >= 0) {
                    inClass[c] += h.count()[g];
                }
            }
            List<ClassReport> out = new ArrayList<>();
            for (int c = 0; c < table.size(); c++) {
                long most = served[c][SLOTS.length - 1];
                int slots = SLOTS[SLOTS.length - 1];
                for (int m = 0; m < SLOTS.length; m++) {
                    if (served[c][m] >= REUSE_KEPT * most) {
                        slots = SLOTS[m];
                        break;
                    }
                }
                out.add(new ClassReport(table.get(c), inClass[c], total == 0 ? 0 : (double) inClass[c] / total,
                        requests[c] == 0 ? 0 : (double) most / requests[c], slots));
            }
            return out;
        }
    }

    /**
     * How predictable each thread's sequence of malloc classes is: before each malloc it guesses the class
     * that most often followed the same {@value #CONTEXT} classes in that thread so far (none the first
     * time a context is seen), and counts the guesses that were right. A sequence drawn independently
     * from a mix scores the largest share of the mix; a loop over a fixed pattern scores near 1. It
     * stands for what the branch predictor makes of the size dispatch: whether named bodies, one size
     * test per hot class, would be predicted (the {@link Planner}'s choice).
     */
    static final class Predictor {
        static final int CONTEXT = 8;
        private final int kinds;
        private final Map<Long, long[]> history = new HashMap<>();   // thread -> {context}
        private final Map<Long, Map<Long, int[]>> followers = new HashMap<>();   // thread -> context -> counts
        long guesses, right;

        Predictor(int kinds) {
            if (kinds > 63) {
                throw new IllegalArgumentException(kinds + " kinds of malloc; valid: at most 63, 6 bits each");
            }
            this.kinds = kinds;
        }

        void next(long thread, int kind) {
            long[] context = history.computeIfAbsent(thread, t -> new long[1]);
            int[] counts = followers.computeIfAbsent(thread, t -> new HashMap<>())
                    .computeIfAbsent(context[0], x -> new int[kinds]);
            int guess = 0;
            for (int k = 1; k < kinds; k++) {
                guess = counts[k] > counts[guess] ? k : guess;
            }
            guesses++;
            right += counts[guess] > 0 && guess == kind ? 1 : 0;
            counts[kind]++;
            context[0] = (context[0] << 6 | kind + 1) & (1L << 6 * CONTEXT) - 1;
        }

        /** The share of guesses that were right; 1 for no mallocs. */
        double predictability() {
            return guesses == 0 ? 1 : (double) right / guesses;
        }
    }

    // ---- The YAML ------------------------------------------------------------------------------

    /** The profile as text, each choice explained in a comment; read back by {@link ProfileReader} before it is written. */
    static final class Yaml {
        private Yaml() {
        }

        static String write(String name, Path trace, String workloadFile, String output, TraceReader.Summary summary, Sizes s,
                            Histogram h, List<Integer> classes, int budget, List<ClassReport> per, double predictability) {
            StringBuilder y = new StringBuilder();
            long total = h.total();
            long waste = waste(h, classes), defaultWaste = waste(h, DEFAULT_CLASSES);
            line(y, "# Inferred by `hakgen infer` from %s: %,d events, %d thread(s), %,d requests, peak live %,d B,",
                    trace.getFileName(), summary.events(), s.threads.size(), total, s.peak);
            line(y, "# %,d of %,d frees by a thread other than the allocating one.%s", s.cross, s.frees,
                    summary.skipped() == 0 ? "" : " " + summary.skippedWhy() + ".");
            line(y, "# Regenerate: ./hakgen infer --trace %s --classes %d -o %s",
                    workloadFile.startsWith("/") ? workloadFile : "../shared/traces/" + workloadFile, budget, output);
            line(y, "name: %s", name);
            line(y, "description: inferred from the trace %s (%,d requests, %d thread(s))", trace.getFileName(), total,
                    s.threads.size());
            line(y, "# classes: the table of at most %d classes with the least internal waste for this trace's requests", budget);
            line(y, "# up to 1 KiB, found exactly by dynamic programming over the 128 sizes of 8 bytes: %,d B of waste", waste);
            line(y, "# against %,d B with hakmem's table %s (%s). share: each class's part of all requests.", defaultWaste,
                    DEFAULT_CLASSES, defaultWaste == 0 ? "no waste either" : String.format(Locale.ROOT, "%.1f%% less",
                            100.0 * (defaultWaste - waste) / defaultWaste));
            line(y, "# reuse: mallocs a 256-slot LIFO magazine per thread would serve from blocks freed before; slots:");
            line(y, "# the smallest magazine that serves %.0f%% of that.", REUSE_KEPT * 100);
            line(y, "classes:");
            int width = String.valueOf(classes.getLast()).length();
            for (ClassReport c : per) {
                line(y, "  - { size: %" + width + "d, share: %.6f }   # %,d requests, reuse %.0f%%, slots %d", c.size(),
                        c.share(), c.requests(), 100 * c.reuse(), c.slots());
            }
            // Requests between the last class and 1 KiB go to mid classes: they count in mid's share.
            long tinyRequests = per.stream().mapToLong(ClassReport::requests).sum();
            double large = total == 0 ? 0 : (double) h.large() / total;
            double mid = total == 0 ? 0 : (double) (total - tinyRequests - h.large()) / total;
            int raised = raisedMidMax(s, total);
            int midMax = raised < 0 ? MID_MAX : MID_MAXIMA[raised];
            line(y, "mid: %.6f     # requests above %d B up to 32 KiB: the runtime's mid classes", mid, classes.getLast());
            line(y, "large: %.6f   # requests above 32 KiB: %s", large, midMax == MID_MAX ? "a mapping each"
                    : "up to " + midMax / 1024 + " KiB from mid classes (layers.mid), above it a mapping each");
            layers(y, per);
            midLayer(y, s, total, raised);
            line(y, "# predictability: the share of mallocs whose class is the one that most often followed the same %d",
                    Predictor.CONTEXT);
            line(y, "# classes before it in its thread so far; under %.0f%% the planner serves every class through the size",
                    100 * Planner.PREDICTABLE);
            line(y, "# table, at least that the hottest get a body of their own.");
            line(y, "predictability: %.6f", predictability);
            line(y, "# crossThreadFrees: the share of frees made by a thread other than the block's allocating one (a");
            line(y, "# realloc frees its old block); from %.0f%% the guard seals cached blocks instead of writing the state", 100 * Planner.SEAL_CROSS);
            line(y, "# bytes that other threads' blocks share cache lines with.");
            line(y, "crossThreadFrees: %.6f", s.crossThreadFrees());
            line(y, "workload: { kind: trace, file: %s }   # hakgen --profile %s replays the trace itself", workloadFile, name);
            return y.toString();
        }

        static void layers(StringBuilder y, List<ClassReport> per) {
            List<ClassReport> paying = new ArrayList<>();
            for (ClassReport c : per) {
                if (c.share() >= HEAP_V2_SHARE && c.reuse() >= REUSE_PAYS) {
                    paying.add(c);
                }
            }
            paying.sort(Comparator.comparingDouble((ClassReport c) -> -c.share()).thenComparingInt(ClassReport::size));
            List<ClassReport> heap = paying.subList(0, Math.min(HEAP_V2_CLASSES, paying.size()));
            line(y, "layers:");
            if (heap.isEmpty()) {
                line(y, "  # No class has %.0f%% of requests with reuse of at least %.0f%%: no magazine would pay.",
                        HEAP_V2_SHARE * 100, REUSE_PAYS * 100);
                line(y, "  ultraHot: { enabled: false }");
                line(y, "  heapV2:   { enabled: false }");
                return;
            }
            List<ClassReport> ultra = new ArrayList<>();
            ClassReport a = heap.get(0), b = heap.size() > 1 ? heap.get(1) : null;
            if (b != null && a.share() >= Planner.ULTRA_HOT_EACH && b.share() >= Planner.ULTRA_HOT_EACH
                    && a.share() + b.share() >= ULTRA_HOT_PAIR) {
                ultra.add(a);
                ultra.add(b);
            } else if (a.share() >= ULTRA_HOT_SINGLE) {
                ultra.add(a);
            }
            ultra.sort(Comparator.comparingInt(ClassReport::size));
            if (ultra.isEmpty()) {
                line(y, "  # UltraHot: no class or pair dominates (the hottest reusing class has %.1f%%).", 100 * a.share());
                line(y, "  ultraHot: { enabled: false }");
            } else {
                line(y, "  # UltraHot: %s dominate%s (%.1f%% of requests) and are reused: a 4-slot L0 in front of HeapV2,",
                        sizes(ultra), ultra.size() == 1 ? "s" : "", 100 * ultra.stream().mapToDouble(ClassReport::share).sum());
                line(y, "  # both magazines in one cache line (hakmem's size).");
                line(y, "  ultraHot: { enabled: true, classes: %s, slots: 4 }", sizes(ultra));
            }
            List<ClassReport> bySize = heap.stream().sorted(Comparator.comparingInt(ClassReport::size)).toList();
            List<String> classSlots = new ArrayList<>();
            for (ClassReport c : bySize) {
                // An UltraHot class has UltraHot's 4 slots in front of its HeapV2 magazine.
                classSlots.add(c.size() + ": " + (ultra.contains(c) ? Math.max(1, c.slots() - 4) : c.slots()));
            }
            line(y, "  # HeapV2: the classes with at least %.0f%% of requests and reuse of at least %.0f%%, hottest first,",
                    HEAP_V2_SHARE * 100, REUSE_PAYS * 100);
            line(y, "  # at most %d; classSlots: each class's magazine, the slots its reuse needs (less UltraHot's 4 in front).",
                    HEAP_V2_CLASSES);
            line(y, "  heapV2:   { enabled: true, classes: %s, classSlots: {%s} }", sizes(bySize), String.join(", ", classSlots));
        }

        /**
         * The index in {@link #MID_MAXIMA} of the mid pool's maximum, raised above 32 KiB where requests
         * above it are common (see {@link #MID_RAISE_SHARE}); -1 to keep hakmem's 32 KiB.
         */
        static int raisedMidMax(Sizes s, long total) {
            if (total == 0 || (double) s.large / total < MID_RAISE_SHARE) {
                return -1;
            }
            for (int i = 0; i < MID_MAXIMA.length; i++) {
                if (s.largeUpTo[i] >= MID_COVER * s.large) {
                    return i;
                }
            }
            return -1;
        }

        static void midLayer(StringBuilder y, Sizes s, long total, int raised) {
            double share = total == 0 ? 0 : (double) s.large / total;
            if (raised < 0) {
                line(y, "  # mid: %.2f%% of requests are above 32 KiB, under the %.0f%% where serving them from slabs would pay;",
                        100 * share, 100 * MID_RAISE_SHARE);
                line(y, "  # they stay mappings (hakmem's 32 KiB).");
                return;
            }
            int midMax = MID_MAXIMA[raised];
            line(y, "  # mid: %.2f%% of requests (%,d) are above 32 KiB, at least %.0f%%: the least maximum of 64, 128 and",
                    100 * share, s.large, 100 * MID_RAISE_SHARE);
            line(y, "  # 256 KiB that holds %.0f%% of them, %d KiB (%.0f%%), serves them from slabs through the thread's caches",
                    100 * MID_COVER, midMax / 1024, 100.0 * s.largeUpTo[raised] / s.large);
            line(y, "  # instead of a mapping each, found under one lock.");
            line(y, "  mid:      { max: %d }", midMax);
        }

        static String sizes(List<ClassReport> cs) {
            return cs.stream().map(c -> String.valueOf(c.size())).toList().toString();
        }

        static void line(StringBuilder y, String format, Object... args) {
            y.append(String.format(Locale.ROOT, format, args)).append('\n');
        }
    }

    /** The YAML of {@code r} checked by the profile reader, as bytes to write. */
    public static byte[] validated(Result r, String display, String name) throws ProfileException {
        byte[] bytes = r.yaml().getBytes(StandardCharsets.UTF_8);
        ProfileReader.read(display, name, bytes);
        return bytes;
    }
}
