package org.hakgen.templates;

import com.palantir.javapoet.CodeBlock;

/**
 * The guard, inline on both paths, by arithmetic over the runtime's {@code SlabRange}: on free, a mask
 * test, the unit's tag and the block's state byte turn a foreign, interior or double free into the
 * runtime's slow path, which names what the address is; on malloc the block is only marked allocated:
 * a magazine holds blocks checked when they were freed (and a Java array cannot be written by the
 * program), and the runtime's thread list checks each block before it follows the block's link.
 */
public final class GuardTemplate {
    private GuardTemplate() {}

    /** The end of malloc: the block, from a magazine or a checked thread list, becomes allocated. */
    public static CodeBlock handOut() {
        return CodeBlock.builder()
                .add("// The guard: magazines hold only blocks checked on free, and listPop checks each block\n")
                .add("// before following its link, so here the block only becomes allocated.\n")
                .addStatement("return handOut(p)")
                .build();
    }

    /** The start of free: anything but an allocated small block of this allocator leaves through {@code freeSlow}. */
    public static CodeBlock release() {
        return CodeBlock.builder()
                .add("// The guard: a foreign, interior or double free leaves through freeSlow, which names it.\n")
                .addStatement("long off = $T.offset(address)", Names.SLAB_RANGE)
                .addStatement("int tag")
                .beginControlFlow("if ((off & $1T.MISS) != 0 || ((tag = $1T.tag(off)) & -256) != tagBase\n        || $1T.state(off) != $1T.ALLOCATED)",
                        Names.SLAB_RANGE)
                .addStatement("freeSlow(address)")
                .addStatement("return")
                .endControlFlow()
                .addStatement("$T.mark(off, $T.FREE)", Names.SLAB_RANGE, Names.SLAB_RANGE)
                .addStatement("int cls = tag & 0xFF")
                .build();
    }
}
