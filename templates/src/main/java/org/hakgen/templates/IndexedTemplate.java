package org.hakgen.templates;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import org.hakgen.runtime.FrontEnd;
import org.hakgen.runtime.HakConfig;
import org.hakgen.runtime.HakConfig.Layer;

import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.STATIC;

/**
 * The indexed front end, for a mix that no class dominates: a size table gives the class, and the class
 * indexes the runtime's spare magazines ({@link FrontEnd#SPARE_SLOTS} slots each, {@code spare} and
 * {@code spareCount}) and its thread lists. In the guard's state mode a tiny class has no spare magazine
 * ({@link FrontEnd#tinySpares}): one compare of the class with a constant sends it to its list. Its
 * malloc has one unpredictable load where a chain of size tests has an unpredictable branch per class
 * tested: on random-mixed (16–1040 B, uniform) the chain over the same
 * spare magazines measured 19.6 ± 1.2 ns per free+malloc against 11.7 ± 1.3 indexed, and the generic
 * build 16.8 ± 5.5. The blocks it hands out and takes back are exactly the generic build's: the same
 * magazine, the same order, the same thread list behind it. Where one or two classes dominate a
 * predictable sequence, the chain wins (their test is nearly always right, and each has a magazine of
 * its own), so the planner picks this where the two hottest classes take less than 85% of allocations
 * or the sequence of classes is unpredictable (16/32 B drawn at random: 11.9 ns against the chain's
 * 20.5); a chain build runs the same code out of line, for the classes its chain leaves out.
 *
 * <p>The table covers the mid classes too, up to {@link HakConfig#midMax()}: the generic build finds a
 * mid class's magazine through two size lookups and {@code mallocCold}, and mid-heavy's build with the
 * table ran 1–32 KiB requests in 11.17 ns per free+malloc against the generic build's 12.74 (1.17×, 5
 * interleaved rounds) where it had been level (issue 4). Larger sizes go to the runtime's
 * {@code mallocCold}.
 *
 * <p>In front of the table, an indexed build's dispatch tests the few classes the planner gives a body
 * of their own (the profile's UltraHot classes, and on a predictable sequence 16 and 32 B, which the
 * generic build serves by name). Classes with UltraHot or HeapV2
 * (which a profile can name on any mix) and no inline body keep their magazines and their code, the
 * same as in a chain build: a test of the class against a constant mask sends them to
 * {@code mallocLayersCold} and {@code freeLayersCold}, out of line.
 */
final class IndexedTemplate {
    static final String CLASS_OF = "CLASS_OF", SPARE = "spare", COUNTS = "spareCount", ROOM = "spareRoom";

    private IndexedTemplate() {}

    /** The size table, the runtime's own, computed when the class loads. */
    static FieldSpec table(Plan plan) {
        return FieldSpec.builder(ArrayTypeName.of(TypeName.BYTE), CLASS_OF, PRIVATE, STATIC, FINAL)
                .addJavadoc("The class of a request of {@code size} bytes, 0 … $L: "
                        + "{@code CLASS_OF[(int) ((size + 7) >>> 3)]}, as the runtime maps it.\n", plan.config().midMax())
                .initializer("classTable($T.CONFIG)", Names.allocator(plan))
                .build();
    }

    /**
     * The size table's malloc, for the classes without an inline body: leaves the block in {@code p},
     * or returns it for a size beyond the mid classes and for a class with UltraHot or HeapV2.
     */
    static CodeBlock malloc(Plan plan) {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// Unsigned: a negative size is beyond the mid classes too, and one compare tests both.\n")
                .beginControlFlow("if (Long.compareUnsigned(size, $L) > 0)", plan.config().midMax())
                .addStatement("return mallocCold(size)")
                .endControlFlow()
                .addStatement("int cls = $L[(int) ((size + 7) >>> 3)]", CLASS_OF);
        if (!plan.layeredCold().isEmpty()) {
            code.beginControlFlow("if ($L)", layered(plan))
                    .add("// $L B: UltraHot or HeapV2\n", plan.layeredCold().stream().map(plan::size).map(String::valueOf)
                            .collect(java.util.stream.Collectors.joining(", ")))
                    .addStatement("return mallocLayersCold(cls)")
                    .endControlFlow();
        }
        return code.addStatement("int n")
                .beginControlFlow("if ($L(n = $L[cls]) > 0)", midOnly(plan), COUNTS)
                .add(FrontEnd.tinySpares(plan.config()) ? StatsTemplate.countOf(plan, "cls", "HIT")
                        : StatsTemplate.count(plan, Layer.MID, "HIT"))   // past midOnly's test, only a mid class
                .addStatement("$L[cls] = --n", COUNTS)
                .addStatement("p = $L", GuardTemplate.takeOut(plan, CodeBlock.of("$L[cls * $L + n]", SPARE, FrontEnd.SPARE_SLOTS)))
                .nextControlFlow("else")
                .add(ThreadListTemplate.popOrRefillOf(plan, "cls"))
                .endControlFlow()
                .build();
    }

    /**
     * The test that {@code cls} has UltraHot or HeapV2: its bit in a constant mask of tiny classes
     * (at most 31), which a mid class, whose index may pass 31, must not reach.
     */
    private static CodeBlock layered(Plan plan) {
        int mask = 0;
        for (int cls : plan.layeredCold()) {
            mask |= 1 << cls;
        }
        return CodeBlock.of("cls < $L && (0x$L >>> cls & 1) != 0", plan.config().tinyClasses().size(),
                Integer.toHexString(mask).toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * After the guard: a class with UltraHot or HeapV2 to its own code, out of line; any other class to
     * its spare magazine while it has room (none for a tiny class in state mode), else the thread list, as
     * the runtime's {@code freeCold} does.
     */
    static CodeBlock free(Plan plan) {
        CodeBlock.Builder code = CodeBlock.builder().addStatement("int n");
        if (!plan.layeredCold().isEmpty()) {
            code.beginControlFlow("if ($L)", layered(plan))
                    .addStatement("freeLayersCold(cls, address)")
                    .nextControlFlow("else if ($L(n = $L[cls]) < $L)", midOnly(plan), COUNTS, room(plan));
        } else {
            code.beginControlFlow("if ($L(n = $L[cls]) < $L)", midOnly(plan), COUNTS, room(plan));
        }
        return code
                .addStatement("$L[cls * $L + n] = address", SPARE, FrontEnd.SPARE_SLOTS)
                .addStatement("$L[cls] = n + 1", COUNTS)
                .nextControlFlow("else")
                .addStatement("listFree(cls, address)")
                .endControlFlow()
                .build();
    }

    /**
     * In state mode, the test that sends a tiny class past the spare magazines to its thread list, which
     * it has alone ({@link FrontEnd#tinySpares}): the tiny classes come first, so it is one compare with a
     * constant. Nothing in seal mode, where every class has its spare magazine.
     */
    private static String midOnly(Plan plan) {
        return FrontEnd.tinySpares(plan.config()) ? "" : "cls >= " + plan.config().tinyClasses().size() + " && ";
    }

    /**
     * The room of class {@code cls}'s spare magazine: the constant {@link FrontEnd#SPARE_SLOTS} where every
     * class has it (the largest mid class keeps them all), else the runtime's room per class.
     */
    private static String room(Plan plan) {
        return FrontEnd.spareSlots(plan.config().midMax()) == FrontEnd.SPARE_SLOTS
                ? Integer.toString(FrontEnd.SPARE_SLOTS) : ROOM + "[cls]";
    }
}
