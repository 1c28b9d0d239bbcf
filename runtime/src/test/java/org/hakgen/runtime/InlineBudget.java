package org.hakgen.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.attribute.CodeAttribute;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a front end's compiled fast paths ({@code mallocLocal}, {@code freeLocal}) and lists what would
 * keep HotSpot from inlining them whole or would leave a knob read at run time:
 * <ul>
 *   <li>each fast path is at most {@value #FREQ_INLINE_SIZE} bytecode bytes (FreqInlineSize);</li>
 *   <li>it reads no flag: no {@code boolean} field, nothing of {@link HakConfig};</li>
 *   <li>every method it calls is either out of line on purpose (its name ends in {@code Slow} or
 *       {@code Cold}), a thread-list miss path ({@link #MISS_PATHS}), or at most {@value #MAX_INLINE_SIZE}
 *       bytes (MaxInlineSize), and so are the methods those call, down to the JDK (whose methods here are
 *       intrinsics or trivially small);</li>
 *   <li>each thread-list miss path it reaches is above MaxInlineSize, so that where a magazine misses
 *       now and then C2 keeps it a call instead of spending the compilation's node budget on its native
 *       accesses (see {@code FrontEnd.listPop});</li>
 *   <li>no native access ({@code MemorySegment.get} or {@code set}) lies more than {@value #MAX_NATIVE_DEPTH}
 *       of hakgen's methods below the fast path: each access is about ten levels of force-inlined JDK
 *       methods over one plain one, which C2 refuses past its inlining depth. The pop of a class whose
 *       thread list is its whole cache (tiny classes in state mode) once read the block through five
 *       methods (listPop, unlink, next, isFree, tag) and ran 29 ns per op instead of 20 (issue 4); two
 *       (listPop, tag) inline whole.</li>
 * </ul>
 */
public final class InlineBudget {
    public static final int FREQ_INLINE_SIZE = 325;
    public static final int MAX_INLINE_SIZE = 35;
    /** The most of hakgen's methods a native access may lie below a fast path (the list's pop: listPop, SlabRange.tag). */
    public static final int MAX_NATIVE_DEPTH = 2;
    /** The thread list's pop and free, which a fast path reaches only when a magazine misses. */
    static final List<String> MISS_PATHS = List.of("org.hakgen.runtime.FrontEnd.listPop",
            "org.hakgen.runtime.FrontEnd.listFree");

    private InlineBudget() {}

    /**
     * The violations in {@code cacheClass}'s fast paths; empty when there is none. {@code classBytes}
     * gives a class file by binary name, or null to look on the class path.
     */
    public static List<String> violations(String cacheClass, Function<String, byte[]> classBytes) {
        List<String> problems = new ArrayList<>();
        ClassModel model = parse(cacheClass, classBytes);
        for (String name : List.of("mallocLocal", "freeLocal")) {
            MethodModel m = model.methods().stream().filter(x -> x.methodName().equalsString(name)).findFirst()
                    .orElseThrow(() -> new AssertionError(cacheClass + " has no " + name));
            CodeAttribute code = m.findAttribute(java.lang.classfile.Attributes.code()).orElseThrow();
            if (code.codeLength() > FREQ_INLINE_SIZE) {
                problems.add(cacheClass + "." + name + " is " + code.codeLength() + " bytes, over FreqInlineSize "
                        + FREQ_INLINE_SIZE);
            }
            for (var e : code.elementList()) {
                if (e instanceof FieldInstruction f && (f.opcode() == Opcode.GETFIELD || f.opcode() == Opcode.GETSTATIC)) {
                    String type = f.typeSymbol().descriptorString();
                    if (type.equals("Z") || type.contains("HakConfig") || f.owner().asInternalName().endsWith("HakConfig")) {
                        problems.add(cacheClass + "." + name + " reads the flag " + f.owner().asInternalName() + "."
                                + f.name().stringValue() + " (" + type + ")");
                    }
                }
            }
            checkCallees(cacheClass + "." + name, code, classBytes, problems, 0);
        }
        return problems;
    }

    private static void checkCallees(String from, CodeModel code, Function<String, byte[]> classBytes,
                                     List<String> problems, int depth) {
        checkCallees(from, code, classBytes, problems, depth, false);
    }

    /**
     * The checks of {@link #violations} on the methods {@code code} calls, {@code depth} of hakgen's
     * methods below the fast path. Below a miss path, which is the fast path itself of a class with no
     * magazine, only the depth of native accesses is checked ({@code depthOnly}), not the size of what
     * it calls.
     */
    private static void checkCallees(String from, CodeModel code, Function<String, byte[]> classBytes,
                                     List<String> problems, int depth, boolean depthOnly) {
        for (var e : code.elementList()) {
            if (!(e instanceof InvokeInstruction call)) {
                continue;
            }
            String owner = call.owner().asInternalName().replace('/', '.');
            String name = call.name().stringValue();
            if (owner.equals("java.lang.foreign.MemorySegment") && (name.equals("get") || name.equals("set"))
                    && depth > MAX_NATIVE_DEPTH) {
                problems.add(from + " reaches native memory " + depth + " of hakgen's methods below the fast path, "
                        + "over " + MAX_NATIVE_DEPTH + ": C2 may refuse the access's innermost method as inlining too deep");
            }
            if (name.endsWith("Slow") || name.endsWith("Cold") || owner.startsWith("java.")) {
                continue;
            }
            if (call.opcode() == Opcode.INVOKEINTERFACE) {
                if (!depthOnly) {
                    problems.add(from + " calls the interface method " + owner + "." + name + ", which may not inline");
                }
                continue;
            }
            Optional<MethodModel> target = findMethod(owner, name, call.typeSymbol().descriptorString(), classBytes);
            CodeAttribute callee = target.flatMap(m -> m.findAttribute(java.lang.classfile.Attributes.code())).orElse(null);
            if (callee == null) {
                if (!depthOnly) {
                    problems.add(from + (target.isEmpty() ? " calls " + owner + "." + name + ", whose code was not found"
                            : " calls the abstract " + owner + "." + name));
                }
                continue;
            }
            boolean missPath = MISS_PATHS.contains(declarer(target.get()) + "." + name);
            if (!depthOnly && missPath && callee.codeLength() <= MAX_INLINE_SIZE) {
                problems.add(from + " reaches the miss path " + owner + "." + name + " of " + callee.codeLength()
                        + " bytes, within MaxInlineSize " + MAX_INLINE_SIZE
                        + ": C2 would inline it where a magazine misses only now and then");
            }
            if (!depthOnly && !missPath && callee.codeLength() > MAX_INLINE_SIZE) {
                problems.add(from + " calls " + owner + "." + name + " of " + callee.codeLength()
                        + " bytes, over MaxInlineSize " + MAX_INLINE_SIZE + ": it would stay a call where it is not hot");
            }
            boolean below = depthOnly || missPath;
            if (depth < (below ? MAX_NATIVE_DEPTH + 4 : 4)) {
                checkCallees(owner + "." + name, callee, classBytes, problems, depth + 1, below);
            }
        }
    }

    /** Bytecode bytes of the method {@code name} that {@code binaryName} declares (the first, if overloaded). */
    static int codeLength(String binaryName, String name) {
        return parse(binaryName, n -> null).methods().stream().filter(m -> m.methodName().equalsString(name))
                .findFirst().flatMap(m -> m.findAttribute(java.lang.classfile.Attributes.code()))
                .orElseThrow(() -> new AssertionError(binaryName + " declares no " + name + " with code"))
                .codeLength();
    }

    /** The binary name of the class that declares {@code m}. */
    private static String declarer(MethodModel m) {
        return m.parent().orElseThrow().thisClass().asInternalName().replace('/', '.');
    }

    /** The method as declared by {@code owner} or its nearest superclass that declares it. */
    private static Optional<MethodModel> findMethod(String owner, String name, String descriptor,
                                                    Function<String, byte[]> classBytes) {
        String type = owner;
        while (type != null && !type.startsWith("java.")) {
            ClassModel model = parse(type, classBytes);
            Optional<MethodModel> m = model.methods().stream()
                    .filter(x -> x.methodName().equalsString(name) && x.methodType().equalsString(descriptor))
                    .findFirst();
            if (m.isPresent()) {
                return m;
            }
            type = model.superclass().map(c -> c.asInternalName().replace('/', '.')).orElse(null);
        }
        return Optional.empty();
    }

    private static ClassModel parse(String binaryName, Function<String, byte[]> classBytes) {
        byte[] bytes = classBytes.apply(binaryName);
        if (bytes == null) {
            try (InputStream in = ClassLoader.getSystemResourceAsStream(binaryName.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new AssertionError("no class file for " + binaryName);
                }
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ClassFile.of().parse(bytes);
    }
}
