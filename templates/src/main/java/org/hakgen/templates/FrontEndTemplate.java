package org.hakgen.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongConsumer;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import org.hakgen.runtime.FrontEnd;
import org.hakgen.runtime.HakConfig.Layer;

import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.PROTECTED;
import static javax.lang.model.element.Modifier.PUBLIC;

/**
 * The build's front end: one class extending the runtime's {@code FrontEnd}, put together from the
 * layer templates, in one of two shapes the plan names. Both hold the inline classes' bodies in
 * {@code mallocLocal} and {@code freeLocal} (the dispatch, each layer's step, the guard). For the other
 * tiny classes and the mid classes a chain build calls out of line; an indexed build goes on inline to
 * the size table and the runtime's spare magazines ({@link IndexedTemplate}), with the classes that have
 * UltraHot or HeapV2 out of line. Everything else stays in the runtime, out of line.
 */
public final class FrontEndTemplate {
    private FrontEndTemplate() {}

    public static TypeSpec cache(Plan plan) {
        TypeSpec.Builder type = TypeSpec.classBuilder(Names.cache(plan))
                .addModifiers(FINAL)
                .superclass(Names.FRONT_END)
                .addJavadoc(javadoc(plan));
        for (int cls : named(plan)) {
            type.addField(DispatchTemplate.classConstant(plan, cls));
        }
        type.addField(IndexedTemplate.table(plan));
        for (Magazine m : allMagazines(plan)) {
            type.addFields(m.fields());
        }
        type.addMethod(constructor());
        type.addMethod(malloc(plan));
        type.addMethod(free(plan));
        if (!plan.indexed()) {
            type.addMethod(mallocOther(plan));
            type.addMethod(freeOther(plan));
        }
        if (!plan.layeredCold().isEmpty()) {
            type.addMethod(mallocLayers(plan));
            type.addMethod(freeLayers(plan));
        }
        MethodSpec topUp = RefillDrainTemplate.topUp(plan);
        if (topUp != null) {
            type.addMethod(topUp);
        }
        type.addMethod(flushLayers(plan));
        type.addMethod(cachedInLayers(plan));
        type.addMethod(forEachInLayers(plan));
        type.addMethod(forgetLayers(plan));
        return type.build();
    }

    private static MethodSpec constructor() {
        return MethodSpec.constructorBuilder()
                .addParameter(Names.BACKEND, "backend")
                .addParameter(Thread.class, "owner")
                .addStatement("super(backend, owner)")
                .build();
    }

    private static MethodSpec.Builder mallocLocal() {
        return MethodSpec.methodBuilder("mallocLocal")
                .addAnnotation(Override.class)
                .addModifiers(PUBLIC)
                .returns(TypeName.LONG)
                .addParameter(TypeName.LONG, "size");
    }

    /** {@code freeLocal} through the guard, which leaves the slab's class in {@code cls}. */
    private static MethodSpec.Builder freeLocal(Plan plan) {
        return MethodSpec.methodBuilder("freeLocal")
                .addAnnotation(Override.class)
                .addModifiers(PUBLIC)
                .addParameter(TypeName.LONG, "address")
                .addCode(GuardTemplate.release(plan));
    }

    private static MethodSpec.Builder forgetLayers() {
        return MethodSpec.methodBuilder("forgetLayers")
                .addAnnotation(Override.class)
                .addModifiers(PROTECTED);
    }

    /**
     * {@code mallocLocal}: the inline classes' size tests, then for every other size a chain build's
     * {@code mallocOtherCold} or an indexed build's size table, and beyond the mid classes the runtime's
     * {@code mallocCold}.
     */
    static MethodSpec malloc(Plan plan) {
        CodeBlock others = plan.indexed() ? IndexedTemplate.malloc(plan)
                : CodeBlock.builder().addStatement("return mallocOtherCold(size)").build();
        return mallocLocal().addStatement("long p")
                .addCode(DispatchTemplate.malloc(plan, plan.dispatch(), cls -> mallocBody(plan, cls), others))
                .addCode(GuardTemplate.mallocEnd(plan))
                .build();
    }

    /** A chain build's tiny classes without an inline body, and mid classes: the size table, as in an indexed build. */
    static MethodSpec mallocOther(Plan plan) {
        return MethodSpec.methodBuilder("mallocOtherCold")
                .addJavadoc("Tiny classes without a body in {@code mallocLocal} (too cold, or beyond its inline budget), and mid classes.\n")
                .addModifiers(PRIVATE)
                .returns(TypeName.LONG)
                .addParameter(TypeName.LONG, "size")
                .addStatement("long p")
                .addCode(IndexedTemplate.malloc(plan))
                .addCode(GuardTemplate.mallocEnd(plan))
                .build();
    }

    /** The out-of-line classes with UltraHot or HeapV2, behind the size table's mask test. */
    static MethodSpec mallocLayers(Plan plan) {
        return MethodSpec.methodBuilder("mallocLayersCold")
                .addJavadoc("Classes with UltraHot or HeapV2 and no inline body: each layer in turn, then the thread list or a refill.\n")
                .addModifiers(PRIVATE)
                .returns(TypeName.LONG)
                .addParameter(TypeName.INT, "cls")
                .addStatement("long p")
                .addCode(DispatchTemplate.perClass(plan, "cls", plan.layeredCold(), cls -> mallocBody(plan, cls), noLayers()))
                .addCode(GuardTemplate.mallocEnd(plan))
                .build();
    }

    /** The layer methods' default: the mask test sends them no other class. */
    private static CodeBlock noLayers() {
        return CodeBlock.builder().addStatement("throw new $T(\"class \" + cls + \" has no UltraHot or HeapV2\")",
                IllegalStateException.class).build();
    }

    static MethodSpec freeLayers(Plan plan) {
        return MethodSpec.methodBuilder("freeLayersCold")
                .addJavadoc("Classes with UltraHot or HeapV2 and no inline body: the first layer with room, else the thread list.\n")
                .addModifiers(PRIVATE)
                .addParameter(TypeName.INT, "cls")
                .addParameter(TypeName.LONG, "address")
                .addCode(DispatchTemplate.free(plan, plan.layeredCold(), cls -> freeBody(plan, cls), noLayers()))
                .build();
    }

    /**
     * The named magazines of tiny class {@code cls}, in the order malloc tries them: UltraHot's, then
     * HeapV2's, or for an inline class with neither its spare one (seal mode only). Other classes' spare
     * magazines are the runtime's, indexed by class ({@link IndexedTemplate}).
     */
    static List<Magazine> magazines(Plan plan, int cls) {
        List<Magazine> ms = new ArrayList<>();
        if (plan.ultraHot(cls)) {
            ms.add(UltraHotTemplate.magazine(plan, cls));
        }
        if (plan.heapV2(cls)) {
            ms.add(HeapV2Template.magazine(plan, cls));
        }
        if (plan.spare(cls) && plan.dispatch().contains(cls)) {
            ms.add(SpareTemplate.magazine(plan, cls));
        }
        return ms;
    }

    /** Classes with named magazines and code of their own, ascending: the inline ones and the layered cold ones. */
    private static List<Integer> named(Plan plan) {
        return java.util.stream.Stream.concat(plan.dispatch().stream(), plan.layeredCold().stream()).sorted().toList();
    }

    /** The named classes that have a magazine of their own (in state mode an inline class may have none). */
    private static List<Integer> withMagazines(Plan plan) {
        return named(plan).stream().filter(cls -> !magazines(plan, cls).isEmpty()).toList();
    }

    /** Every named magazine of the build, layer by layer: the order of the fields. */
    private static List<Magazine> allMagazines(Plan plan) {
        List<Magazine> ms = new ArrayList<>();
        plan.ultraHotClasses().forEach(cls -> ms.add(UltraHotTemplate.magazine(plan, cls)));
        plan.heapV2Classes().forEach(cls -> ms.add(HeapV2Template.magazine(plan, cls)));
        plan.dispatch().stream().sorted().filter(plan::spare).forEach(cls -> ms.add(SpareTemplate.magazine(plan, cls)));
        return ms;
    }

    /** One class's malloc: each layer in turn, then the thread list or a refill. */
    static CodeBlock mallocBody(Plan plan, int cls) {
        List<Step> steps = magazines(plan, cls).stream().map(Magazine::pop).toList();
        return Step.chain(steps, ThreadListTemplate.popOrRefill(plan, cls));
    }

    /**
     * {@code freeLocal}: a switch over the inline classes, then for every other class a chain build's
     * {@code freeOtherCold} or an indexed build's spare magazines.
     */
    static MethodSpec free(Plan plan) {
        CodeBlock fallback = plan.indexed() ? IndexedTemplate.free(plan)
                : CodeBlock.builder().addStatement("freeOtherCold(cls, address)").build();
        return freeLocal(plan)
                .addCode(DispatchTemplate.free(plan, plan.dispatch(), cls -> freeBody(plan, cls), fallback))
                .build();
    }

    static MethodSpec freeOther(Plan plan) {
        return MethodSpec.methodBuilder("freeOtherCold")
                .addJavadoc("Tiny classes without a body in {@code freeLocal}, and mid classes: as in an indexed build.\n")
                .addModifiers(PRIVATE)
                .addParameter(TypeName.INT, "cls")
                .addParameter(TypeName.LONG, "address")
                .addCode(IndexedTemplate.free(plan))
                .build();
    }

    /**
     * One class's free: the first layer with room takes the block, else the thread list. In leftover
     * mode HeapV2 takes no frees (a drain tops it up).
     */
    static CodeBlock freeBody(Plan plan, int cls) {
        List<Step> steps = magazines(plan, cls).stream()
                .filter(m -> m.layer() != Layer.HEAP_V2 || !plan.config().heapV2Leftover())
                .map(Magazine::push).toList();
        return Step.chain(steps, ThreadListTemplate.push(plan, cls));
    }

    /**
     * The named magazines of the class. The spare magazines the size table indexes are the runtime's,
     * which flushes, counts, checks and forgets them itself.
     */
    static MethodSpec flushLayers(Plan plan) {
        return layerMethod("flushLayers", TypeName.VOID)
                .addCode(DispatchTemplate.perClass(plan, "cls", withMagazines(plan), cls -> eachMagazine(plan, cls, Magazine::flush)))
                .build();
    }

    /** {@code code} of each of the class's magazines, in turn. */
    private static CodeBlock eachMagazine(Plan plan, int cls, Function<Magazine, CodeBlock> code) {
        return magazines(plan, cls).stream().map(code).collect(CodeBlock.joining(""));
    }

    static MethodSpec cachedInLayers(Plan plan) {
        if (withMagazines(plan).isEmpty()) {
            return layerMethod("cachedInLayers", TypeName.INT).addStatement("return 0").build();
        }
        CodeBlock.Builder code = CodeBlock.builder().add("return switch (cls) {\n$>");
        for (int cls : withMagazines(plan)) {
            List<String> counts = magazines(plan, cls).stream().map(Magazine::count).toList();
            code.add("case $L -> $L;\n", Names.cls(plan, cls), String.join(" + ", counts));
        }
        code.add("default -> 0;\n$<};\n");
        return layerMethod("cachedInLayers", TypeName.INT).addCode(code.build()).build();
    }

    static MethodSpec forEachInLayers(Plan plan) {
        return layerMethod("forEachInLayers", TypeName.VOID)
                .addParameter(LongConsumer.class, "sink")
                .addCode(DispatchTemplate.perClass(plan, "cls", withMagazines(plan), cls -> eachMagazine(plan, cls, Magazine::forEach)))
                .build();
    }

    static MethodSpec forgetLayers(Plan plan) {
        MethodSpec.Builder m = forgetLayers();
        for (Magazine magazine : allMagazines(plan)) {
            m.addStatement("$L = 0", magazine.count());
        }
        return m.build();
    }

    private static MethodSpec.Builder layerMethod(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name)
                .addAnnotation(Override.class)
                .addModifiers(PROTECTED)
                .returns(returns)
                .addParameter(TypeName.INT, "cls");
    }

    private static CodeBlock javadoc(Plan plan) {
        CodeBlock.Builder doc = CodeBlock.builder()
                .add("The front end of the $L build: $L\n\n", plan.profile(), plan.sentence());
        if (plan.indexed()) {
            doc.add("<p>No class dominates, so {@code mallocLocal} tests $L: a table gives the request's class,\n"
                    + "which indexes $L$L. Shares of allocations:\n<ul>\n",
                    plan.dispatch().isEmpty() ? "no size ranges" : "the ranges of " + plan.dispatch().stream()
                            .map(cls -> plan.size(cls) + " B").collect(java.util.stream.Collectors.joining(" and "))
                            + " first, with their bodies inline;\nfor every other size",
                    FrontEnd.tinySpares(plan.config())
                            ? "the spare magazines (" + FrontEnd.SPARE_SLOTS + " slots each) → thread list → refill"
                            : "the thread lists → refill (a tiny class has no magazine in front of its list)",
                    plan.layeredCold().isEmpty() ? ""
                            : ";\na class with UltraHot or HeapV2 goes out of line to its own layers ({@code mallocLayersCold})");
            for (int cls : plan.magazineClasses()) {
                doc.add("  <li>$L B: $L$L</li>\n", plan.size(cls), DispatchTemplate.percent(plan.shares().get(cls)),
                        plan.dispatch().contains(cls) ? ", inline: " + String.join(" → ", layersOf(plan, cls))
                        : plan.layered(cls) ? ": " + String.join(" → ", layersOf(plan, cls)) : "");
            }
            return doc.add(otherSizes(plan)).build();
        }
        doc.add("<p>Per class, what {@code mallocLocal} tries in turn (the dispatch tests them in this order):\n<ul>\n");
        for (int cls : plan.dispatch()) {
            doc.add("  <li>$L B, $L of allocations: $L</li>\n", plan.size(cls),
                    DispatchTemplate.percent(plan.shares().get(cls)), String.join(" → ", layersOf(plan, cls)));
        }
        for (int cls : plan.outOfLine()) {
            doc.add("  <li>$L B, $L of allocations: $L</li>\n", plan.size(cls), DispatchTemplate.percent(plan.shares().get(cls)),
                    plan.layered(cls) ? String.join(" → ", layersOf(plan, cls)) + ", out of line in {@code mallocLayersCold}"
                            : (plan.spare(cls) ? "its indexed spare magazine (" + FrontEnd.SPARE_SLOTS + " slots) → thread list"
                            : "its thread list") + " → refill, out of line in {@code mallocOtherCold}");
        }
        return doc.add(otherSizes(plan)).build();
    }

    /** What a malloc of class {@code cls} tries in turn, for the class comment. */
    private static List<String> layersOf(Plan plan, int cls) {
        List<String> layers = new ArrayList<>();
        if (plan.ultraHot(cls)) {
            layers.add("UltraHot (" + plan.config().ultraHotSlots() + " slots)");
        }
        if (plan.heapV2(cls)) {
            layers.add("HeapV2 (" + plan.config().heapV2SlotsOf(cls) + " slots"
                    + (plan.config().heapV2Leftover() ? ", leftover mode)" : ")"));
        }
        if (plan.spare(cls)) {
            layers.add("spare magazine (" + FrontEnd.SPARE_SLOTS + " slots)");
        }
        layers.add("thread list");
        layers.add("refill");
        return layers;
    }

    /** The end of the class comment: the sizes beyond the tiny classes, statistics and the drain. */
    private static CodeBlock otherSizes(Plan plan) {
        return CodeBlock.builder()
                .add("  <li>mid classes, up to $L B: the size table → spare magazine ($L slots$L) → thread list → refill$L</li>\n",
                        plan.config().midMax(), FrontEnd.SPARE_SLOTS,
                        FrontEnd.spareSlots(plan.config().midMax()) == FrontEnd.SPARE_SLOTS ? "" : ", fewer above 32 KiB",
                        plan.indexed() ? "" : ", out of line in {@code mallocOtherCold}")
                .add("  <li>larger sizes: the runtime's {@code mallocCold}, a mapping of their own</li>\n</ul>\n")
                .add("Statistics: $L. Drain every $L frees onto the thread lists.\n",
                        plan.config().stats().isEmpty() ? "none" : plan.config().stats(), plan.config().drainInterval())
                .build();
    }
}
