package org.hakgen.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where profiles live: {@code profiles/NAME.yaml} under the hakgen home (the repository root). */
public final class Profiles {
    private Profiles() {}

    /** The hakgen home: {@code -Dhakgen.home}, set by the {@code hakgen} script, else the working folder. */
    public static Path home() {
        return Path.of(System.getProperty("hakgen.home", ".")).toAbsolutePath().normalize();
    }

    public static Path folder() {
        return home().resolve("profiles");
    }

    /**
     * The file a {@code --profile} argument names: a path to an existing file as given, or else
     * {@code profiles/NAME.yaml}.
     */
    public static Path resolve(String nameOrFile) {
        Path given = Path.of(nameOrFile);
        if (nameOrFile.endsWith(".yaml") || nameOrFile.contains("/")) {
            return given;
        }
        return folder().resolve(nameOrFile + ".yaml");
    }

    /** The shared traces: {@code -Dhakgen.traces}, else {@code ../shared/traces} beside the home. */
    public static Path tracesFolder() {
        String dir = System.getProperty("hakgen.traces");
        return (dir != null ? Path.of(dir) : home().resolveSibling("shared").resolve("traces")).toAbsolutePath().normalize();
    }

    /**
     * A trace file, or the name of one in the {@linkplain #tracesFolder() shared traces folder} ({@code gcc}
     * for {@code gcc.mtrace.gz} there): what {@code replay}, {@code infer} and a profile's workload accept.
     *
     * @throws IllegalArgumentException naming both places looked in, when it is neither
     */
    public static Path resolveTrace(String trace) {
        Path file = Path.of(trace);
        if (Files.isRegularFile(file)) {
            return file;
        }
        Path folder = tracesFolder(), named = folder.resolve(trace + ".mtrace.gz");
        for (Path candidate : List.of(folder.resolve(trace), named)) {
            if (!trace.isBlank() && Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("no trace '" + trace + "': neither a file nor " + named
                + "; valid: a trace file, or a name in " + folder + " (set -Dhakgen.traces=DIR)");
    }

    /**
     * How a profile's {@code workload.file} names {@code trace}: its bare file name when it is one of the
     * shared traces (so the profile works on every machine), else its absolute path.
     */
    public static String workloadFile(Path trace) {
        Path abs = trace.toAbsolutePath().normalize();
        return tracesFolder().equals(abs.getParent()) ? abs.getFileName().toString() : abs.toString();
    }

    /** Every profile file, by name. */
    public static List<Path> all() throws IOException {
        try (Stream<Path> files = Files.list(folder())) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** The profile name a file is for: its name without {@code .yaml}. */
    public static String nameOf(Path file) {
        return file.getFileName().toString().replaceFirst("\\.yaml$", "");
    }

    /** Names of the profiles, for messages. */
    public static List<String> names() {
        try {
            return all().stream().map(Profiles::nameOf).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
