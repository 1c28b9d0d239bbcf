package org.hakgen.templates;

import com.palantir.javapoet.CodeBlock;

/**
 * The guard, inline on both paths: a slab-map lookup and the block's state byte. On malloc it checks
 * that the cached block is a free block of its class (a block written after free is reported, not
 * followed); on free it turns a foreign, interior or double free into the runtime's slow path, which
 * names what the address is.
 */
public final class GuardTemplate {
    private GuardTemplate() {}

    /** The end of malloc: {@code p} must be a free block of class {@code cls}; it becomes allocated. */
    public static CodeBlock claim() {
        return CodeBlock.builder()
                .add("// The guard: p must be a free block of its class; a block written after free stops here.\n")
                .addStatement("$T s = map.lookup(p)", Names.SLAB)
                .addStatement("int i")
                .beginControlFlow("if (s == null || s.cls != cls || (i = s.indexOf(p)) < 0 || s.state[i] != $T.FREE)", Names.SLAB)
                .addStatement("throw corruptedSlow(p, cls)")
                .endControlFlow()
                .addStatement("s.state[i] = $T.ALLOCATED", Names.SLAB)
                .addStatement("return p")
                .build();
    }

    /** The start of free: anything but an allocated small block leaves through {@code freeSlow}. */
    public static CodeBlock release() {
        return CodeBlock.builder()
                .add("// The guard: a foreign, interior or double free leaves through freeSlow, which names it.\n")
                .addStatement("$T s = map.lookup(address)", Names.SLAB)
                .addStatement("int i")
                .beginControlFlow("if (s == null || (i = s.indexOf(address)) < 0 || s.state[i] != $T.ALLOCATED)", Names.SLAB)
                .addStatement("freeSlow(address, s)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("s.state[i] = $T.FREE", Names.SLAB)
                .addStatement("int cls = s.cls")
                .build();
    }
}
