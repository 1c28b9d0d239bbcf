package org.hakgen.generator;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A workload profile as written in {@code profiles/NAME.yaml}, bound by Jackson after
 * {@link ProfileReader} has validated it. Optional knobs are null when the profile leaves them to the
 * {@link Planner}.
 *
 * @param name          the profile's name; must match its file name
 * @param description   one line, shown by {@code hakgen profiles}
 * @param classes       the tiny size classes and each one's share of allocations
 * @param mid           share of allocations from 1 KiB + 1 to 32 KiB (the runtime's mid classes)
 * @param large         share of allocations above 32 KiB (the mid pool serves up to {@code layers.mid.max} of them)
 * @param layers        layer choices; what is left out the planner derives
 * @param drainInterval frees onto the thread lists between drains of them, or null for hakmem's 2048
 * @param predictability share of allocations whose class the classes just before it predict (the
 *                      class that most often followed the same 8 classes so far, per thread); null
 *                      for a workload that draws each request independently, where it is the
 *                      largest share of the mix ({@link Planner})
 * @param crossThreadFrees share of frees made by a thread other than the one that allocated the block;
 *                      null for the workload's own ((N-1)/N for larson's N threads, else none)
 * @param stats         layers that keep statistics; none when left out
 * @param guard         the guard's options
 * @param workload      what the benchmark replays for this profile
 */
public record Profile(
        String name,
        String description,
        List<SizeShare> classes,
        double mid,
        double large,
        Layers layers,
        Integer drainInterval,
        Double predictability,
        Double crossThreadFrees,
        List<StatLayer> stats,
        Guard guard,
        Workload workload) {

    public Profile {
        classes = List.copyOf(classes);
        stats = stats == null ? List.of() : List.copyOf(stats);
        layers = layers == null ? new Layers(null, null, null) : layers;
        guard = guard == null ? new Guard(false, false, null) : guard;
    }

    /** One tiny class: its block size in bytes and its share of all allocations. */
    public record SizeShare(int size, double share) {}

    public record Layers(UltraHot ultraHot, HeapV2 heapV2, Mid mid) {}

    /** The mid pool: {@code max}, the largest request it serves (null: the planner's 32 KiB). */
    public record Mid(Integer max) {}

    /** UltraHot: null fields are the planner's to choose. */
    public record UltraHot(Boolean enabled, List<Integer> classes, Integer slots) {}

    /**
     * HeapV2: null fields are the planner's to choose. {@code classSlots} sizes some classes' magazines
     * apart from {@code slots} (by class size).
     */
    public record HeapV2(Boolean enabled, List<Integer> classes, Integer slots, java.util.Map<Integer, Integer> classSlots,
                         Mode mode) {}

    public enum Mode {
        @JsonProperty("stealing") STEALING,
        @JsonProperty("leftover") LEFTOVER
    }

    public enum StatLayer {
        @JsonProperty("ultraHot") ULTRA_HOT,
        @JsonProperty("heapV2") HEAP_V2,
        @JsonProperty("threadList") THREAD_LIST,
        @JsonProperty("mid") MID,
        @JsonProperty("guard") GUARD
    }

    /**
     * The guard's options.
     *
     * @param mincore whether a rejected free asks the kernel if the address is mapped at all
     * @param log     whether every rejected free is logged
     * @param seal    seal mode ({@code HakConfig.guardSeal}) when true, state mode when false; null lets
     *                the planner choose (seal from {@link Planner#SEAL_CROSS} of frees across threads)
     */
    public record Guard(boolean mincore, boolean log, Boolean seal) {}

    /**
     * What the benchmark runs: {@code fixed} (the sizes in turn over a workset of slots), {@code uniform}
     * (sizes uniform in [min, max] over a workset), {@code trace} (a file of ../shared/traces) or
     * {@code larson} (threads that free each other's blocks, sizes in [min, max]).
     */
    public record Workload(Kind kind, List<Integer> sizes, Integer min, Integer max, Integer workset,
                           String file, Integer threads) {
        public enum Kind {
            @JsonProperty("fixed") FIXED,
            @JsonProperty("uniform") UNIFORM,
            @JsonProperty("trace") TRACE,
            @JsonProperty("larson") LARSON
        }
    }
}
