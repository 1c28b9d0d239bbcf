package org.hakgen.templates;

import com.palantir.javapoet.CodeBlock;

/**
 * The guard, inline on both paths, by arithmetic over the runtime's {@code SlabRange}: on free, a mask
 * test, the unit's tag and the block's state byte (and in seal mode its seal) turn a foreign, interior or
 * double free into the runtime's slow path, which names what the address is. A magazine holds only
 * blocks checked when they were freed (a Java array the program cannot write), and the runtime's thread
 * list checks each block before it follows the block's link, so malloc only undoes what free did.
 *
 * <p>The plan's {@code guardSeal} picks how free says "free": state mode marks the block's state byte
 * and malloc marks it back; seal mode writes a seal into the block's first word and malloc's
 * {@code handOutSealed} checks and clears it, so neither writes the state table, whose lines neighbouring
 * blocks share across threads.
 */
public final class GuardTemplate {
    private GuardTemplate() {}

    /**
     * The end of malloc: the block was handed out on its way, from a magazine by {@link #takeOut}, from
     * a thread list by {@code listPop} (which marks it allocated where its check found the state byte).
     */
    public static CodeBlock mallocEnd(Plan plan) {
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// The guard: magazines hold only blocks checked on free, and listPop checks each block\n");
        if (plan.config().guardSeal()) {
            code.add("// before following its link; handOutSealed took a magazine's seal off (and refuses a block without one).\n");
        } else {
            code.add("// before following its link, so on the way out a block only became allocated.\n");
        }
        return code.addStatement("return p").build();
    }

    /** {@code block}, taken from a magazine, handed out: marked allocated, or in seal mode its seal checked and cleared. */
    public static CodeBlock takeOut(Plan plan, CodeBlock block) {
        return CodeBlock.of(plan.config().guardSeal() ? "handOutSealed($L)" : "handOut($L)", block);
    }

    /**
     * The start of free: anything but an allocated small block of this allocator leaves through {@code freeSlow}.
     * In seal mode the seal is read before the state byte (the block is mapped once its unit's tag is this
     * allocator's): the other order ran larson's build at 17.72 ns per free+malloc of 64 B on one thread
     * against 10.01 in this order (state mode 10.30; 4 interleaved rounds, docs/results-log.md, "2026-12-03, evening").
     * Why the order matters is not known: every method was inlined in both.
     */
    public static CodeBlock release(Plan plan) {
        boolean seal = plan.config().guardSeal();
        CodeBlock.Builder code = CodeBlock.builder()
                .add("// The guard: a foreign, interior or double free leaves through freeSlow, which names it.\n")
                .addStatement("long off = $T.offset(address)", Names.SLAB_RANGE)
                .addStatement("int tag")
                .beginControlFlow("if ((off & $1T.MISS) != 0 || ((tag = $1T.tag(off)) & -256) != tagBase\n        || "
                        + (seal ? "$1T.sealed(address) || " : "") + "$1T.state(off) != $1T.ALLOCATED)", Names.SLAB_RANGE)
                .addStatement("freeSlow(address)")
                .addStatement("return")
                .endControlFlow();
        if (seal) {
            code.addStatement("$T.seal(address)", Names.SLAB_RANGE);
        } else {
            code.addStatement("$T.mark(off, $T.FREE)", Names.SLAB_RANGE, Names.SLAB_RANGE);
        }
        return code.addStatement("int cls = tag & 0xFF").build();
    }
}
