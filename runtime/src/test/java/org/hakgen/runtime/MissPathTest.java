package org.hakgen.runtime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The thread list's pop and free stay above C2's MaxInlineSize, so that where a magazine misses now and
 * then they stay calls (see {@link FrontEnd#listPop}); splitting them into small methods again fails here.
 */
class MissPathTest {
    @ParameterizedTest(name = "{0}")
    @FieldSource("org.hakgen.runtime.InlineBudget#MISS_PATHS")
    void missPathIsAboveMaxInlineSize(String method) {
        int dot = method.lastIndexOf('.');
        int bytes = InlineBudget.codeLength(method.substring(0, dot), method.substring(dot + 1));
        assertTrue(bytes > InlineBudget.MAX_INLINE_SIZE, method + " is " + bytes + " bytes, within MaxInlineSize "
                + InlineBudget.MAX_INLINE_SIZE + ": C2 would inline it at a magazine's miss");
    }
}
