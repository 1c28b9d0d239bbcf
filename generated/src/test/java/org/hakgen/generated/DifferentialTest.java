package org.hakgen.generated;

import java.util.List;

import org.hakgen.generator.Profile;
import org.hakgen.runtime.Differential;
import org.hakgen.runtime.HakAllocator;
import org.hakgen.runtime.Hakmem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each committed build against the generic build configured with its profile: the same random calls,
 * drawn from the profile's own class mix, return the same blocks and end with the same statistics.
 */
class DifferentialTest {

    static List<Build> builds() {
        return Build.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("builds")
    void sameBlocksAndStatisticsAsTheGenericBuild(Build build) {
        assertEquals(build.plan().plan().config(), build.config(), "the committed build's CONFIG is its plan's");
        Profile p = build.plan().profile();
        var sizes = Differential.mix(p.classes().stream().map(Profile.SizeShare::size).toList(),
                p.classes().stream().map(Profile.SizeShare::share).toList(), p.mid(), p.large());
        for (long seed = 1; seed <= 3; seed++) {
            try (HakAllocator generic = Hakmem.generic(build.config());
                 HakAllocator generated = build.create(Long.MAX_VALUE)) {
                Differential.run(generic, generated, sizes, seed, 30_000);
            }
        }
    }
}
