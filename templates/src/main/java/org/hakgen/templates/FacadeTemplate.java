package org.hakgen.templates;

import java.util.List;
import java.util.stream.Collectors;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;

import org.hakgen.runtime.HakConfig;

import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PRIVATE;
import static javax.lang.model.element.Modifier.PROTECTED;
import static javax.lang.model.element.Modifier.PUBLIC;
import static javax.lang.model.element.Modifier.STATIC;

/**
 * The allocator facade: the build's public class. It extends the runtime's {@code AllocatorBase},
 * carries the configuration it was generated for, and sends malloc, free, calloc and realloc to its
 * own front end with a cast to the final class, so each call is direct.
 */
public final class FacadeTemplate {
    private FacadeTemplate() {}

    public static TypeSpec allocator(Plan plan) {
        ClassName cache = Names.cache(plan);
        TypeSpec.Builder type = TypeSpec.classBuilder(Names.allocator(plan))
                .addModifiers(PUBLIC, FINAL)
                .superclass(Names.ALLOCATOR_BASE)
                .addJavadoc("The $L build of hakgen's allocator: $L\n\n", plan.profile(), plan.sentence())
                .addJavadoc("<p>Use it as any {@code HakAllocator}; {@link #CONFIG} is what it was generated for, and\n")
                .addJavadoc("{@code Hakmem.generic(CONFIG)} behaves exactly the same, only slower.\n")
                .addField(FieldSpec.builder(Names.HAK_CONFIG, "CONFIG", PUBLIC, STATIC, FINAL)
                        .addJavadoc("The knobs folded into this build.\n")
                        .initializer(config(plan.config()))
                        .build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(PUBLIC)
                        .addJavadoc("An allocator with no memory limit.\n")
                        .addStatement("this($T.MAX_VALUE)", Long.class)
                        .build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(PUBLIC)
                        .addJavadoc("An allocator that maps at most {@code memoryLimit} bytes from the OS.\n")
                        .addParameter(TypeName.LONG, "memoryLimit")
                        .addStatement("super(CONFIG.withMemoryLimit(memoryLimit))")
                        .build())
                .addMethod(MethodSpec.methodBuilder("newCache")
                        .addAnnotation(Override.class)
                        .addModifiers(PROTECTED)
                        .returns(Names.FRONT_END)
                        .addParameter(Names.BACKEND, "backend")
                        .addParameter(Thread.class, "owner")
                        .addStatement("return new $T(backend, owner)", cache)
                        .build())
                .addMethod(MethodSpec.methodBuilder("heap")
                        .addModifiers(PRIVATE)
                        .returns(cache)
                        .addStatement("return ($T) cache()", cache)
                        .build());
        type.addMethod(delegate("malloc", TypeName.LONG, "mallocLocal", "size"));
        type.addMethod(delegate("free", TypeName.VOID, "freeLocal", "address"));
        type.addMethod(delegate("calloc", TypeName.LONG, "callocLocal", "count", "size"));
        type.addMethod(delegate("realloc", TypeName.LONG, "reallocLocal", "address", "newSize"));
        return type.build();
    }

    private static MethodSpec delegate(String name, TypeName returns, String target, String... params) {
        MethodSpec.Builder m = MethodSpec.methodBuilder(name)
                .addAnnotation(Override.class)
                .addModifiers(PUBLIC)
                .returns(returns);
        for (String p : params) {
            m.addParameter(TypeName.LONG, p);
        }
        String args = String.join(", ", params);
        return returns == TypeName.VOID
                ? m.addStatement("heap().$L($L)", target, args).build()
                : m.addStatement("return heap().$L($L)", target, args).build();
    }

    /** The configuration as a builder chain over hakmem's defaults, one knob per line. */
    static CodeBlock config(HakConfig c) {
        CodeBlock.Builder code = CodeBlock.builder().add("$T.defaults().toBuilder()$>$>\n", Names.HAK_CONFIG)
                .add(".tinyClasses($T.of($L))\n", List.class, join(c.tinyClasses()))
                .add(".ultraHot($L)\n", c.ultraHot())
                .add(".ultraHotSizes($T.of($L))\n", List.class, join(c.ultraHotSizes()))
                .add(".ultraHotSlots($L)\n", c.ultraHotSlots())
                .add(".heapV2($L)\n", c.heapV2())
                .add(".heapV2ClassMask(0x$L)\n", Integer.toHexString(c.heapV2ClassMask()).toUpperCase(java.util.Locale.ROOT))
                .add(".heapV2Leftover($L)\n", c.heapV2Leftover())
                .add(".heapV2Slots($L)\n", c.heapV2Slots());
        if (!c.heapV2ClassSlots().isEmpty()) {
            code.add(".heapV2ClassSlots($T.ofEntries($L))\n", java.util.Map.class,
                    new java.util.TreeMap<>(c.heapV2ClassSlots()).entrySet().stream()
                            .map(e -> CodeBlock.of("$T.entry($L, $L)", java.util.Map.class, e.getKey(), e.getValue()))
                            .collect(CodeBlock.joining(", ")));
        }
        if (c.midMax() != HakConfig.MID_MAX_DEFAULT) {
            code.add(".midMax($L)\n", c.midMax());
        }
        code.add(".drainInterval($L)\n", c.drainInterval());
        if (c.stats().isEmpty()) {
            code.add(".stats($T.of())\n", java.util.Set.class);
        } else {
            code.add(".stats($T.of($L))\n", java.util.Set.class, c.stats().stream()
                    .map(l -> CodeBlock.of("$T.$L", Names.LAYER, l.name()))
                    .collect(CodeBlock.joining(", ")));
        }
        return code.add(".guardMincore($L)\n", c.guardMincore())
                .add(".guardLog($L)\n", c.guardLog())
                .add(".guardSeal($L)\n", c.guardSeal())
                .add(".chunkReserve($L)\n", c.chunkReserve())
                .add(".build()$<$<")
                .build();
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
