package org.hakgen.runtime;

import java.lang.foreign.ValueLayout;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The inline budget's depth rule ({@link InlineBudget#MAX_NATIVE_DEPTH}) on two fixtures: a native read
 * two of hakgen's methods below malloc passes, three fail. The committed builds are checked against the
 * same rule in {@code generated/}'s InlineBudgetTest.
 */
class NativeDepthTest {
    @Test
    void aReadTwoMethodsBelowTheFastPathPasses() {
        assertEquals(List.of(), InlineBudget.violations(Shallow.class.getName(), name -> null));
    }

    @Test
    void aReadThreeMethodsBelowTheFastPathIsReported() {
        assertEquals(List.of(Reader.class.getName() + ".read reaches native memory 3 of hakgen's methods below "
                        + "the fast path, over 2: C2 may refuse the access's innermost method as inlining too deep"),
                InlineBudget.violations(Deep.class.getName(), name -> null));
    }

    /** Reads through {@link Reader#once}, then {@link Reader#read}: two levels. */
    static final class Shallow {
        public long mallocLocal(long size) {
            return Reader.once(size);
        }

        public void freeLocal(long address) {
        }
    }

    /** One level more than {@link Shallow}. */
    static final class Deep {
        public long mallocLocal(long size) {
            return Reader.twice(size);
        }

        public void freeLocal(long address) {
        }
    }

    static final class Reader {
        static long twice(long at) {
            return once(at);
        }

        static long once(long at) {
            return read(at);
        }

        static long read(long at) {
            return OsMemory.ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
        }
    }
}
