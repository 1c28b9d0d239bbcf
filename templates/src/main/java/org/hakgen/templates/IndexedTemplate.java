package org.hakgen.templates;

import java.util.ArrayList;
import java.util.List;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import org.hakgen.runtime.FrontEnd;
import org.hakgen.runtime.HakConfig.Layer;

import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.STATIC;

/**
 * The indexed front end, for a mix that no class dominates: a size table gives the class, and the class
 * indexes one array of spare magazines ({@link FrontEnd#SPARE_SLOTS} slots each) and one of their counts.
 * Its malloc has one unpredictable load where a chain of size tests has an unpredictable branch per
 * class tested: on random-mixed (16–1040 B, uniform) the chain over the same spare magazines measured
 * 19.6 ± 1.2 ns per free+malloc against 11.7 ± 1.3 indexed, and the generic build 16.8 ± 5.5.
 * The blocks it hands out and takes back are exactly the generic build's: the same magazine, the same
 * order, the same thread list behind it. Where one or two classes dominate, the chain wins (their test
 * is nearly always taken, and each has a magazine of its own), so the planner picks this only where
 * the two hottest classes take less than 85% of allocations.
 *
 * <p>The table serves the classes without an inline body: in front of it, an indexed build's dispatch
 * tests the few classes the planner gives a body of their own (16 and 32 B, which the generic build
 * serves by name). Classes with UltraHot or HeapV2 (which a profile can name on any mix) and no inline
 * body keep their magazines and their code, the same as in a chain build: a test of the class against
 * a constant mask sends them to {@code mallocLayersCold} and {@code freeLayersCold}, out of line.
 */
final class IndexedTemplate {
    static final String CLASS_OF = "CLASS_OF", MAGAZINES = "magazines", COUNTS = "counts";
    /** Table entries per line of the generated {@code CLASS_OF}: 128 bytes of request sizes. */
    private static final int PER_LINE = 16;

    private IndexedTemplate() {}

    /** The size table and the magazines. */
    static List<FieldSpec> fields(Plan plan) {
        int classes = plan.config().tinyClasses().size(), slots = FrontEnd.SPARE_SLOTS;
        return List.of(
                FieldSpec.builder(ArrayTypeName.of(TypeName.BYTE), CLASS_OF, PRIVATE, STATIC, FINAL)
                        .addJavadoc("The class of a request of {@code size} bytes, 0 … $L: "
                                + "{@code CLASS_OF[(size + 7) >>> 3]}, as the runtime maps it.\n", plan.tinyMax())
                        .initializer(table(plan))
                        .build(),
                FieldSpec.builder(ArrayTypeName.of(TypeName.LONG), MAGAZINES, PRIVATE, FINAL)
                        .addJavadoc("The spare magazines of the $L tiny classes, $L slots each: class {@code cls}'s "
                                + "at {@code cls * $L}.\n", classes, slots, slots)
                        .initializer("new long[$L]", classes * slots)
                        .build(),
                FieldSpec.builder(ArrayTypeName.of(TypeName.INT), COUNTS, PRIVATE, FINAL)
                        .addJavadoc("Blocks in each class's spare magazine.\n")
                        .initializer("new int[$L]", classes)
                        .build());
    }

    private static CodeBlock table(Plan plan) {
        int entries = plan.tinyMax() / 8 + 1;
        CodeBlock.Builder code = CodeBlock.builder().add("{\n$>");
        for (int line = 0; line < entries; line += PER_LINE) {
            List<String> row = new ArrayList<>();
            for (int i = line; i < Math.min(entries, line + PER_LINE); i++) {
                row.add(Integer.toString(plan.classOf(i * 8)));
            }
            int last = Math.min(entries, line + PER_LINE) - 1;
            code.add("$L,   // $L–$L B\n", String.join(", ", row), Math.max(0, line * 8 - 7), last * 8);
        }
        return code.add("$<}").build();
    }

    /**
     * The size table's malloc, for the classes without an inline body: leaves the block in {@code p},
     * or returns it for a size beyond the tiny classes and for a class with UltraHot or HeapV2.
     */
    static CodeBlock malloc(Plan plan) {
        CodeBlock.Builder code = CodeBlock.builder()
                .beginControlFlow("if (size > $L || size < 0)", plan.tinyMax())
                .addStatement("return mallocCold(size)")
                .endControlFlow()
                .addStatement("int cls = $L[(int) ((size + 7) >>> 3)]", CLASS_OF);
        if (!plan.layeredCold().isEmpty()) {
            code.beginControlFlow("if (($L >>> cls & 1) != 0)", mask(plan))
                    .add("// $L B: UltraHot or HeapV2\n", plan.layeredCold().stream().map(plan::size).map(String::valueOf)
                            .collect(java.util.stream.Collectors.joining(", ")))
                    .addStatement("return mallocLayersCold(cls)")
                    .endControlFlow();
        }
        return code.addStatement("int n = $L[cls]", COUNTS)
                .beginControlFlow("if (n > 0)")
                .add(StatsTemplate.count(plan, Layer.THREAD_LIST, "HIT"))
                .addStatement("$L[cls] = --n", COUNTS)
                .addStatement("p = $L[cls * $L + n]", MAGAZINES, FrontEnd.SPARE_SLOTS)
                .nextControlFlow("else")
                .add(ThreadListTemplate.popOrRefill(plan, "cls"))
                .endControlFlow()
                .build();
    }

    /** The bit of each class with UltraHot or HeapV2, as a Java literal. */
    private static String mask(Plan plan) {
        int mask = 0;
        for (int cls : plan.layeredCold()) {
            mask |= 1 << cls;
        }
        return "0x" + Integer.toHexString(mask).toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * After the guard: a mid class to the runtime's {@code freeCold}; a class with UltraHot or HeapV2 to
     * its own code, out of line; any other tiny class to its spare magazine while it has room, else the
     * thread list.
     */
    static CodeBlock free(Plan plan) {
        int classes = plan.config().tinyClasses().size(), slots = FrontEnd.SPARE_SLOTS;
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("int n")
                .beginControlFlow("if (cls >= $L)", classes)
                .add(ThreadListTemplate.freeMid());
        if (!plan.layeredCold().isEmpty()) {
            code.nextControlFlow("else if (($L >>> cls & 1) != 0)", mask(plan))
                    .addStatement("freeLayersCold(cls, address)");
        }
        return code
                .nextControlFlow("else if ((n = $L[cls]) < $L)", COUNTS, slots)
                .addStatement("$L[cls * $L + n] = address", MAGAZINES, slots)
                .addStatement("$L[cls] = n + 1", COUNTS)
                .nextControlFlow("else")
                .addStatement("listFree(cls, address)")
                .endControlFlow()
                .build();
    }

    /** Whether the build has the size table: some tiny class has no inline body. */
    static boolean hasTable(Plan plan) {
        return !plan.outOfLine().isEmpty();
    }

    /** The layer methods' part for the table's magazines (this and the three below): nothing without a table. */
    static CodeBlock flush(Plan plan) {
        return tinyOnly(plan, CodeBlock.builder()
                .beginControlFlow("while ($L[cls] > 0)", COUNTS)
                .addStatement("listPush(cls, $L[cls * $L + --$L[cls]])", MAGAZINES, FrontEnd.SPARE_SLOTS, COUNTS)
                .endControlFlow()
                .build());
    }

    /** The blocks in the spare magazine of class {@code cls}, as an expression: none for a mid class. */
    static CodeBlock cached(Plan plan) {
        return hasTable(plan) ? CodeBlock.of("cls < $L ? $L[cls] : 0", plan.config().tinyClasses().size(), COUNTS)
                : CodeBlock.of("0");
    }

    static CodeBlock forEach(Plan plan) {
        return tinyOnly(plan, CodeBlock.builder()
                .beginControlFlow("for (int k = 0; k < $L[cls]; k++)", COUNTS)
                .addStatement("sink.accept($L[cls * $L + k])", MAGAZINES, FrontEnd.SPARE_SLOTS)
                .endControlFlow()
                .build());
    }

    static CodeBlock forget(Plan plan) {
        return hasTable(plan) ? CodeBlock.builder().addStatement("$T.fill($L, 0)", java.util.Arrays.class, COUNTS).build()
                : CodeBlock.builder().build();
    }

    private static CodeBlock tinyOnly(Plan plan, CodeBlock body) {
        if (!hasTable(plan)) {
            return CodeBlock.builder().build();
        }
        return CodeBlock.builder()
                .beginControlFlow("if (cls < $L)", plan.config().tinyClasses().size())
                .add(body)
                .endControlFlow()
                .build();
    }
}
