package org.hakgen.templates;

import java.util.List;
import java.util.function.IntFunction;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;

import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.STATIC;

/**
 * Size-class dispatch written for the profile's own classes: a chain of range tests over the request
 * size, hottest class first (PERF-NOTES: a threshold chain beat every table and switch), each branch
 * the class's inline body; every other size goes to the runtime's {@code mallocCold}. On free, a
 * switch on the slab's class.
 */
public final class DispatchTemplate {
    private DispatchTemplate() {}

    /** {@code private static final int C16 = 1;} for each class of the dispatch. */
    public static FieldSpec classConstant(Plan plan, int cls) {
        return FieldSpec.builder(TypeName.INT, Names.cls(plan, cls), PRIVATE, STATIC, FINAL)
                .addJavadoc("Class index of the $L-byte blocks: $L of allocations.\n", plan.size(cls), percent(plan.shares().get(cls)))
                .initializer("$L", cls)
                .build();
    }

    /** The test that a request size falls in class {@code cls}: above the class below, at most its size. */
    public static CodeBlock inClass(Plan plan, int cls) {
        return cls == 0
                ? CodeBlock.of("size >= 0 && size <= $L", plan.size(cls))
                : CodeBlock.of("size > $L && size <= $L", plan.below(cls), plan.size(cls));
    }

    /**
     * The malloc dispatch: for each class of the plan's dispatch, in order, {@code body(cls)} when the
     * size falls in it (the body leaves the block in {@code p}); every other size returns through
     * {@code mallocCold(size)}.
     */
    public static CodeBlock malloc(Plan plan, IntFunction<CodeBlock> body) {
        CodeBlock.Builder code = CodeBlock.builder();
        boolean first = true;
        for (int cls : plan.dispatch()) {
            CodeBlock test = inClass(plan, cls);
            if (first) {
                code.beginControlFlow("if ($L)", test);
                first = false;
            } else {
                code.nextControlFlow("else if ($L)", test);
            }
            code.add("// $L B: $L of allocations\n", plan.size(cls), percent(plan.shares().get(cls)));
            code.addStatement("cls = $L", Names.cls(plan, cls));
            code.add(body.apply(cls));
        }
        if (first) {
            return CodeBlock.builder().addStatement("return mallocCold(size)").build();
        }
        code.nextControlFlow("else");
        code.addStatement("return mallocCold(size)");
        code.endControlFlow();
        return code.build();
    }

    /**
     * The free dispatch: {@code body(cls)} for each class with a magazine, the thread list for the
     * rest. {@code cls} is a local holding the slab's class.
     */
    public static CodeBlock free(Plan plan, IntFunction<CodeBlock> body) {
        if (plan.magazineClasses().isEmpty()) {
            return ThreadListTemplate.pushAny();
        }
        CodeBlock.Builder code = CodeBlock.builder().beginControlFlow("switch (cls)");
        for (int cls : plan.dispatch()) {   // hottest first
            if (plan.magazineClasses().contains(cls)) {
                code.beginControlFlow("case $L ->", Names.cls(plan, cls)).add(body.apply(cls)).endControlFlow();
            }
        }
        code.beginControlFlow("default ->").add(ThreadListTemplate.pushAny()).endControlFlow();
        return code.endControlFlow().build();
    }

    /** A switch on {@code selector} over {@code classes}, {@code body(cls)} for each, nothing for the others. */
    public static CodeBlock perClass(Plan plan, String selector, List<Integer> classes, IntFunction<CodeBlock> body) {
        CodeBlock.Builder code = CodeBlock.builder().beginControlFlow("switch ($L)", selector);
        for (int cls : classes) {
            code.beginControlFlow("case $L ->", Names.cls(plan, cls)).add(body.apply(cls)).endControlFlow();
        }
        return code.endControlFlow().build();
    }

    static String percent(double share) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", share * 100);
    }
}
