package org.hakgen.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * A chart's axis: where a value falls on it, as a fraction of its length, and the round values it marks.
 * Linear from 0 to a round number (ticks 1, 2, 2.5 or 5 × a power of ten apart), or logarithmic between two
 * powers of ten's 1-2-5 steps, for charts whose bars differ by more than an order of magnitude.
 *
 * @param min   the value at the axis's start (0 when linear)
 * @param max   the value at its end, a round number at or above the largest value charted
 * @param log   whether values are placed by their logarithm
 * @param ticks the values marked, from {@code min} to {@code max}
 */
record Scale(double min, double max, boolean log, List<Double> ticks) {
    /** From 0 to a round number at or above {@code top} (> 0): the widest round step that needs at most 5 to reach it. */
    static Scale linear(double top) {
        if (!(top > 0) || Double.isInfinite(top)) {
            throw new IllegalArgumentException("a linear scale needs a finite top above 0, not " + top);
        }
        BigDecimal step = roundStep(top / 5);
        BigDecimal end = step.multiply(BigDecimal.valueOf((long) Math.ceil(top / step.doubleValue() - 1e-9)));
        List<Double> ticks = new ArrayList<>();
        for (BigDecimal t = BigDecimal.ZERO; t.compareTo(end) <= 0; t = t.add(step)) {
            ticks.add(t.doubleValue());
        }
        return new Scale(0, end.doubleValue(), false, List.copyOf(ticks));
    }

    /**
     * From the last 1, 2 or 5 × 10ⁿ at or below {@code lowest} / 1.25 (so that the shortest bar
     * still shows) to the first 1, 2 or 5 × 10ⁿ at or above {@code highest}, with
     * a tick at each 1, 2 and 5 × 10ⁿ between (at each power of ten and the ends only, where that would be over 8 ticks).
     */
    static Scale log(double lowest, double highest) {
        if (!(lowest > 0) || !(highest > lowest) || Double.isInfinite(highest)) {
            throw new IllegalArgumentException("a logarithmic scale needs 0 < lowest < highest, finite; not " + lowest
                    + " and " + highest);
        }
        double below = lowest / 1.25;   // start a step below the lowest value, so that its bar is a visible one
        List<Double> ticks = new ArrayList<>();
        BigDecimal decade = BigDecimal.ONE.scaleByPowerOfTen((int) Math.floor(Math.log10(below)));
        for (;; decade = decade.scaleByPowerOfTen(1)) {
            for (int m : new int[] {1, 2, 5}) {
                BigDecimal t = decade.multiply(BigDecimal.valueOf(m));
                if (t.doubleValue() <= below) {
                    ticks.clear();
                }
                ticks.add(t.doubleValue());
                if (t.doubleValue() >= highest) {
                    double start = ticks.getFirst(), end = t.doubleValue();
                    if (ticks.size() > 8) {   // over 3 decades: mark the powers of ten only, and the ends
                        ticks.removeIf(v -> v != start && v != end && Math.abs(Math.log10(v) - Math.rint(Math.log10(v))) > 1e-9);
                    }
                    return new Scale(start, end, true, List.copyOf(ticks));
                }
            }
        }
    }

    /**
     * Where {@code value} falls, 0 at {@link #min} and 1 at {@link #max}; values outside are held to the ends,
     * and a value that is no number (an unknown footprint, an error JMH could not compute) is put at 0.
     */
    double fraction(double value) {
        if (Double.isNaN(value)) {
            return 0;
        }
        double f = log ? (value <= min ? 0 : Math.log(value / min) / Math.log(max / min)) : value / max;
        return Math.max(0, Math.min(1, f));
    }

    /** A tick's value as written under the axis: no trailing zeros, no exponent (0.5, 2.5, 20, 1000). */
    static String label(double value) {
        return value == 0 ? "0" : new BigDecimal(value).round(MathContext.DECIMAL32).stripTrailingZeros().toPlainString();
    }

    /** 1, 2, 2.5 or 5 × 10ⁿ: the least of those at or above {@code raw}. */
    private static BigDecimal roundStep(double raw) {
        int exponent = (int) Math.floor(Math.log10(raw));
        double mantissa = raw / Math.pow(10, exponent);
        for (String m : new String[] {"1", "2", "2.5", "5", "10"}) {
            if (mantissa <= Double.parseDouble(m) + 1e-9) {
                return new BigDecimal(m).scaleByPowerOfTen(exponent);
            }
        }
        throw new AssertionError(raw);
    }
}
