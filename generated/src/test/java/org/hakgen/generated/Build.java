package org.hakgen.generated;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.hakgen.generator.Generator;
import org.hakgen.generator.Planner;
import org.hakgen.generator.ProfileException;
import org.hakgen.generator.Profiles;
import org.hakgen.runtime.HakAllocator;
import org.hakgen.runtime.HakConfig;

/** A committed build, found from its profile the way the generator names it. */
record Build(String profile, Planner.Resolved plan, Class<? extends HakAllocator> type) {

    /** One build per profile in profiles/; fails if a profile has no committed build. */
    static List<Build> all() {
        List<Build> builds = new ArrayList<>();
        try {
            for (Path file : Profiles.all()) {
                Generator.Source source = Generator.read(file);
                Planner.Resolved resolved = Planner.plan(source.profile(), source.sha256(), null, "");
                String name = resolved.plan().packageName() + "." + resolved.plan().className("Allocator");
                builds.add(new Build(source.profile().name(), resolved,
                        Class.forName(name).asSubclass(HakAllocator.class)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ProfileException | ClassNotFoundException e) {
            throw new AssertionError("a profile has no valid committed build; run ./hakgen generate --all --out "
                    + Generator.COMMITTED, e);
        }
        return builds;
    }

    HakConfig config() {
        try {
            return (HakConfig) type.getField("CONFIG").get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type + " has no CONFIG", e);
        }
    }

    HakAllocator create(long memoryLimit) {
        try {
            return type.getConstructor(long.class).newInstance(memoryLimit);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type + " cannot be made", e);
        }
    }

    @Override
    public String toString() {
        return profile;
    }
}
