package org.hakgen.templates;

import com.palantir.javapoet.CodeBlock;

import org.hakgen.runtime.HakConfig.Layer;

/**
 * The thread list (L2) of a class with an inline body: pop and push on {@code head[C]} and
 * {@code length[C]} with a constant index, the next pointer in the block's first word. Classes
 * without an inline body use the runtime's generic list code.
 */
public final class ThreadListTemplate {
    private ThreadListTemplate() {}

    /** Pop: when the list of {@code cls} has a block, it goes to {@code p}. */
    public static Step pop(Plan plan, int cls) {
        String c = Names.cls(plan, cls);
        return new Step(CodeBlock.of("(p = head[$L]) != 0", c),
                CodeBlock.builder()
                        .addStatement("head[$L] = next(p)", c)
                        .addStatement("length[$L]--", c)
                        .add(StatsTemplate.count(plan, Layer.THREAD_LIST, "HIT"))
                        .build(),
                StatsTemplate.count(plan, Layer.THREAD_LIST, "MISS"));
    }

    /** Push {@code address} onto the list of {@code cls}: the last resort of a free, never full. */
    public static CodeBlock push(Plan plan, int cls) {
        String c = Names.cls(plan, cls);
        return CodeBlock.builder()
                .addStatement("link(address, head[$L])", c)
                .addStatement("head[$L] = address", c)
                .addStatement("length[$L]++", c)
                .build();
    }

    /** Push onto the list of the slab's class {@code cls} when the class has no code of its own. */
    static CodeBlock pushAny() {
        return CodeBlock.builder().addStatement("listPush(cls, address)").build();
    }
}
