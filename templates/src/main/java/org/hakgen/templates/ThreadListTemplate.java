package org.hakgen.templates;

import com.palantir.javapoet.CodeBlock;

import org.hakgen.runtime.HakConfig.Layer;

/**
 * The thread list (L2) of a class with an inline body: the runtime's {@code listPop} and
 * {@code listFree} with a constant class index. Both are above 35 bytecode bytes on purpose, so that
 * where a magazine misses now and then HotSpot keeps them calls instead of spending the compilation's
 * node budget on their native accesses (see {@code FrontEnd.listPop}); a call keeps each class's body
 * small enough for more classes to fit malloc's 325-byte budget than writing the list code out would.
 * A tiny class with neither UltraHot nor HeapV2 in the guard's state mode has no magazine: these calls
 * are its fast path, and HotSpot inlines them there as it does any hot call.
 */
public final class ThreadListTemplate {
    private ThreadListTemplate() {}

    /**
     * The last resort of a malloc of {@code cls}: pop its thread list, and when that is empty refill it
     * from the central pool (out of line).
     */
    public static CodeBlock popOrRefill(Plan plan, int cls) {
        return popOrRefill(plan, Names.cls(plan, cls));
    }

    /** {@link #popOrRefill(Plan, int)} of a tiny class in the constant named {@code c}. */
    private static CodeBlock popOrRefill(Plan plan, String c) {
        return popOrRefill(c, StatsTemplate.count(plan, Layer.THREAD_LIST, "HIT"), StatsTemplate.count(plan, Layer.THREAD_LIST, "MISS"));
    }

    /** {@link #popOrRefill(Plan, int)} of the class (tiny or mid) in the variable {@code cls}. */
    static CodeBlock popOrRefillOf(Plan plan, String cls) {
        return popOrRefill(cls, StatsTemplate.countOf(plan, cls, "HIT"), StatsTemplate.countOf(plan, cls, "MISS"));
    }

    private static CodeBlock popOrRefill(String c, CodeBlock hit, CodeBlock miss) {
        CodeBlock.Builder code = CodeBlock.builder();
        if (hit.isEmpty() && miss.isEmpty()) {
            code.beginControlFlow("if ((p = listPop($L)) == 0)", c)
                    .add(RefillDrainTemplate.refill(c))
                    .endControlFlow();
        } else {
            code.beginControlFlow("if ((p = listPop($L)) != 0)", c)
                    .add(hit)
                    .nextControlFlow("else")
                    .add(miss)
                    .add(RefillDrainTemplate.refill(c))
                    .endControlFlow();
        }
        return code.build();
    }

    /**
     * Free {@code address} onto the list of {@code cls}: the last resort of a free, never full; the
     * runtime counts it towards the next drain.
     */
    public static CodeBlock push(Plan plan, int cls) {
        return CodeBlock.builder().addStatement("listFree($L, address)", Names.cls(plan, cls)).build();
    }

}
