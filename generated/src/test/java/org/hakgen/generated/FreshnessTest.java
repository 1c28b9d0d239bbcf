package org.hakgen.generated;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.hakgen.generator.Generator;
import org.hakgen.generator.Planner;
import org.hakgen.generator.ProfileException;
import org.hakgen.generator.Profiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** generated/ must be exactly what the generator makes of profiles/ today. */
class FreshnessTest {
    static final String REGENERATE = "./hakgen generate --all --out " + Generator.COMMITTED;

    @Test
    void committedBuildsMatchTheProfiles(@TempDir Path tmp) throws IOException, ProfileException {
        for (Path file : Profiles.all()) {
            Generator.Source source = Generator.read(file);
            String name = source.profile().name();
            Planner.Resolved r = Planner.plan(source.profile(), source.sha256(), null,
                    Generator.command(name, null, Generator.COMMITTED));
            Generator.write(tmp, Generator.sources(r));
        }
        Map<String, String> expected = tree(tmp), actual = tree(Profiles.home().resolve(Generator.COMMITTED));
        List<String> stale = new ArrayList<>();
        for (String path : union(expected, actual)) {
            if (!expected.getOrDefault(path, "").equals(actual.getOrDefault(path, ""))) {
                stale.add(path + (actual.containsKey(path) ? expected.containsKey(path) ? " (differs)" : " (no profile makes it)" : " (missing)"));
            }
        }
        if (!stale.isEmpty()) {
            fail("generated/ is stale; regenerate it with\n    " + REGENERATE + "\nStale files:\n    "
                    + String.join("\n    ", stale));
        }
    }

    @Test
    void sameProfileGivesTheSameBytes() throws IOException, ProfileException {
        Generator.Source source = Generator.read(Profiles.resolve("c2c3-heavy"));
        Planner.Resolved first = Planner.plan(source.profile(), source.sha256(), null, "x");
        Planner.Resolved second = Planner.plan(Generator.read(Profiles.resolve("c2c3-heavy")).profile(), source.sha256(), null, "x");
        assertEquals(Generator.sources(first), Generator.sources(second));
    }

    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(p -> p.toString().endsWith(".java")).toList()) {
                files.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }

    private static List<String> union(Map<String, String> a, Map<String, String> b) {
        TreeMap<String, String> all = new TreeMap<>(a);
        all.putAll(b);
        return new ArrayList<>(all.keySet());
    }
}
