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
                ? CodeBlock.of("Long.compareUnsigned(size, $L) <= 0", plan.size(cls))   // 0 … size, one compare
                : CodeBlock.of("size > $L && size <= $L", plan.below(cls), plan.size(cls));
    }

    /**
     * The malloc dispatch over {@code classes}, in order: {@code body(cls)} when the size falls in the
     * class, {@code others} for every other size (each returns the block or leaves it in {@code p}).
     */
    public static CodeBlock malloc(Plan plan, List<Integer> classes, IntFunction<CodeBlock> body, CodeBlock others) {
        if (classes.isEmpty()) {
            return others;
        }
        CodeBlock.Builder code = CodeBlock.builder();
        boolean first = true;
        for (int cls : classes) {
            CodeBlock test = inClass(plan, cls);
            if (first) {
                code.beginControlFlow("if ($L)", test);
                first = false;
            } else {
                code.nextControlFlow("else if ($L)", test);
            }
            code.add("// $L B: $L of allocations\n", plan.size(cls), percent(plan.shares().get(cls)));
            code.add(body.apply(cls));
        }
        code.nextControlFlow("else");
        code.add(others);
        code.endControlFlow();
        return code.build();
    }

    /**
     * The free dispatch: a switch on the slab's class {@code cls} over {@code classes},
     * {@code body(cls)} for each, and {@code fallback} for the rest.
     */
    public static CodeBlock free(Plan plan, List<Integer> classes, IntFunction<CodeBlock> body, CodeBlock fallback) {
        return perClass(plan, "cls", classes, body, fallback);
    }

    /** A switch on {@code selector} over {@code classes}, {@code body(cls)} for each, nothing for the others. */
    public static CodeBlock perClass(Plan plan, String selector, List<Integer> classes, IntFunction<CodeBlock> body) {
        return perClass(plan, selector, classes, body, null);
    }

    /**
     * A switch on {@code selector} over {@code classes}, {@code body(cls)} for each, and {@code otherwise}
     * (unless it is null) for the rest; with no classes, just {@code otherwise}.
     */
    public static CodeBlock perClass(Plan plan, String selector, List<Integer> classes, IntFunction<CodeBlock> body,
                                     CodeBlock otherwise) {
        if (classes.isEmpty()) {
            return otherwise != null ? otherwise : CodeBlock.builder().build();
        }
        return switchOn(plan, selector, classes, body, otherwise);
    }

    /** {@code switch (selector)} with a case per class, and a default of {@code fallback} unless it is null. */
    private static CodeBlock switchOn(Plan plan, String selector, List<Integer> classes, IntFunction<CodeBlock> body,
                                      CodeBlock fallback) {
        CodeBlock.Builder code = CodeBlock.builder().beginControlFlow("switch ($L)", selector);
        for (int cls : classes) {
            code.beginControlFlow("case $L ->", Names.cls(plan, cls)).add(body.apply(cls)).endControlFlow();
        }
        if (fallback != null) {
            code.beginControlFlow("default ->").add(fallback).endControlFlow();
        }
        return code.endControlFlow().build();
    }

    static String percent(double share) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", share * 100);
    }
}
