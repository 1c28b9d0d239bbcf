package org.hakgen.templates;

import java.util.List;

import com.palantir.javapoet.CodeBlock;

/**
 * One layer's part of a per-class fast path: when {@code condition} holds, {@code then} serves the
 * call; otherwise {@code otherwise} runs (a miss counter, or nothing) and the next layer is tried.
 * {@link #chain} writes a list of steps as one if / else-if chain, nesting only where a miss has code.
 */
record Step(CodeBlock condition, CodeBlock then, CodeBlock otherwise) {

    static Step of(CodeBlock condition, CodeBlock then) {
        return new Step(condition, then, CodeBlock.builder().build());
    }

    /** The steps in order, then {@code last} when every one missed. */
    static CodeBlock chain(List<Step> steps, CodeBlock last) {
        CodeBlock.Builder code = CodeBlock.builder();
        int open = 0;
        boolean inChain = false;
        for (Step step : steps) {
            if (inChain) {
                code.nextControlFlow("else if ($L)", step.condition);
            } else {
                code.beginControlFlow("if ($L)", step.condition);
                open++;
            }
            code.add(step.then);
            if (step.otherwise.isEmpty()) {
                inChain = true;
            } else {
                code.nextControlFlow("else");
                code.add(step.otherwise);
                inChain = false;
            }
        }
        if (inChain) {
            code.nextControlFlow("else");
        }
        code.add(last);
        for (int i = 0; i < open; i++) {
            code.endControlFlow();
        }
        return code.build();
    }
}
