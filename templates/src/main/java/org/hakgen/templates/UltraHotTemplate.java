package org.hakgen.templates;

import org.hakgen.runtime.HakConfig.Layer;

/**
 * UltraHot (L0): for each hot class a LIFO magazine of its own, an exact-size {@code long[]} and a
 * count, tried first by malloc and filled first by free. Supplied only by frees.
 */
public final class UltraHotTemplate {
    private UltraHotTemplate() {}

    static Magazine magazine(Plan plan, int cls) {
        return new Magazine(plan, cls, Names.ultraHot(plan, cls), plan.config().ultraHotSlots(), Layer.ULTRA_HOT,
                "UltraHot (L0)");
    }
}
