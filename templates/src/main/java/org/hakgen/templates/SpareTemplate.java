package org.hakgen.templates;

import org.hakgen.runtime.FrontEnd;

/**
 * The spare magazine of an inline class that the profile gives neither UltraHot nor HeapV2, in the
 * guard's seal mode ({@link FrontEnd#tinySpares}; in state mode the class has its thread list alone): a
 * LIFO of {@link FrontEnd#SPARE_SLOTS} slots in front of the thread list, as the generic build's runtime
 * keeps for such classes, written out per class like the other magazines. The other classes without either
 * layer have theirs in the build's own indexed arrays ({@link IndexedTemplate}). Reached through the
 * runtime's shared spare magazines instead (its class lookup and two shared arrays behind a call), a
 * build on a workload whose hot classes were not its own ran at 0.75–0.8× the generic build.
 */
public final class SpareTemplate {
    private SpareTemplate() {}

    static Magazine magazine(Plan plan, int cls) {
        return new Magazine(plan, cls, Names.spare(plan, cls), FrontEnd.SPARE_SLOTS, null, "Spare");
    }
}
