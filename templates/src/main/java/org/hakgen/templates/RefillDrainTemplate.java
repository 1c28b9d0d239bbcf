package org.hakgen.templates;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;

import static javax.lang.model.element.Modifier.PROTECTED;

/**
 * Refill and drain: when every layer of a class missed, one batch from the central pool (out of line,
 * in the runtime); every {@code drainInterval} frees onto the thread lists, the lists go back down to
 * their batch (the runtime's {@code listFree} counts them), in leftover mode topping up HeapV2 first.
 */
public final class RefillDrainTemplate {
    private RefillDrainTemplate() {}

    /** The last resort of a malloc of {@code cls}: a batch from the central pool. */
    public static CodeBlock refill(Plan plan, int cls) {
        return refill(Names.cls(plan, cls));
    }

    /** {@link #refill(Plan, int)} of the class in the variable or constant named {@code c}. */
    static CodeBlock refill(String c) {
        return CodeBlock.builder().addStatement("p = refillSlow($L)", c).build();
    }

    /** {@code topUpSlow}, in leftover mode with HeapV2 magazines; null when there is nothing to top up. */
    public static MethodSpec topUp(Plan plan) {
        if (!plan.config().heapV2Leftover() || plan.heapV2Classes().isEmpty()) {
            return null;
        }
        return MethodSpec.methodBuilder("topUpSlow")
                .addAnnotation(Override.class)
                .addModifiers(PROTECTED)
                .addParameter(TypeName.INT, "cls")
                .addParameter(TypeName.INT, "keep")
                .addCode(DispatchTemplate.perClass(plan, "cls", plan.heapV2Classes(), c -> HeapV2Template.topUp(plan, c)))
                .build();
    }
}
