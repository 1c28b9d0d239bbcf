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
