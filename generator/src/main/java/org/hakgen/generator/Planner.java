package org.hakgen.generator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import javax.lang.model.SourceVersion;

import org.hakgen.runtime.FrontEnd;
import org.hakgen.runtime.HakConfig;
import org.hakgen.runtime.HakConfig.Layer;
import org.hakgen.templates.Plan;

/**
 * From a profile to a {@link Plan}: every knob the profile leaves out is derived from its class mix and
 * how predictable its sequence of classes is,
 * deterministically, and each choice is recorded with the reason for it ({@code hakgen explain}).
 *
 * <p>The rules, from hakmem's log, PERF-NOTES and issue 4's measurements (free+malloc pairs through
 * {@code HakAllocator}, JMH, 2^20-step tables):
 * <ul>
 *   <li><b>Predictability</b> decides the shape: the share of mallocs whose class the classes before
 *       them predict. A profile inferred from a trace states it ({@link Inference.Predictor}); for any
 *       other it is the largest share of the mix, the best guess when each request is drawn independently.
 *       At least {@value #PREDICTABLE}, a size test per hot class and a magazine per layer are predicted
 *       and win; under it they mispredict and the size table wins. Measured on a 16/32 B mix drawn with
 *       16 B at p (c2c3-heavy's classes, named bodies with UltraHot and HeapV2 against the table, 2
 *       rounds): p = 0.5 20.5 against 11.9 ns, 0.8 13.7 against 11.2, 0.9 11.9 against 11.6, 1 (fixed
 *       16 B) 6.4 against 9.1.</li>
 *   <li><b>UltraHot</b> pays when one or two classes dominate a predictable sequence: it takes the two
 *       hottest classes when together they have at least {@value #DOMINANT} of allocations and each at
 *       least {@value #ULTRA_HOT_EACH}, or the hottest alone at {@value #DOMINANT}. 4 slots: both
 *       magazines in one cache line. Elsewhere it costs: which magazine has room is itself a branch the
 *       sequence decides. On random-mixed (512 and 1024 B take 75%) UltraHot with HeapV2 measured 28.5 ns
 *       against 13.6 without either in the generic build; on 16/32 B drawn independently 27.9 against
 *       15.0 (the generic build configured with and without them, two main-job runs of 3 forks).</li>
 *   <li><b>HeapV2</b> backs UltraHot: with it on, a 16-slot magazine for each class with at least
 *       {@value #HEAP_V2_SHARE} of allocations, hottest first, at most {@value #HEAP_V2_CLASSES} classes
 *       (hakmem: C0–C3). Without UltraHot a HeapV2 magazine is a spare magazine by another name.</li>
 *   <li><b>Indexed dispatch</b> when the two hottest classes take less than {@value #DOMINANT} or the
 *       sequence is unpredictable: a size table and one array of spare magazines indexed by class, with
 *       no size test per class to mispredict (random-mixed: 11.7 ns against 19.6 for a chain of size
 *       tests over the same magazines, and 16.8 for the generic build). In front of the table, the
 *       classes served by name get an inline body (below). Other classes the profile gives UltraHot or
 *       HeapV2 keep them, out of line behind a mask test on the class.</li>
 *   <li><b>Served by name</b>: the profile's UltraHot classes and, where the sequence is predictable,
 *       the classes of hakmem's default UltraHot sizes (16 and 32 B), which the generic build serves by
 *       name ahead of its table. On an unpredictable sequence their size tests are what mispredicts.</li>
 *   <li><b>Dispatch</b>: in a chain build the classes with UltraHot or HeapV2, those served by name
 *       and others with at least {@value #INLINE_SHARE}; in an indexed build those served by name. They
 *       get an inline body in malloc and free, hottest first, while the estimated size of malloc stays
 *       within HotSpot's FreqInlineSize (325 bytecode bytes): {@value #COST_FIXED} bytes for the guard
 *       and the frame, {@value #COST_INDEXED} for an indexed build's table, {@value #COST_CLASS} per
 *       class, {@value #COST_MAGAZINE} per magazine (a class without UltraHot or HeapV2 has a spare
 *       one), {@value #COST_COUNTER} per counter increment where statistics are kept (the table has
 *       three when the thread list or the mid classes keep them, each {@value #COST_WHICH_COUNTER} more
 *       to pick the layer by class). Every other tiny class is served by the table (out of line in a
 *       chain build), and so are the mid classes; large sizes go to the runtime. The bytecode test
 *       checks the estimate on every build.</li>
 *   <li><b>Drain interval</b> 2048 frees and no statistics unless the profile says otherwise.</li>
 * </ul>
 */
public final class Planner {
    static final double DOMINANT = 0.85;
    static final double PREDICTABLE = 0.90;
    /**
     * The share of frees across threads from which the guard seals cached blocks ({@code HakConfig.guardSeal}).
     * Measured on larson's build in both modes, 2 threads, cross-thread frees 0% / 5% / 12.5% / 50%: 34.4 /
     * 47.5 / 60.8 / 86.9 ns per op with state bytes, 34.0 / 43.5 / 53.5 / 80.2 sealed; on one thread
     * sealing costs 0.4–1 ns per op, and git-repack's replay (5 threads, 1.5% of frees across threads) ran
     * 2.06 ms sealed against 1.84 (5 interleaved rounds). So 5%, the least share measured where sealing pays.
     */
    static final double SEAL_CROSS = 0.05;
    static final double ULTRA_HOT_EACH = 0.10;
    static final double HEAP_V2_SHARE = 0.05;
    static final int HEAP_V2_CLASSES = 4;
    static final double INLINE_SHARE = 0.10;
    static final int BUDGET = 325;
    static final int COST_FIXED = 75;
    static final int COST_INDEXED = 50;
    static final int COST_CLASS = 42;
    static final int COST_MAGAZINE = 28;
    static final int COST_COUNTER = 12;
    static final int COST_WHICH_COUNTER = 10;
    /** Which classes every build serves by name, for {@code hakgen explain}. */
    private static final String BY_NAME = "the classes a generic build serves by name ahead of its table: the "
            + "profile's UltraHot classes and those of hakmem's default UltraHot sizes, "
            + HakConfig.defaults().ultraHotSizes().get(0) + " and " + HakConfig.defaults().ultraHotSizes().get(1) + " B";

    /** A plan and, for each decision, one line saying what was chosen and why. */
    public record Resolved(Profile profile, Plan plan, List<String> reasons) {}

    private Planner() {}

    /**
     * Plans {@code profile} for {@code packageName} (null: {@code org.hakgen.generated.NAME}).
     *
     * @param sha256  hash of the profile file, for the generated header
     * @param command the command that regenerates the build
     */
    public static Resolved plan(Profile profile, String sha256, String packageName, String command) {
        List<String> why = new ArrayList<>();
        List<Integer> sizes = profile.classes().stream().map(Profile.SizeShare::size).toList();
        List<Double> shares = profile.classes().stream().map(Profile.SizeShare::share).toList();
        List<Integer> hottest = new ArrayList<>();
        for (int c = 0; c < sizes.size(); c++) {
            hottest.add(c);
        }
        hottest.sort(Comparator.comparingDouble((Integer c) -> -shares.get(c)).thenComparingInt(c -> c));

        HakConfig.Builder config = HakConfig.defaults().toBuilder().tinyClasses(sizes);
        double predictability = profile.predictability() != null ? profile.predictability() : independent(profile);
        boolean predictable = predictable(predictability);
        why.add("classes: " + profile.classes().stream()
                .map(c -> c.size() + " B " + percent(c.share())).collect(Collectors.joining(", "))
                + (profile.mid() > 0 ? "; mid " + percent(profile.mid()) : "")
                + (profile.large() > 0 ? "; large " + percent(profile.large()) : "") + " (from the profile)");
        why.add("predictability: " + percent(predictability) + (profile.predictability() != null ? " (from the profile)"
                : " (planner: requests drawn independently, so the best guess is the commonest class)")
                + (predictable ? ", at least " + percent(PREDICTABLE) + ": predictable" : ", under " + percent(PREDICTABLE)
                + ": unpredictable"));

        // UltraHot.
        Profile.UltraHot u = profile.layers().ultraHot();
        List<Integer> ultraClasses = new ArrayList<>();
        if (u != null && Boolean.FALSE.equals(u.enabled())) {
            why.add("ultraHot: off (the profile turns it off)");
        } else if (u != null && u.classes() != null) {
            u.classes().forEach(size -> ultraClasses.add(sizes.indexOf(size)));
            why.add("ultraHot: " + bytes(sizes, ultraClasses) + " (the profile names them)");
        } else {
            int a = hottest.get(0);
            int b = hottest.size() > 1 ? hottest.get(1) : -1;
            double sa = shares.get(a), sb = b < 0 ? 0 : shares.get(b);
            if (!predictable) {
                why.add("ultraHot: off (planner: the class sequence is predicted " + percent(predictability)
                        + " of the time, under " + percent(PREDICTABLE) + ": which magazine has room would mispredict)");
            } else if (b >= 0 && sa >= ULTRA_HOT_EACH && sb >= ULTRA_HOT_EACH && sa + sb >= DOMINANT) {
                ultraClasses.addAll(List.of(Math.min(a, b), Math.max(a, b)));
                why.add("ultraHot: " + bytes(sizes, ultraClasses) + " (planner: the two hottest classes take "
                        + percent(sa + sb) + " of allocations, each at least " + percent(ULTRA_HOT_EACH) + ")");
            } else if (sa >= DOMINANT) {
                ultraClasses.add(a);
                why.add("ultraHot: " + bytes(sizes, ultraClasses) + " (planner: the hottest class alone takes "
                        + percent(sa) + ", at least " + percent(DOMINANT) + ")");
            } else {
                why.add("ultraHot: off (planner: no class or pair takes " + percent(DOMINANT) + " of allocations; the "
                        + "hottest has " + percent(sa) + (b >= 0 ? ", the two hottest " + percent(sa + sb) : "") + ")");
            }
        }
        config.ultraHot(!ultraClasses.isEmpty());
        if (!ultraClasses.isEmpty()) {
            int first = ultraClasses.get(0), second = ultraClasses.get(ultraClasses.size() - 1);
            config.ultraHotSizes(List.of(sizes.get(first), sizes.get(second)));
            int slots = u != null && u.slots() != null ? u.slots() : 4;
            config.ultraHotSlots(slots);
            why.add("ultraHot.slots: " + slots + (u != null && u.slots() != null ? " (from the profile)"
                    : " (planner: hakmem's 4, so both magazines share one cache line)"));
        }

        // HeapV2.
        Profile.HeapV2 h = profile.layers().heapV2();
        List<Integer> heapClasses = new ArrayList<>();
        if (h != null && Boolean.FALSE.equals(h.enabled())) {
            why.add("heapV2: off (the profile turns it off)");
        } else if (h != null && h.classes() != null) {
            h.classes().forEach(size -> heapClasses.add(sizes.indexOf(size)));
            heapClasses.sort(null);
            why.add("heapV2: " + bytes(sizes, heapClasses) + " (the profile names them)");
        } else if (ultraClasses.isEmpty()) {
            why.add("heapV2: off (planner: HeapV2 backs UltraHot, which is off; every class keeps a spare magazine of "
                    + FrontEnd.SPARE_SLOTS + " slots)");
        } else {
            for (int c : hottest) {
                if (shares.get(c) >= HEAP_V2_SHARE && heapClasses.size() < HEAP_V2_CLASSES) {
                    heapClasses.add(c);
                }
            }
            heapClasses.sort(null);
            why.add(heapClasses.isEmpty()
                    ? "heapV2: off (planner: no class has " + percent(HEAP_V2_SHARE) + " of allocations)"
                    : "heapV2: " + bytes(sizes, heapClasses) + " (planner: every class with at least "
                    + percent(HEAP_V2_SHARE) + ", hottest first, at most " + HEAP_V2_CLASSES + ")");
        }
        int mask = 0;
        for (int c : heapClasses) {
            mask |= 1 << c;
        }
        config.heapV2(!heapClasses.isEmpty()).heapV2ClassMask(mask);
        if (!heapClasses.isEmpty()) {
            int slots = h != null && h.slots() != null ? h.slots() : 16;
            boolean leftover = h != null && h.mode() == Profile.Mode.LEFTOVER;
            config.heapV2Slots(slots).heapV2Leftover(leftover);
            boolean eachSized = h != null && h.classSlots() != null
                    && heapClasses.stream().allMatch(c -> h.classSlots().containsKey(sizes.get(c)));
            why.add("heapV2.slots: " + slots + (eachSized ? " (no class uses it: classSlots sizes each)"
                    : h != null && h.slots() != null ? " (from the profile)" : " (planner: hakmem's 16)"));
            if (h != null && h.classSlots() != null && !h.classSlots().isEmpty()) {
                config.heapV2ClassSlots(h.classSlots());
                why.add("heapV2.classSlots: " + new java.util.TreeMap<>(h.classSlots()).entrySet().stream()
                        .map(e -> e.getKey() + " B: " + e.getValue()).collect(java.util.stream.Collectors.joining(", "))
                        + " (from the profile)");
            }
            why.add("heapV2.mode: " + (leftover ? "leftover" : "stealing")
                    + (h != null && h.mode() != null ? " (from the profile)" : " (planner: hakmem's default, frees fill HeapV2 first)"));
        }

        Set<Layer> stats = EnumSet.noneOf(Layer.class);
        profile.stats().forEach(s -> stats.add(Layer.valueOf(s.name())));
        config.stats(stats);
        why.add("stats: " + (stats.isEmpty() ? "none" : stats) + (profile.stats().isEmpty() ? " (no statistics unless asked)" : " (from the profile)"));

        // Dispatch. Every tiny class has a magazine: its UltraHot and HeapV2 ones, or a spare one.
        List<Integer> dispatch = new ArrayList<>();
        double top2 = shares.get(hottest.get(0)) + (hottest.size() > 1 ? shares.get(hottest.get(1)) : 0);
        boolean indexed = top2 < DOMINANT || !predictable;
        List<Integer> byName = new ArrayList<>(ultraClasses);
        if (predictable) {
            for (int bytes : HakConfig.defaults().ultraHotSizes()) {
                int c = Inference.classOf(sizes, bytes);
                if (c >= 0 && !byName.contains(c)) {
                    byName.add(c);
                }
            }
        }
        boolean tableCounts = stats.contains(Layer.THREAD_LIST) || stats.contains(Layer.MID);
        int cost = COST_FIXED + (indexed ? COST_INDEXED + (tableCounts ? 3 * (COST_COUNTER + COST_WHICH_COUNTER) : 0) : 0);
        for (int c : hottest) {
            int own = (ultraClasses.contains(c) ? 1 : 0) + (heapClasses.contains(c) ? 1 : 0);
            if (!byName.contains(c) && (indexed || own == 0 && shares.get(c) < INLINE_SHARE)) {
                continue;
            }
            int counters = (ultraClasses.contains(c) && stats.contains(Layer.ULTRA_HOT) ? 2 : 0)
                    + (heapClasses.contains(c) && stats.contains(Layer.HEAP_V2) ? 2 : 0)
                    + (stats.contains(Layer.THREAD_LIST) ? own == 0 ? 3 : 2 : 0);
            int body = COST_CLASS + Math.max(own, 1) * COST_MAGAZINE + counters * COST_COUNTER;
            if (cost + body <= BUDGET) {
                dispatch.add(c);
                cost += body;
            }
        }
        String budget = ", in this order, malloc estimated at " + cost + " of " + BUDGET + " bytes";
        if (!indexed) {
            why.add("dispatch: " + (dispatch.isEmpty() ? "none inline, every size through the runtime's table"
                    : bytes(sizes, dispatch) + " inline" + budget) + " (planner: classes with a magazine, at least "
                    + percent(INLINE_SHARE) + " or " + BY_NAME + ", hottest first, within HotSpot's inlining budget)");
        }
        int outOfLineAt = why.size();   // the plan says which classes it serves out of line, once it is built

        Integer midMax = profile.layers().mid() != null ? profile.layers().mid().max() : null;
        config.midMax(midMax != null ? midMax : HakConfig.MID_MAX_DEFAULT);
        why.add("mid.max: " + (midMax != null ? midMax + " B (from the profile: requests up to it come from slabs "
                + "through the thread's caches, larger ones are mappings)" : HakConfig.MID_MAX_DEFAULT
                + " B (planner: hakmem's 32 KiB; larger requests are mappings)"));

        int drain = profile.drainInterval() != null ? profile.drainInterval() : 2048;
        config.drainInterval(drain);
        why.add("drainInterval: " + drain + " frees onto the thread lists" + (profile.drainInterval() != null ? " (from the profile)" : " (planner: hakmem's 2048)"));

        double cross = profile.crossThreadFrees() != null ? profile.crossThreadFrees() : crossThreadFrees(profile.workload());
        boolean seal = profile.guard().seal() != null ? profile.guard().seal() : seals(cross);
        config.guardMincore(profile.guard().mincore()).guardLog(profile.guard().log()).guardSeal(seal);
        why.add("crossThreadFrees: " + percent(cross) + (profile.crossThreadFrees() != null ? " (from the profile)"
                : profile.workload().kind() == Profile.Workload.Kind.LARSON ? " (planner: larson's " + profile.workload().threads()
                + " threads free a block another one allocated (N-1)/N of the time)"
                : " (planner: none unless the profile says so; `hakgen infer` measures it on a trace)"));
        why.add("guard: always on, " + (seal ? "seal" : "state") + " mode" + (profile.guard().seal() != null ? " (from the profile)"
                : seal ? " (planner: frees cross threads at least " + percent(SEAL_CROSS) + " of the time, and a state byte "
                        + "written per free and malloc shares its cache line with other threads' blocks)"
                : " (planner: frees cross threads under " + percent(SEAL_CROSS) + " of the time, and on one thread the "
                        + "state byte is the cheaper)")
                + "; mincore " + profile.guard().mincore() + ", log " + profile.guard().log());

        String pkg = packageName != null ? packageName : defaultPackage(profile.name());
        Plan plan = new Plan(profile.name(), sha256, profile.description(), pkg, prefix(profile.name()),
                config.build(), shares, dispatch, indexed, command);
        if (indexed) {
            why.add(outOfLineAt, "dispatch: " + (dispatch.isEmpty() ? "" : bytes(sizes, dispatch) + " inline" + budget
                    + " (planner: " + (predictable ? BY_NAME : "the profile's UltraHot classes") + ", hottest first, within HotSpot's inlining budget); then ")
                    + "indexed, a size table into one array of spare magazines"
                    + (plan.layeredCold().isEmpty() ? dispatch.isEmpty() ? " for every tiny class" : " for every other tiny class" : "; " + bytes(sizes, plan.layeredCold())
                    + " to their UltraHot or HeapV2 magazines, out of line behind a mask test")
                    + (top2 < DOMINANT ? " (planner: the two hottest classes take " + percent(top2) + ", under " + percent(DOMINANT)
                    : " (planner: the class sequence is unpredictable") + ", so a chain of size tests over every class would mispredict)");
        } else if (!plan.outOfLine().isEmpty()) {
            why.add(outOfLineAt, "out of line: " + bytes(sizes, plan.outOfLine()) + " (mallocOtherCold and freeOtherCold "
                    + "serve them as an indexed build does: a size table into spare magazines of " + FrontEnd.SPARE_SLOTS
                    + " slots, as in the generic build, and a class with UltraHot or HeapV2 to its own layers)");
        }
        why.add("output: " + pkg + "." + plan.className("Allocator") + " and " + plan.className("Cache"));
        return new Resolved(profile, plan, why);
    }

    /** Whether the guard seals cached blocks where this share of frees crosses threads ({@value #SEAL_CROSS} and up). */
    static boolean seals(double crossThreadFrees) {
        return crossThreadFrees >= SEAL_CROSS;
    }

    /** The share of frees across threads a workload makes by itself: (N-1)/N for larson's N threads, else none. */
    static double crossThreadFrees(Profile.Workload workload) {
        return workload.kind() == Profile.Workload.Kind.LARSON ? (workload.threads() - 1.0) / workload.threads() : 0;
    }

    /** Whether a class sequence predicted this often gets size tests and layers of its own ({@value #PREDICTABLE}). */
    static boolean predictable(double predictability) {
        return predictability >= PREDICTABLE;
    }

    /**
     * How often the commonest class is the next one when every request is drawn independently from the
     * profile's mix: the largest share of a tiny class, the mid classes or the large sizes.
     */
    static double independent(Profile profile) {
        double top = Math.max(profile.mid(), profile.large());
        for (Profile.SizeShare c : profile.classes()) {
            top = Math.max(top, c.share());
        }
        return top;
    }

    /**
     * {@code org.hakgen.generated.c2c3heavy} for {@code c2c3-heavy}; a name that is a Java keyword without its
     * dashes gets an underscore ({@code org.hakgen.generated.default_} for {@code default}), so that it compiles.
     */
    public static String defaultPackage(String name) {
        String last = name.replace("-", "");
        return "org.hakgen.generated." + (SourceVersion.isKeyword(last) ? last + "_" : last);
    }

    /** {@code C2c3Heavy} for {@code c2c3-heavy}. */
    static String prefix(String name) {
        StringBuilder b = new StringBuilder();
        for (String part : name.split("-")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }

    private static String bytes(List<Integer> sizes, List<Integer> classes) {
        return classes.stream().map(c -> sizes.get(c) + " B").collect(Collectors.joining(", "));
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
