package org.hakgen.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.hakgen.runtime.FrontEnd;
import org.hakgen.runtime.HakConfig;
import org.hakgen.runtime.HakConfig.Layer;

/**
 * A resolved plan: everything the templates need to write one build, and nothing they must decide.
 * The planner makes it from a profile; the templates are pure functions of it.
 *
 * @param profile     the profile's name, e.g. {@code c2c3-heavy}
 * @param sha256      hex SHA-256 of the profile file, for the header of every generated file
 * @param description the profile's one-line description
 * @param packageName package of the generated classes
 * @param prefix      class-name prefix, e.g. {@code C2c3Heavy} for {@code C2c3HeavyAllocator}
 * @param config      every knob; the generic build run with it behaves exactly as this build
 * @param shares      share of allocations per tiny class, in class order (for comments)
 * @param dispatch    tiny classes with their own inline body in malloc and free, in the order the
 *                    size dispatch tests them (hottest first); every other tiny class gets its body
 *                    in the out-of-line {@code mallocOtherCold} / {@code freeOtherCold}, or in an
 *                    indexed build the size table behind the dispatch
 * @param indexed     true: after the dispatch's few size tests, one size table gives the class, which
 *                    indexes one array of spare magazines, inline; a class with UltraHot or HeapV2 and
 *                    no inline body is sent by a mask test on its index to its own magazines, out of
 *                    line (a mix no class or pair dominates, or a class sequence too unpredictable for size tests)
 * @param command     the command that regenerates the build, for the header
 */
public record Plan(
        String profile,
        String sha256,
        String description,
        String packageName,
        String prefix,
        HakConfig config,
        List<Double> shares,
        List<Integer> dispatch,
        boolean indexed,
        String command) {

    public Plan(String profile, String sha256, String description, String packageName, String prefix,
                HakConfig config, List<Double> shares, List<Integer> dispatch, boolean indexed, String command) {
        this.profile = profile;
        this.sha256 = sha256;
        this.description = description;
        this.packageName = packageName;
        this.prefix = prefix;
        this.config = Objects.requireNonNull(config, "config");
        this.shares = List.copyOf(shares);
        this.dispatch = List.copyOf(dispatch);
        this.indexed = indexed;
        this.command = command;
        if (this.shares.size() != config.tinyClasses().size()) {
            throw new IllegalArgumentException("plan: " + shares.size() + " shares for "
                    + config.tinyClasses().size() + " tiny classes");
        }
        for (int cls : this.dispatch) {
            if (cls < 0 || cls >= config.tinyClasses().size()) {
                throw new IllegalArgumentException("plan: dispatch names class " + cls + ", not a tiny class");
            }
        }
    }

    /** The description as a sentence: with a full stop at the end. */
    public String sentence() {
        return description.endsWith(".") ? description : description + ".";
    }

    /** Block size of tiny class {@code cls}. */
    public int size(int cls) {
        return config.tinyClasses().get(cls);
    }

    /** The largest request size that falls in the class below {@code cls}; 0 for the first class. */
    public int below(int cls) {
        return cls == 0 ? 0 : size(cls - 1);
    }

    /** Class of a request of {@code bytes} (1 … the largest tiny class), as the runtime maps it. */
    public int classOf(int bytes) {
        List<Integer> sizes = config.tinyClasses();
        for (int c = 0; c < sizes.size(); c++) {
            if (sizes.get(c) >= bytes) {
                return c;
            }
        }
        throw new IllegalArgumentException(bytes + " B is above the tiny classes " + sizes);
    }

    /** Classes UltraHot serves, in the order of {@link HakConfig#ultraHotSizes()}, without repeats. */
    public List<Integer> ultraHotClasses() {
        List<Integer> classes = new ArrayList<>();
        if (config.ultraHot()) {
            for (int bytes : config.ultraHotSizes()) {
                int cls = classOf(bytes);
                if (!classes.contains(cls)) {
                    classes.add(cls);
                }
            }
        }
        return classes;
    }

    /** Classes with a HeapV2 magazine, ascending. */
    public List<Integer> heapV2Classes() {
        List<Integer> classes = new ArrayList<>();
        if (config.heapV2()) {
            for (int c = 0; c < config.tinyClasses().size(); c++) {
                if ((config.heapV2ClassMask() >>> c & 1) != 0) {
                    classes.add(c);
                }
            }
        }
        return classes;
    }

    public boolean ultraHot(int cls) {
        return ultraHotClasses().contains(cls);
    }

    public boolean heapV2(int cls) {
        return heapV2Classes().contains(cls);
    }

    /** True when {@code cls} has UltraHot or HeapV2. */
    public boolean layered(int cls) {
        return ultraHot(cls) || heapV2(cls);
    }

    /**
     * True when {@code cls} has a spare magazine in front of its thread list, as in the generic build: it
     * has neither UltraHot nor HeapV2, and the guard is in seal mode ({@link FrontEnd#tinySpares}). In state
     * mode such a class has its thread list alone.
     */
    public boolean spare(int cls) {
        return !layered(cls) && FrontEnd.tinySpares(config);
    }

    /**
     * The tiny classes, ascending: those with neither UltraHot nor HeapV2 have a {@linkplain #spare spare}
     * magazine in seal mode, their thread list alone in state mode.
     */
    public List<Integer> magazineClasses() {
        List<Integer> classes = new ArrayList<>();
        for (int c = 0; c < config.tinyClasses().size(); c++) {
            classes.add(c);
        }
        return classes;
    }

    /**
     * Tiny classes without an inline body, ascending. The size table serves them, through their thread
     * lists (and the indexed spare magazines in seal mode) or, with UltraHot or HeapV2, {@link #layeredCold}.
     */
    public List<Integer> outOfLine() {
        return magazineClasses().stream().filter(c -> !dispatch.contains(c)).toList();
    }

    /** Classes without an inline body that have UltraHot or HeapV2, ascending: out of line behind a mask test. */
    public List<Integer> layeredCold() {
        return outOfLine().stream().filter(this::layered).toList();
    }

    /** The largest tiny class's block size: an indexed build's table covers requests up to it. */
    public int tinyMax() {
        return config.tinyClasses().getLast();
    }

    /** Whether {@code layer} keeps statistics in this build. */
    public boolean counts(Layer layer) {
        return config.stats().contains(layer);
    }

    /** This plan with no statistics kept. */
    public Plan withoutStats() {
        return new Plan(profile, sha256, description, packageName, prefix,
                config.toBuilder().stats(java.util.Set.of()).build(), shares, dispatch, indexed, command);
    }

    /** The generated class named {@code prefix + suffix}. */
    public String className(String suffix) {
        return prefix + suffix;
    }
}
