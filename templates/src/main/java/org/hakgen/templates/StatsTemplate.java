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

    /**
     * {@code count(plan, layer, kind)} for the class in the variable {@code cls}: the thread list's
     * counter for a tiny class, the mid classes' for a mid one, as the runtime counts them.
     */
    public static CodeBlock countOf(Plan plan, String cls, String kind) {
        boolean tiny = plan.counts(Layer.THREAD_LIST), mid = plan.counts(Layer.MID);
        int tinyCount = plan.config().tinyClasses().size();
        if (tiny && mid) {
            return CodeBlock.builder().addStatement("counters[($L < $L ? $L : $L) + $L]++", cls, tinyCount,
                    Layer.THREAD_LIST.name(), Layer.MID.name(), kind).build();
        }
        if (tiny || mid) {
            return CodeBlock.builder().beginControlFlow("if ($L $L $L)", cls, tiny ? "<" : ">=", tinyCount)
                    .add(count(plan, tiny ? Layer.THREAD_LIST : Layer.MID, kind))
                    .endControlFlow().build();
        }
        return CodeBlock.builder().build();
    }
}
