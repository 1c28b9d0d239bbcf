package org.hakgen.templates;

import com.palantir.javapoet.ClassName;

/** The names generated code uses, in one place so that every template agrees on them. */
final class Names {
    static final ClassName FRONT_END = ClassName.get("org.hakgen.runtime", "FrontEnd");
    static final ClassName ALLOCATOR_BASE = ClassName.get("org.hakgen.runtime", "AllocatorBase");
    static final ClassName BACKEND = ClassName.get("org.hakgen.runtime", "Backend");
    static final ClassName SLAB_RANGE = ClassName.get("org.hakgen.runtime", "SlabRange");
    static final ClassName HAK_CONFIG = ClassName.get("org.hakgen.runtime", "HakConfig");
    static final ClassName LAYER = HAK_CONFIG.nestedClass("Layer");

    private Names() {}

    /** The constant holding the index of class {@code cls}: {@code C16} for the 16-byte class. */
    static String cls(Plan plan, int cls) {
        return "C" + plan.size(cls);
    }

    static String ultraHot(Plan plan, int cls) {
        return "ultra" + plan.size(cls);
    }

    static String heapV2(Plan plan, int cls) {
        return "heap" + plan.size(cls);
    }

    static String spare(Plan plan, int cls) {
        return "spare" + plan.size(cls);
    }

    static String count(String magazine) {
        return magazine + "Count";
    }

    static ClassName cache(Plan plan) {
        return ClassName.get(plan.packageName(), plan.className("Cache"));
    }

    static ClassName allocator(Plan plan) {
        return ClassName.get(plan.packageName(), plan.className("Allocator"));
    }
}
