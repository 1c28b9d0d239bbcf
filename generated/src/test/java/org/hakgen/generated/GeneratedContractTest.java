package org.hakgen.generated;

import java.util.List;

import org.hakgen.runtime.AllocatorContractTest;
import org.hakgen.runtime.HakAllocator;
import org.hakgen.runtime.HakConfig;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The allocator contract, run against every committed build. */
@ParameterizedClass(name = "{0}")
@MethodSource("builds")
class GeneratedContractTest extends AllocatorContractTest {
    private final Build build;

    GeneratedContractTest(Build build) {
        this.build = build;
    }

    static List<Build> builds() {
        return Build.all();
    }

    @Override
    protected HakConfig config() {
        return build.config();
    }

    @Override
    protected HakAllocator create(HakConfig config) {
        return build.create(config.memoryLimit());
    }
}
