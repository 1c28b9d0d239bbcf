package org.hakgen.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A loop's precomputed steps: which slot each op works on and what size it asks for, drawn with a
 * fixed seed so every build sees exactly the same sequence. Tables are a power of two long and
 * replayed cyclically, so drawing costs nothing during the measurement.
 *
 * @param slots the slot of each step
 * @param sizes the requested bytes of each step
 */
public record Workload(int[] slots, long[] sizes) {
    /**
     * Steps per table: long enough that branch predictors do not learn the sequence. They do learn a
     * short one: the generic build configured as c2c3-heavy on its random 16/32 B mix ran 7.5 ns per
     * free+malloc with 2^8 steps, 12.4 with 2^10, 23.8 with 2^14 (this table's length until 2026-12-03),
     * 25.5 with 2^16 and 26.6 with 2^20, on a machine of this project; a CPU with a larger predictor
     * learns more of it. A learnt sequence flatters code that branches on the class and hides what a
     * program whose sizes do not repeat pays. 2^20 steps are 12 MiB of tables, read in order.
     */
    public static final int STEPS = 1 << 20;
    static final long SEED = 0x5eed_6a4b_6e6eL;

    public Workload {
        if (slots.length != sizes.length || Integer.bitCount(slots.length) != 1) {
            throw new IllegalArgumentException("tables must be equally long, a power of two");
        }
    }

    /** hakmem's bench_fixed_size: slots in turn, each step one of {@code sizes} at random. */
    public static Workload fixed(long[] sizes, int workset) {
        checkWorkset(workset);
        if (sizes.length == 0) {
            throw new IllegalArgumentException("fixed: no sizes; valid: one or more sizes, e.g. 16 or 16/32");
        }
        SplittableRandom random = new SplittableRandom(SEED);
        int[] s = new int[STEPS];
        long[] z = new long[STEPS];
        for (int i = 0; i < STEPS; i++) {
            s[i] = i % workset;
            z[i] = sizes[sizes.length == 1 ? 0 : random.nextInt(sizes.length)];
        }
        return new Workload(s, z);
    }

    /** hakmem's bench_random_mixed (and the mid loop): a random slot, a size uniform in [min, max]. */
    public static Workload uniform(long min, long max, int workset) {
        checkWorkset(workset);
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("uniform: min " + min + ", max " + max + "; valid: 0 <= min <= max");
        }
        SplittableRandom random = new SplittableRandom(SEED);
        int[] s = new int[STEPS];
        long[] z = new long[STEPS];
        for (int i = 0; i < STEPS; i++) {
            s[i] = random.nextInt(workset);
            z[i] = random.nextLong(min, max + 1);
        }
        return new Workload(s, z);
    }

    /**
     * Parses a benchmark parameter such as {@code 16} or {@code 16/32} ({@code /}, because JMH splits
     * parameter values at commas).
     */
    public static long[] sizes(String list) {
        try {
            long[] sizes = Arrays.stream(list.split("/")).map(String::trim).mapToLong(Long::parseLong).toArray();
            for (long s : sizes) {
                if (s < 0) {
                    throw new NumberFormatException();
                }
            }
            return sizes;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sizes '" + list + "' are not valid; valid: byte counts >= 0 separated "
                    + "by '/', e.g. 16/32");
        }
    }

    private static void checkWorkset(int workset) {
        if (workset < 1) {
            throw new IllegalArgumentException("workset " + workset + " is not valid; valid: 1 or more slots");
        }
    }

    /** Steps minus one, for masking a step counter. */
    public int mask() {
        return slots.length - 1;
    }
}
