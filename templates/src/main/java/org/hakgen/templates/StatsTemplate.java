package org.hakgen.templates;

import com.palantir.javapoet.CodeBlock;

import org.hakgen.runtime.HakConfig.Layer;

/**
 * Statistics: a counter increment where the plan keeps the layer's statistics, and nothing at all
 * where it does not, so a build without statistics carries no trace of them.
 */
public final class StatsTemplate {
    private StatsTemplate() {}

    /** {@code counters[LAYER + KIND]++;}, or an empty block; {@code kind} is HIT, MISS, REFILL or DRAIN. */
    public static CodeBlock count(Plan plan, Layer layer, String kind) {
        if (!plan.counts(layer)) {
            return CodeBlock.builder().build();
        }
        return CodeBlock.builder().addStatement("counters[$L + $L]++", layer.name(), kind).build();
    }
}
