package org.hakgen.generator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.hakgen.runtime.Differential;
import org.hakgen.runtime.HakAllocator;
import org.hakgen.runtime.Hakmem;
import org.hakgen.runtime.InlineBudget;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 200 random valid profiles: each is read, planned, generated, compiled in memory with javax.tools
 * (all in one javac run), checked against the inlining budget, and run against the generic build
 * configured with it. Random invalid profiles all fail with a {@link ProfileException}.
 */
class ProfilePropertyTest {
    static final int PROFILES = 200;

    @Test
    void randomValidProfilesGenerateBuildsEqualToTheGenericBuild() throws Exception {
        SplittableRandom random = new SplittableRandom(20261124);
        List<Planner.Resolved> plans = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (int i = 0; i < PROFILES; i++) {
            String name = "random" + i;
            String yaml = RandomProfiles.valid(name, random);
            Profile profile;
            try {
                profile = ProfileReader.read(name + ".yaml", name, yaml.getBytes());
            } catch (ProfileException e) {
                throw new AssertionError("a valid random profile was rejected:\n" + yaml + "\n" + e.getMessage(), e);
            }
            Planner.Resolved r = Planner.plan(profile, "0".repeat(64), "gen.p" + i, "test");
            plans.add(r);
            sources.putAll(Generator.sources(r));
        }
        long indexed = plans.stream().filter(r -> r.plan().indexed()).count();
        long layered = plans.stream().filter(r -> r.plan().indexed() && !r.plan().layeredCold().isEmpty()).count();
        assertTrue(indexed >= 10 && indexed <= PROFILES - 10 && layered >= 10 && indexed - layered >= 10,
                indexed + " of " + PROFILES + " plans are indexed, " + layered + " of them with UltraHot or HeapV2: the "
                + "differential run must cover both dispatches, and indexed plans with and without layers");
        InMemoryCompiler.Compiled compiled = InMemoryCompiler.compile(sources);
        for (Planner.Resolved r : plans) {
            String prefix = r.plan().packageName() + "." + r.plan().prefix();
            assertEquals(List.of(), InlineBudget.violations(prefix + "Cache", compiled.classes()::get),
                    r.profile().name() + " " + r.reasons());
            Class<?> type = compiled.loader().loadClass(prefix + "Allocator");
            Profile p = r.profile();
            var sizes = Differential.mix(p.classes().stream().map(Profile.SizeShare::size).toList(),
                    p.classes().stream().map(Profile.SizeShare::share).toList(), p.mid(), p.large());
            try (HakAllocator generic = Hakmem.generic(r.plan().config());
                 HakAllocator generated = (HakAllocator) type.getConstructor().newInstance()) {
                Differential.run(generic, generated, sizes, r.profile().name().hashCode(), 4_000);
            } catch (AssertionError e) {
                throw new AssertionError(r.profile().name() + " with plan " + r.reasons() + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void randomInvalidProfilesFailWithAValidationError() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < PROFILES; i++) {
            String name = "bad" + i;
            String yaml = RandomProfiles.invalid(name, random);
            ProfileException e = assertThrows(ProfileException.class,
                    () -> ProfileReader.read(name + ".yaml", name, yaml.getBytes()), yaml);
            assertFalse(e.problems().isEmpty());
            for (ProfileException.Problem problem : e.problems()) {
                assertTrue(problem.line() >= 1 && problem.column() >= 1 && !problem.field().isEmpty()
                        && problem.toString().startsWith(name + ".yaml:"), problem.toString());
            }
        }
    }
}
