package org.hakgen.generated;

import java.util.List;

import org.hakgen.runtime.InlineBudget;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every committed build's malloc and free read no flag and fit HotSpot's inlining budgets whole. */
class InlineBudgetTest {

    static List<Build> builds() {
        return Build.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builds")
    void fastPathsInlineWholeAndReadNoFlag(Build build) {
        String cache = build.plan().plan().packageName() + "." + build.plan().plan().className("Cache");
        assertEquals(List.of(), InlineBudget.violations(cache, name -> null));
    }
}
