package org.hakgen.templates;

import java.util.List;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;

import org.hakgen.runtime.HakConfig.Layer;

import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;

/**
 * A LIFO magazine of one class in one layer, as generated code holds it: an exact-size {@code long[]}
 * named {@code name} and an {@code int} named {@code nameCount}. UltraHot, HeapV2 and the spare
 * magazine differ only in their names, sizes and counters, so their templates write their code
 * through this.
 *
 * <p>{@code layer} is the layer whose statistics the magazine keeps; {@code null} for a spare magazine,
 * which counts as the generic build counts the runtime's: a hit as the thread list's hit, and nothing
 * else (a miss goes on to the thread list, which counts its own).
 */
record Magazine(Plan plan, int cls, String name, int slots, Layer layer, String title) {

    String count() {
        return Names.count(name);
    }

    List<FieldSpec> fields() {
        return List.of(
                FieldSpec.builder(ArrayTypeName.of(TypeName.LONG), name, PRIVATE, FINAL)
                        .addJavadoc("$L magazine of the $L-byte class.\n", title, plan.size(cls))
                        .initializer("new long[$L]", slots)
                        .build(),
                FieldSpec.builder(TypeName.INT, count(), PRIVATE).build());
    }

    Step pop() {
        return new Step(CodeBlock.of("$L > 0", count()),
                CodeBlock.builder()
                        .add(StatsTemplate.count(plan, layer == null ? Layer.THREAD_LIST : layer, "HIT"))
                        .addStatement("p = $L", GuardTemplate.takeOut(plan, CodeBlock.of("$L[--$L]", name, count())))
                        .build(),
                counter("MISS"));
    }

    Step push() {
        return Step.of(CodeBlock.of("$L < $L", count(), slots),
                CodeBlock.builder()
                        .addStatement("$L[$L++] = address", name, count())
                        .add(counter("REFILL"))
                        .build());
    }

    /** Moves the magazine onto the thread list, top first, counting each block as a drain. */
    CodeBlock flush() {
        return CodeBlock.builder()
                .beginControlFlow("while ($L > 0)", count())
                .addStatement("listPush($L, $L[--$L])", Names.cls(plan, cls), name, count())
                .add(counter("DRAIN"))
                .endControlFlow()
                .build();
    }

    /** The layer's counter of {@code kind}; nothing for a spare magazine. */
    private CodeBlock counter(String kind) {
        return layer == null ? CodeBlock.builder().build() : StatsTemplate.count(plan, layer, kind);
    }

    CodeBlock forEach() {
        return CodeBlock.builder()
                .beginControlFlow("for (int k = 0; k < $L; k++)", count())
                .addStatement("sink.accept($L[k])", name)
                .endControlFlow()
                .build();
    }
}
