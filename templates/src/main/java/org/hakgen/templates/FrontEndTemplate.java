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
 * layer templates, in one of two shapes the plan names. A chain build's {@code mallocLocal} and
 * {@code freeLocal} hold the hot classes' bodies inline (the dispatch, each layer's step, the guard) and
 * the other tiny classes' out of line; an indexed build's hold the size table and the indexed spare
 * magazines ({@link IndexedTemplate}), with the classes that have UltraHot or HeapV2 out of line.
 * Everything else stays in the runtime, out of line.
 */
public final class FrontEndTemplate {
    private FrontEndTemplate() {}

    public static TypeSpec cache(Plan plan) {
        TypeSpec.Builder type = TypeSpec.classBuilder(Names.cache(plan))
                .addModifiers(FINAL)
                .superclass(Names.FRONT_END)
                .addJavadoc(javadoc(plan));
        if (plan.indexed()) {
            return indexed(plan, type);
        }
        for (int cls : withConstants(plan)) {
            type.addField(DispatchTemplate.classConstant(plan, cls));
        }
        for (Magazine m : allMagazines(plan)) {
            type.addFields(m.fields());
        }
        type.addMethod(constructor());
        type.addMethod(malloc(plan));
        type.addMethod(free(plan));
        if (!plan.outOfLine().isEmpty()) {
            type.addMethod(mallocOther(plan));
            type.addMethod(freeOther(plan));
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

    /**
     * The indexed front end: the size table and the spare magazines for most classes, and for those with
     * UltraHot or HeapV2 their magazines and code as a chain build has them, reached out of line.
     */
    private static TypeSpec indexed(Plan plan, TypeSpec.Builder type) {
        List<Integer> layered = plan.layered();
        layered.forEach(cls -> type.addField(DispatchTemplate.classConstant(plan, cls)));
        type.addFields(IndexedTemplate.fields(plan));
        allMagazines(plan).stream().filter(m -> m.layer() != null).forEach(m -> type.addFields(m.fields()));
        type.addMethod(constructor())
                .addMethod(IndexedTemplate.malloc(plan, mallocLocal()).build())
                .addMethod(freeLocal().addCode(IndexedTemplate.free(plan)).build());
        if (!layered.isEmpty()) {
            type.addMethod(MethodSpec.methodBuilder("mallocLayersCold")
                    .addJavadoc("The classes with UltraHot or HeapV2: each layer in turn, then the thread list or a refill.\n")
                    .addModifiers(PRIVATE)
                    .returns(TypeName.LONG)
                    .addParameter(TypeName.INT, "cls")
                    .addStatement("long p")
                    .addCode(DispatchTemplate.perClass(plan, "cls", layered, cls -> mallocBody(plan, cls),
                            CodeBlock.builder().addStatement("throw new $T(\"class \" + cls + \" has no UltraHot or HeapV2\")",
                                    IllegalStateException.class).build()))
                    .addCode(GuardTemplate.handOut())
                    .build());
            type.addMethod(MethodSpec.methodBuilder("freeLayersCold")
                    .addJavadoc("The classes with UltraHot or HeapV2: the first layer with room, else the thread list.\n")
                    .addModifiers(PRIVATE)
                    .addParameter(TypeName.INT, "cls")
                    .addParameter(TypeName.LONG, "address")
                    .addCode(DispatchTemplate.free(plan, layered, cls -> freeBody(plan, cls), ThreadListTemplate.pushAny()))
                    .build());
        }
        MethodSpec topUp = RefillDrainTemplate.topUp(plan);
        if (topUp != null) {
            type.addMethod(topUp);
        }
        CodeBlock.Builder cached = CodeBlock.builder();
        if (layered.isEmpty()) {
            cached.add(IndexedTemplate.cached(plan));
        } else {
            cached.add("return switch (cls) {\n$>");
            for (int cls : layered) {
                cached.add("case $L -> $L;\n", Names.cls(plan, cls),
                        String.join(" + ", magazines(plan, cls).stream().map(Magazine::count).toList()));
            }
            cached.add("default -> $L;\n$<};\n", IndexedTemplate.cachedExpression(plan));
        }
        MethodSpec.Builder forget = forgetLayers();
        for (int cls : layered) {
            magazines(plan, cls).forEach(magazine -> forget.addStatement("$L = 0", magazine.count()));
        }
        return type
                .addMethod(layerMethod("flushLayers", TypeName.VOID)
                        .addCode(DispatchTemplate.perClass(plan, "cls", layered, cls -> eachMagazine(plan, cls, Magazine::flush)))
                        .addCode(IndexedTemplate.flush(plan)).build())
                .addMethod(layerMethod("cachedInLayers", TypeName.INT).addCode(cached.build()).build())
                .addMethod(layerMethod("forEachInLayers", TypeName.VOID).addParameter(LongConsumer.class, "sink")
                        .addCode(DispatchTemplate.perClass(plan, "cls", layered, cls -> eachMagazine(plan, cls, Magazine::forEach)))
                        .addCode(IndexedTemplate.forEach(plan)).build())
                .addMethod(forget.addCode(IndexedTemplate.forget()).build())
                .build();
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
    private static MethodSpec.Builder freeLocal() {
        return MethodSpec.methodBuilder("freeLocal")
                .addAnnotation(Override.class)
                .addModifiers(PUBLIC)
                .addParameter(TypeName.LONG, "address")
                .addCode(GuardTemplate.release());
    }

    private static MethodSpec.Builder forgetLayers() {
        return MethodSpec.methodBuilder("forgetLayers")
                .addAnnotation(Override.class)
                .addModifiers(PROTECTED);
    }

    static MethodSpec malloc(Plan plan) {
        MethodSpec.Builder m = mallocLocal();
        String fallback = plan.outOfLine().isEmpty() ? "mallocCold" : "mallocOtherCold";
        if (plan.dispatch().isEmpty()) {
            return m.addStatement("return $L(size)", fallback).build();
        }
        return mallocBodies(m, plan, plan.dispatch(), fallback);
    }

    /** The tiny classes without an inline body, out of line. */
    static MethodSpec mallocOther(Plan plan) {
        MethodSpec.Builder m = MethodSpec.methodBuilder("mallocOtherCold")
                .addJavadoc("Tiny classes without a body in {@code mallocLocal}: too cold, or beyond its inline budget.\n")
                .addModifiers(PRIVATE)
                .returns(TypeName.LONG)
                .addParameter(TypeName.LONG, "size");
        return mallocBodies(m, plan, plan.outOfLine(), "mallocCold");
    }

    /** The dispatch over {@code classes} with each class's body, then the hand-out of the block. */
    private static MethodSpec mallocBodies(MethodSpec.Builder m, Plan plan, List<Integer> classes, String fallback) {
        return m.addStatement("long p")
                .addCode(DispatchTemplate.malloc(plan, classes, cls -> mallocBody(plan, cls), fallback))
                .addCode(GuardTemplate.handOut())
                .build();
    }

    /**
     * The magazines of tiny class {@code cls}, in the order malloc tries them: UltraHot's, then HeapV2's,
     * or for a class with neither its spare one.
     */
    static List<Magazine> magazines(Plan plan, int cls) {
        List<Magazine> ms = new ArrayList<>();
        if (plan.ultraHot(cls)) {
            ms.add(UltraHotTemplate.magazine(plan, cls));
        }
        if (plan.heapV2(cls)) {
            ms.add(HeapV2Template.magazine(plan, cls));
        }
        if (plan.spare(cls)) {
            ms.add(SpareTemplate.magazine(plan, cls));
        }
        return ms;
    }

    /** Every magazine of the build, layer by layer: the order of the fields. */
    private static List<Magazine> allMagazines(Plan plan) {
        List<Magazine> ms = new ArrayList<>();
        plan.ultraHotClasses().forEach(cls -> ms.add(UltraHotTemplate.magazine(plan, cls)));
        plan.heapV2Classes().forEach(cls -> ms.add(HeapV2Template.magazine(plan, cls)));
        plan.magazineClasses().stream().filter(plan::spare).forEach(cls -> ms.add(SpareTemplate.magazine(plan, cls)));
        return ms;
    }

    /** One class's malloc: each layer in turn, then the thread list or a refill. */
    static CodeBlock mallocBody(Plan plan, int cls) {
        List<Step> steps = magazines(plan, cls).stream().map(Magazine::pop).toList();
        return Step.chain(steps, ThreadListTemplate.popOrRefill(plan, cls));
    }

    static MethodSpec free(Plan plan) {
        CodeBlock fallback = plan.outOfLine().isEmpty() ? ThreadListTemplate.pushAny()
                : CodeBlock.builder().addStatement("freeOtherCold(cls, address)").build();
        return freeLocal()
                .addCode(DispatchTemplate.free(plan, plan.dispatch(), cls -> freeBody(plan, cls), fallback))
                .build();
    }

    static MethodSpec freeOther(Plan plan) {
        return MethodSpec.methodBuilder("freeOtherCold")
                .addJavadoc("Tiny classes without a body in {@code freeLocal}: too cold, or beyond its inline budget.\n")
                .addModifiers(PRIVATE)
                .addParameter(TypeName.INT, "cls")
                .addParameter(TypeName.LONG, "address")
                .addCode(DispatchTemplate.free(plan, plan.outOfLine(), c -> freeBody(plan, c), ThreadListTemplate.pushAny()))
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

    static MethodSpec flushLayers(Plan plan) {
        return layerMethod("flushLayers", TypeName.VOID)
                .addCode(DispatchTemplate.perClass(plan, "cls", plan.magazineClasses(), cls -> eachMagazine(plan, cls,
                        Magazine::flush)))
                .build();
    }

    /** {@code code} of each of the class's magazines, in turn. */
    private static CodeBlock eachMagazine(Plan plan, int cls, Function<Magazine, CodeBlock> code) {
        return magazines(plan, cls).stream().map(code).collect(CodeBlock.joining(""));
    }

    static MethodSpec cachedInLayers(Plan plan) {
        CodeBlock.Builder code = CodeBlock.builder().add("return switch (cls) {\n$>");
        for (int cls : plan.magazineClasses()) {
            List<String> counts = magazines(plan, cls).stream().map(Magazine::count).toList();
            code.add("case $L -> $L;\n", Names.cls(plan, cls), String.join(" + ", counts));
        }
        code.add("default -> 0;\n$<};\n");
        return layerMethod("cachedInLayers", TypeName.INT).addCode(code.build()).build();
    }

    static MethodSpec forEachInLayers(Plan plan) {
        return layerMethod("forEachInLayers", TypeName.VOID)
                .addParameter(LongConsumer.class, "sink")
                .addCode(DispatchTemplate.perClass(plan, "cls", plan.magazineClasses(), cls -> eachMagazine(plan, cls,
                        Magazine::forEach)))
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

    /** Classes the code names: those of the dispatch and those with a magazine, ascending. */
    private static List<Integer> withConstants(Plan plan) {
        return java.util.stream.Stream.concat(plan.dispatch().stream(), plan.magazineClasses().stream())
                .distinct().sorted().toList();
    }

    private static CodeBlock javadoc(Plan plan) {
        CodeBlock.Builder doc = CodeBlock.builder()
                .add("The front end of the $L build: $L\n\n", plan.profile(), plan.sentence());
        if (plan.indexed()) {
            doc.add("<p>No class dominates, so {@code mallocLocal} tests no size ranges: a table gives the request's class,\n"
                    + "which indexes the spare magazines ($L slots each) → thread list → refill$L. Shares of allocations:\n<ul>\n",
                    FrontEnd.SPARE_SLOTS, plan.layered().isEmpty() ? ""
                            : ";\na class with UltraHot or HeapV2 goes out of line to its own layers ({@code mallocLayersCold})");
            for (int cls : plan.magazineClasses()) {
                doc.add("  <li>$L B: $L$L</li>\n", plan.size(cls), DispatchTemplate.percent(plan.shares().get(cls)),
                        plan.spare(cls) ? "" : ": " + String.join(" → ", layersOf(plan, cls)));
            }
            return doc.add(otherSizes(plan)).build();
        }
        doc.add("<p>Per class, what {@code mallocLocal} tries in turn (the dispatch tests them in this order):\n<ul>\n");
        for (int cls : plan.dispatch()) {
            doc.add("  <li>$L B, $L of allocations: $L</li>\n", plan.size(cls),
                    DispatchTemplate.percent(plan.shares().get(cls)), String.join(" → ", layersOf(plan, cls)));
        }
        for (int cls : plan.outOfLine()) {
            doc.add("  <li>$L B, $L of allocations: $L, out of line in {@code mallocOtherCold}</li>\n",
                    plan.size(cls), DispatchTemplate.percent(plan.shares().get(cls)),
                    plan.spare(cls) ? "spare magazine (" + FrontEnd.SPARE_SLOTS + " slots) → thread list → refill"
                            : "the same layers");
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
                .add("  <li>every other size: the runtime's {@code mallocCold} (mid classes: the thread list; large: a mapping)</li>\n</ul>\n")
                .add("Statistics: $L. Drain every $L frees onto the thread lists.\n",
                        plan.config().stats().isEmpty() ? "none" : plan.config().stats(), plan.config().drainInterval())
                .build();
    }
}
