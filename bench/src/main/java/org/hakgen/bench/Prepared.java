package org.hakgen.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.hakgen.generator.Generator;
import org.hakgen.generator.Planner;

/**
 * A profile's build made ready to benchmark: generated into {@code OUT/NAME/src}, compiled in-process
 * into {@code OUT/NAME/classes} against the runtime this JVM runs, and named in
 * {@code OUT/NAME/build.properties} so that a benchmark fork given {@code -Dhakgen.out=OUT} can load it
 * as {@code out:NAME}.
 *
 * @param name      the profile's name
 * @param root      {@code OUT/NAME}
 * @param resolved  the plan it was generated from
 */
public record Prepared(String name, Path root, Planner.Resolved resolved) {

    /** Generates and compiles {@code source}'s build under {@code out}; progress goes to {@code log}. */
    public static Prepared make(Generator.Source source, Path out, PrintWriter log) throws IOException {
        String name = source.profile().name();
        Path root = out.resolve(name).toAbsolutePath().normalize();
        Path src = root.resolve("src"), classes = root.resolve("classes");
        Planner.Resolved r = Planner.plan(source.profile(), source.sha256(), null,
                Generator.command(source.display(), null, src.toString()));
        List<Path> files = Generator.write(src, Generator.sources(r));
        log.println("generated " + files.size() + " files under " + src);
        deleteTree(classes);
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IOException("this Java runtime has no compiler (javax.tools); run hakgen with a full JDK 25");
        }
        List<String> args = new ArrayList<>(List.of("--release", "25", "-Xlint:all", "-Werror", "-implicit:none",
                "-cp", System.getProperty("java.class.path"), "-d", classes.toString()));
        files.forEach(f -> args.add(f.toString()));
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        if (javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new)) != 0) {
            throw new IOException("compiling the generated build failed:\n" + diagnostics.toString(StandardCharsets.UTF_8));
        }
        String pkg = r.plan().packageName();
        Files.writeString(root.resolve(Builds.Fresh.PROPERTIES), "# written by hakgen: the build benchmarks load as out:"
                + name + "\npackage=" + pkg + "\nclass=" + pkg + "." + r.plan().prefix() + "Allocator\n",
                StandardCharsets.UTF_8);
        log.println("compiled " + pkg + "." + r.plan().prefix() + "Allocator into " + classes);
        log.flush();
        return new Prepared(name, root, r);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
