package org.hakgen.generator;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import javax.lang.model.SourceVersion;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code hakgen} command line. */
@Command(name = "hakgen", mixinStandardHelpOptions = true, versionProvider = Hakgen.Version.class,
        description = "Specializes hakgen's off-heap allocator to a workload profile.",
        subcommands = {Hakgen.Generate.class, Hakgen.Check.class, Hakgen.Explain.class, Hakgen.ListProfiles.class,
                Hakgen.Infer.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  done",
                "  1  a profile is invalid (every problem is printed as file:line:column: field: message)",
                "  2  the command line is wrong (unknown option, missing argument, unknown profile)",
                "  3  a file could not be read or written",
                "  4  a benchmark trial failed (the report is written without it)"})
public final class Hakgen implements Callable<Integer> {
    public static final int OK = 0, INVALID = 1, USAGE = 2, IO = 3;

    /**
     * What {@code hakgen --profile NAME} does. The generator alone explains and generates; the bench
     * module's job also compiles, benchmarks and reports. Its own options join the top-level command
     * as a picocli mixin.
     */
    public interface MainJob {
        /** Runs the job for {@code profile} and returns the exit code. */
        int run(String profile, CommandSpec spec) throws Exception;
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "NAME|FILE",
            description = "The main job: check, explain and generate this profile's build (and, from the bench "
                    + "module's command line, compile it, benchmark it against the generic build and write a report).")
    String profile;

    private final MainJob job;

    Hakgen(MainJob job) {
        this.job = job;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the generator's command line (the main job explains and generates) and returns its exit code. */
    public static int run(String... args) {
        return commandLine(null).execute(args);
    }

    /**
     * The command line with {@code job} as the main job (null: explain and generate) and
     * {@code subcommands} added to the generator's own.
     */
    public static CommandLine commandLine(MainJob job, Map<String, Object> subcommands) {
        CommandLine cl = new CommandLine(new Hakgen(job));
        if (job != null) {
            cl.addMixin("job", job);
        }
        subcommands.forEach(cl::addSubcommand);
        cl.setExecutionExceptionHandler(Hakgen::fileProblem);
        // After the subcommands are added: picocli registers a handler with the commands present then.
        cl.setParameterExceptionHandler(Hakgen::usageProblem);
        return cl;
    }

    /**
     * A command line picocli or a command refused: the message after the command's name, as every other
     * error of hakgen's starts ({@code hakgen drift: --builds names no build; ...}), then picocli's
     * suggestions for a mistyped option and the command's usage; exit code {@link #USAGE}.
     */
    private static int usageProblem(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            cl.usage(err);
        }
        return USAGE;
    }

    /**
     * A file that could not be read or written, wherever a command met it (an {@code --out} folder that
     * cannot be made, a full disk): one line naming the file and why, exit code {@link #IO}, instead of a
     * stack trace. Anything else is a bug and keeps its stack trace.
     */
    private static int fileProblem(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": a file could not be read or written: " + describe(io));
                return IO;
            }
        }
        throw e;
    }

    /** {@code io} in words: the file, and why when the JDK says, else what kind of failure it was. */
    public static String describe(IOException io) {
        if (io instanceof FileSystemException fs) {
            String why = fs.getReason() != null ? fs.getReason() : switch (fs) {
                case NoSuchFileException x -> "no such file or folder";
                case AccessDeniedException x -> "permission denied";
                case FileAlreadyExistsException x -> "already exists";
                case NotDirectoryException x -> "not a folder";
                default -> fs.getClass().getSimpleName();
            };
            return fs.getFile() + (fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "") + ": " + why;
        }
        return io.getMessage() != null ? io.getMessage() : io.getClass().getSimpleName();
    }

    static CommandLine commandLine(MainJob job) {
        return commandLine(job, Map.of());
    }

    @Override
    public Integer call() throws Exception {
        if (profile == null) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return USAGE;
        }
        if (job != null) {
            return job.run(profile, spec);
        }
        int explained = explain(profile, spec);
        if (explained != OK) {
            return explained;
        }
        return new CommandLine(new Generate()).setCommandName(spec.qualifiedName()).setOut(spec.commandLine().getOut())
                .setErr(spec.commandLine().getErr()).execute("--profile", profile);
    }

    /** Prints {@code hakgen explain PROFILE} to {@code spec}'s output; returns its exit code. */
    public static int explain(String profile, CommandSpec spec) {
        return new CommandLine(new Explain()).setCommandName(spec.qualifiedName()).setOut(spec.commandLine().getOut())
                .setErr(spec.commandLine().getErr()).execute(profile);
    }

    /** Reads a profile named on the command line; prints problems and returns null when it cannot be used. */
    public static Generator.Source load(String nameOrFile, CommandSpec spec, int[] code) {
        Path file = Profiles.resolve(nameOrFile);
        PrintWriter err = spec.commandLine().getErr();
        String command = spec.qualifiedName();
        try {
            return Generator.read(file);
        } catch (NoSuchFileException e) {
            err.println(command + ": no profile '" + nameOrFile + "': " + file + " does not exist; valid: a file, or one of "
                    + Profiles.names());
            code[0] = USAGE;
        } catch (IOException e) {
            err.println(command + ": cannot read " + file + ": " + describe(e));
            code[0] = IO;
        } catch (ProfileException e) {
            e.problems().forEach(err::println);
            err.println(command + ": " + file + " is invalid (" + e.problems().size() + " problem"
                    + (e.problems().size() == 1 ? "" : "s") + "); nothing was written");
            code[0] = INVALID;
        }
        return null;
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Writes the Java source of the build a profile plans: NAMEAllocator and NAMECache.")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--profile", paramLabel = "NAME|FILE",
                description = "profiles/NAME.yaml, or a profile file")
        String profile;

        @Option(names = "--all", description = "every profile in profiles/, each into its own package")
        boolean all;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/generated",
                description = "source root to write under (default: ${DEFAULT-VALUE}); "
                        + "the committed builds live in " + Generator.COMMITTED)
        String out;

        @Option(names = "--package", paramLabel = "PKG",
                description = "package of the generated classes (default: org.hakgen.generated.NAME)")
        String packageName;

        @Override
        public Integer call() {
            if (packageName != null && (!packageName.matches("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*")
                    || !SourceVersion.isName(packageName) || packageName.equals("java") || packageName.startsWith("java."))) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": --package '" + packageName
                        + "' is not valid; valid: a lower-case Java package name such as com.example.alloc, no part of it a "
                        + "Java keyword (int, default, ...), and not java.* (the JDK's)");
                return USAGE;
            }
            if (all == (profile != null) || all && packageName != null) {
                spec.commandLine().getErr().println("hakgen generate: give either --profile NAME|FILE or --all "
                        + "(and --package only with --profile)");
                return USAGE;
            }
            List<String> names = all ? Profiles.names() : List.of(profile);
            // Everything is read, planned and generated before anything is written.
            Map<String, String> files = new java.util.LinkedHashMap<>();
            for (String name : names) {
                int[] code = {OK};
                Generator.Source source = load(name, spec, code);
                if (source == null) {
                    return code[0];
                }
                Planner.Resolved resolved = Planner.plan(source.profile(), source.sha256(), packageName,
                        Generator.command(name, packageName, out));
                files.putAll(Generator.sources(resolved));
            }
            Path root = Path.of(out);   // relative to where the command runs, like any file argument
            try {
                for (Path p : Generator.write(root, files)) {
                    spec.commandLine().getOut().println("wrote " + p);
                }
            } catch (IOException e) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": cannot write under " + root + ": " + describe(e));
                return IO;
            }
            return OK;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validates profiles and prints every problem with its file, line and column.")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "profile files (or names in profiles/)")
        List<String> files;

        @Override
        public Integer call() {
            int worst = OK;
            for (String f : files) {
                int[] code = {OK};
                if (load(f, spec, code) != null) {
                    spec.commandLine().getOut().println("ok: " + Profiles.resolve(f));
                }
                worst = Math.max(worst, code[0]);
            }
            return worst;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Prints the resolved plan of a profile and why each choice was made.")
    static final class Explain implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME|FILE", description = "profiles/NAME.yaml, or a profile file")
        String profile;

        @Override
        public Integer call() {
            int[] code = {OK};
            Generator.Source source = load(profile, spec, code);
            if (source == null) {
                return code[0];
            }
            Planner.Resolved r = Planner.plan(source.profile(), source.sha256(), null, "");
            PrintWriter out = spec.commandLine().getOut();
            out.println(source.profile().name() + ": " + source.profile().description());
            out.println("  file " + source.display() + ", sha256 " + source.sha256());
            for (String line : r.reasons()) {
                out.println("  " + line);
            }
            out.println("  workload: " + source.profile().workload());
            return OK;
        }
    }

    @Command(name = "profiles", mixinStandardHelpOptions = true, description = "Lists the profiles in profiles/.")
    static final class ListProfiles implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                for (Path p : Profiles.all()) {
                    int[] code = {OK};
                    Generator.Source s = load(p.toString(), spec, code);
                    String name = Profiles.nameOf(p);
                    spec.commandLine().getOut().printf("%-16s %s%n", name,
                            s == null ? "(invalid: run hakgen check " + p + ")" : s.profile().description());
                }
            } catch (IOException e) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": cannot list " + Profiles.folder() + ": " + describe(e));
                return IO;
            }
            return OK;
        }
    }

    @Command(name = "infer", mixinStandardHelpOptions = true,
            description = {"Infers a profile from an allocation trace: the class table with the least waste, the class "
                    + "mix, magazine sizes from how soon blocks are reused, and the layers that pay, each explained in "
                    + "the YAML's comments.",
                    "Traces: glibc mtrace text with the t=/k=/a= fields of ../shared/traces/README.md (gzip or plain), "
                    + "what the generic build records with HAKMEM_TRACE=FILE, or a JFR recording of Netty's "
                    + "io.netty.AllocateBuffer / FreeBuffer / ReallocateBuffer events (Netty 4.2+)."})
    static final class Infer implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--trace", required = true, paramLabel = "FILE|NAME",
                description = "the trace to read: mtrace text (gzip or plain; ../shared/traces/README.md, or HAKMEM_TRACE's "
                        + "output), or a JFR recording of Netty's buffer events (io.netty.AllocateBuffer, FreeBuffer, "
                        + "ReallocateBuffer; Netty 4.2+); or the name of one in ../shared/traces (gcc, sqlite, ...)")
        String traceName;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
                description = "the profile to write, e.g. profiles/NAME.yaml; its name is the profile's name")
        Path output;

        @Option(names = "--classes", paramLabel = "N", defaultValue = "8",
                description = "at most this many tiny classes, 1 to 31 (default: ${DEFAULT-VALUE}, as many as hakmem's table)")
        int classes;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            String name = Profiles.nameOf(output);
            if (!output.getFileName().toString().endsWith(".yaml") || !name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
                err.println("hakgen infer: -o " + output + " is not valid; valid: NAME.yaml where NAME is lower-case "
                        + "words of letters and digits joined by '-', e.g. profiles/my-server.yaml");
                return USAGE;
            }
            if (classes < 1 || classes > 31) {
                err.println("hakgen infer: --classes " + classes + " is not valid; valid: 1 to 31");
                return USAGE;
            }
            Path trace;
            try {
                trace = Profiles.resolveTrace(traceName);
            } catch (IllegalArgumentException e) {
                err.println("hakgen infer: --trace: " + e.getMessage());
                return USAGE;
            }
            Inference.Result r;
            byte[] yaml;
            try {
                out.println("reading " + trace + " (two passes) ...");
                out.flush();
                r = Inference.infer(trace, name, classes, Profiles.workloadFile(trace), output.toString());
                yaml = Inference.validated(r, output.toString(), name);
            } catch (TraceException e) {
                err.println("hakgen infer: " + e.getMessage());
                return INVALID;
            } catch (IOException e) {
                err.println("hakgen infer: cannot read " + trace + ": " + describe(e));
                return IO;
            } catch (ProfileException e) {
                e.problems().forEach(err::println);
                err.println("hakgen infer: the inferred profile does not validate; this is a bug in hakgen, nothing was written");
                return INVALID;
            } catch (IllegalArgumentException e) {
                err.println("hakgen infer: " + e.getMessage());
                return INVALID;
            }
            try {
                Path parent = output.toAbsolutePath().getParent();
                java.nio.file.Files.createDirectories(parent);
                java.nio.file.Files.write(output, yaml);
            } catch (IOException e) {
                err.println("hakgen infer: cannot write " + output + ": " + describe(e));
                return IO;
            }
            out.println(r.summary().describe(trace.toString()));
            out.printf(java.util.Locale.ROOT, "classes %s: waste %,d B against %,d B with %s%n", r.classes(), r.waste(),
                    r.defaultWaste(), Inference.DEFAULT_CLASSES);
            boolean predictable = Planner.predictable(r.predictability());
            out.printf(java.util.Locale.ROOT, "predictability %.1f%%: %s %.0f%%, %s%n", 100 * r.predictability(),
                    predictable ? "at least" : "under", 100 * Planner.PREDICTABLE, predictable
                            ? "so the hottest classes may get size tests of their own"
                            : "so the size table serves every class but the UltraHot classes the profile names");
            boolean seal = Planner.seals(r.crossThreadFrees());
            out.printf(java.util.Locale.ROOT, "cross-thread frees %.1f%%: %s %.0f%%, so the guard %s%n", 100 * r.crossThreadFrees(),
                    seal ? "at least" : "under", 100 * Planner.SEAL_CROSS, seal
                            ? "seals cached blocks (seal mode)" : "marks state bytes (state mode)");
            out.println("wrote " + output + " (hakgen explain " + output + " shows the plan; hakgen --profile " + output
                    + " benchmarks it on the trace)");
            return OK;
        }
    }

    /** The version from the build's resources. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            try (var in = Hakgen.class.getResourceAsStream("version.txt")) {
                String v = in == null ? "unknown" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
                return new String[] {"hakgen " + v};
            }
        }
    }
}
