package org.hakgen.templates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import org.hakgen.runtime.HakConfig;
import org.hakgen.runtime.HakConfig.Layer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each template's output on one small plan, compared with a golden file under
 * {@code src/test/resources/golden}. After a deliberate change to a template, review the new output
 * and rewrite the golden files with {@code ./run-tests -pl templates -Dgolden.update=true}.
 *
 * <p>The plan: classes 16, 32 and 64 B; UltraHot on 16 B (2 slots); HeapV2 on 16 and 32 B (8 slots,
 * leftover mode); statistics for every layer, so every counter line shows.
 */
class GoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    static final Plan PLAN = new Plan("small", "ab".repeat(32), "a small plan for the golden tests",
            "com.example.small", "Small",
            HakConfig.defaults().toBuilder()
                    .tinyClasses(List.of(16, 32, 64))
                    .ultraHotSizes(List.of(16, 16)).ultraHotSlots(2)
                    .heapV2ClassMask(0b011).heapV2Slots(8).heapV2Leftover(true)
                    .drainInterval(64)
                    .stats(EnumSet.allOf(Layer.class))
                    .build(),
            List.of(0.6, 0.3, 0.1), List.of(0, 1, 2), false, "./hakgen generate --profile small");

    /** Classes 16, 32, 64 and 136 B, none dominant: neither UltraHot nor HeapV2, the indexed dispatch. */
    static final Plan INDEXED = new Plan("wide", "cd".repeat(32), "a wide plan for the golden tests",
            "com.example.wide", "Wide",
            HakConfig.defaults().toBuilder()
                    .tinyClasses(List.of(16, 32, 64, 136))
                    .ultraHot(false).heapV2(false)
                    .drainInterval(64)
                    .stats(EnumSet.allOf(Layer.class))
                    .build(),
            List.of(0.4, 0.3, 0.2, 0.1), List.of(), true, "./hakgen generate --profile wide");

    /** The wide plan with UltraHot on 16 B (2 slots) and HeapV2 on 16 and 64 B (8 slots, leftover mode). */
    static final Plan INDEXED_LAYERED = new Plan("wide", "cd".repeat(32), "a wide plan for the golden tests",
            "com.example.wide", "Wide",
            INDEXED.config().toBuilder()
                    .ultraHot(true).ultraHotSizes(List.of(16, 16)).ultraHotSlots(2)
                    .heapV2(true).heapV2ClassMask(0b0101).heapV2Slots(8).heapV2Leftover(true)
                    .build(),
            INDEXED.shares(), List.of(), true, "./hakgen generate --profile wide");

    @Test
    void dispatch() throws IOException {
        golden("dispatch.txt", DispatchTemplate.malloc(PLAN, PLAN.dispatch(), c -> CodeOf.of("// body of class " + c + "\n"),
                com.palantir.javapoet.CodeBlock.builder().addStatement("return mallocCold(size)").build())
                + "\n" + DispatchTemplate.classConstant(PLAN, 1));
    }

    @Test
    void ultraHot() throws IOException {
        golden("ultra-hot.txt", fields(UltraHotTemplate.magazine(PLAN, 0).fields()) + step(UltraHotTemplate.magazine(PLAN, 0).pop())
                + "\n" + step(UltraHotTemplate.magazine(PLAN, 0).push()) + "\n" + UltraHotTemplate.magazine(PLAN, 0).flush());
    }

    @Test
    void heapV2() throws IOException {
        golden("heap-v2.txt", fields(HeapV2Template.magazine(PLAN, 1).fields()) + step(HeapV2Template.magazine(PLAN, 1).pop())
                + "\n" + step(HeapV2Template.magazine(PLAN, 1).push()) + "\n" + HeapV2Template.topUp(PLAN, 1) + "\n"
                + HeapV2Template.magazine(PLAN, 1).flush());
    }

    @Test
    void threadList() throws IOException {
        golden("thread-list.txt", ThreadListTemplate.popOrRefill(PLAN, 2) + "\n" + ThreadListTemplate.push(PLAN, 2));
    }

    @Test
    void refillAndDrain() throws IOException {
        golden("refill-drain.txt", RefillDrainTemplate.refill(PLAN, 0) + "\n" + RefillDrainTemplate.topUp(PLAN));
    }

    @Test
    void stats() throws IOException {
        golden("stats.txt", StatsTemplate.count(PLAN, Layer.HEAP_V2, "MISS") + "\n"
                + StatsTemplate.count(PLAN.withoutStats(), Layer.HEAP_V2, "MISS") + "(nothing without statistics)\n");
    }

    @Test
    void guard() throws IOException {
        Plan sealed = new Plan("small", "ab".repeat(32), "a small plan for the golden tests", "com.example.small", "Small",
                PLAN.config().toBuilder().guardSeal(true).build(), PLAN.shares(), PLAN.dispatch(), false, PLAN.command());
        golden("guard.txt", GuardTemplate.mallocEnd(PLAN) + "\n" + GuardTemplate.release(PLAN)
                + "\n// seal mode\n" + GuardTemplate.mallocEnd(sealed) + "\n" + GuardTemplate.release(sealed));
    }

    @Test
    void frontEnd() throws IOException {
        golden("front-end.txt", FrontEndTemplate.cache(PLAN).toString());
    }

    /** The small plan with only 16 B inline: 32 B (HeapV2) and 64 B (spare) out of line, through the size table. */
    @Test
    void frontEndWithColdClasses() throws IOException {
        Plan plan = new Plan("small", "ab".repeat(32), "a small plan for the golden tests", "com.example.small", "Small",
                PLAN.config(), PLAN.shares(), List.of(0), false, "./hakgen generate --profile small");
        golden("front-end-cold-classes.txt", FrontEndTemplate.cache(plan).toString());
    }

    @Test
    void indexedFrontEnd() throws IOException {
        golden("indexed-front-end.txt", FrontEndTemplate.cache(INDEXED).toString());
    }

    @Test
    void indexedFrontEndWithLayers() throws IOException {
        golden("indexed-layered-front-end.txt", FrontEndTemplate.cache(INDEXED_LAYERED).toString());
    }

    /**
     * The layered wide plan with 16 B (UltraHot and HeapV2) and 32 B (a spare magazine) inline in front
     * of the size table; 64 B (HeapV2) out of line behind the mask test, 136 B in the table.
     */
    @Test
    void indexedFrontEndWithInlineClasses() throws IOException {
        Plan plan = new Plan("wide", "cd".repeat(32), "a wide plan for the golden tests", "com.example.wide", "Wide",
                INDEXED_LAYERED.config(), INDEXED.shares(), List.of(0, 1), true, "./hakgen generate --profile wide");
        golden("indexed-inline-front-end.txt", FrontEndTemplate.cache(plan).toString());
    }

    @Test
    void facade() throws IOException {
        golden("facade.txt", FacadeTemplate.allocator(PLAN).toString());
    }

    @Test
    void wholeBuildIsDeterministic() {
        assertEquals(BuildTemplate.files(PLAN).toString(), BuildTemplate.files(PLAN).toString());
    }

    /** A step as the chain writes it, with a placeholder for the next layer. */
    private static String step(Step step) {
        return Step.chain(List.of(step), CodeOf.of("// next layer\n")).toString();
    }

    private static String fields(List<com.palantir.javapoet.FieldSpec> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach(f -> b.append(f).append('\n'));
        return b.toString();
    }

    private static void golden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, actual);
            return;
        }
        String expected = Files.exists(file) ? Files.readString(file) : "(no golden file " + file + ")";
        assertEquals(expected, actual, name + " changed; if that is intended, review it and run "
                + "./run-tests -pl templates -Dgolden.update=true");
    }

    /** A code block from literal text. */
    private static final class CodeOf {
        static com.palantir.javapoet.CodeBlock of(String text) {
            return com.palantir.javapoet.CodeBlock.of("$L", text);
        }
    }
}
