package org.hakgen.templates;

import java.util.List;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;

import org.hakgen.runtime.HakConfig.Layer;

/**
 * UltraHot (L0): for each hot class a LIFO magazine of its own, an exact-size {@code long[]} and a
 * count, tried first by malloc and filled first by free. Supplied only by frees.
 */
public final class UltraHotTemplate {
    private UltraHotTemplate() {}

    private static Magazine magazine(Plan plan, int cls) {
        return new Magazine(plan, cls, Names.ultraHot(plan, cls), plan.config().ultraHotSlots(), Layer.ULTRA_HOT,
                "UltraHot (L0)");
    }

    public static List<FieldSpec> fields(Plan plan, int cls) {
        return magazine(plan, cls).fields();
    }

    public static Step pop(Plan plan, int cls) {
        return magazine(plan, cls).pop();
    }

    public static Step push(Plan plan, int cls) {
        return magazine(plan, cls).push();
    }

    public static CodeBlock flush(Plan plan, int cls) {
        return magazine(plan, cls).flush();
    }

    public static CodeBlock forEach(Plan plan, int cls) {
        return magazine(plan, cls).forEach();
    }

    public static String count(Plan plan, int cls) {
        return magazine(plan, cls).count();
    }
}
