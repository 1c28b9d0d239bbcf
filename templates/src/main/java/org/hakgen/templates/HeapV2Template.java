package org.hakgen.templates;

import com.palantir.javapoet.CodeBlock;

import org.hakgen.runtime.HakConfig.Layer;

/**
 * HeapV2 (L1): a LIFO magazine per class of the plan's mask, an exact-size {@code long[]} and a count.
 * In stealing mode frees fill it before the thread list; in leftover mode a drain tops it up from
 * what the thread list would give back.
 */
public final class HeapV2Template {
    private HeapV2Template() {}

    /** The magazine of {@code cls}; its free step serves stealing mode only (in leftover mode frees go to the thread list). */
    static Magazine magazine(Plan plan, int cls) {
        return new Magazine(plan, cls, Names.heapV2(plan, cls), plan.config().heapV2SlotsOf(cls), Layer.HEAP_V2,
                "HeapV2 (L1)");
    }

    /** Leftover mode: fill the magazine from the thread list while the list holds more than {@code keep}. */
    public static CodeBlock topUp(Plan plan, int cls) {
        Magazine m = magazine(plan, cls);
        String c = Names.cls(plan, cls);
        return CodeBlock.builder()
                .beginControlFlow("while ($L < $L && listLength($L) > keep)", m.count(), m.slots(), c)
                .addStatement("$L[$L++] = listPopCached($L)", m.name(), m.count(), c)
                .endControlFlow()
                .build();
    }
}
