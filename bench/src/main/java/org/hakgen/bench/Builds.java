package org.hakgen.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.hakgen.generated.c2c3heavy.C2c3HeavyAllocator;
import org.hakgen.generated.gcc.GccAllocator;
import org.hakgen.generated.generic.GenericAllocator;
import org.hakgen.generated.gitlog.GitLogAllocator;
import org.hakgen.generated.gitrepack.GitRepackAllocator;
import org.hakgen.generated.larson.LarsonAllocator;
import org.hakgen.generated.midheavy.MidHeavyAllocator;
import org.hakgen.generated.perl.PerlAllocator;
import org.hakgen.generated.randommixed.RandomMixedAllocator;
import org.hakgen.generated.sqlite.SqliteAllocator;
import org.hakgen.generated.tinyfixed64.TinyFixed64Allocator;
import org.hakgen.runtime.HakAllocator;
import org.hakgen.runtime.HakConfig;
import org.hakgen.runtime.Hakmem;

/**
 * The builds a benchmark's {@code build} parameter names, resolved by a switch (no reflection for
 * anything shipped):
 * <ul>
 *   <li>{@code generic}: the generic build with {@link HakConfig#defaults()};</li>
 *   <li>a shipped profile's name ({@code c2c3-heavy}, …): its committed generated build;</li>
 *   <li>{@code out:NAME}: the build {@code ./hakgen --profile NAME} just generated and compiled into
 *       {@code -Dhakgen.out=DIR} (its {@code DIR/NAME/build.properties} names the class, loaded once at
 *       set-up by its own class loader);</li>
 *   <li>{@code generic:B}: the generic build configured exactly as build {@code B} was generated
 *       ({@code B}'s {@code CONFIG}): the same blocks in the same order, only without specialization;</li>
 *   <li>the peers: {@code malloc} (glibc), {@code mimalloc}, {@code jemalloc}, {@code tcmalloc} through
 *       FFM downcalls; {@code netty-pooled}, {@code netty-adaptive}; {@code arena};</li>
 *   <li>{@code floor}: the bare LIFO the performance targets are measured against ({@link FloorBuild}),
 *       single-threaded, not an allocator.</li>
 * </ul>
 */
public final class Builds {
    /** The committed generated builds, one per profile shipped in profiles/ (BuildsTest holds this to it). */
    public static final List<String> SHIPPED = List.of("c2c3-heavy", "gcc", "generic-profile", "git-log", "git-repack",
            "larson", "mid-heavy", "perl", "random-mixed", "sqlite", "tiny-fixed-64");

    /** Every peer a Java user might pick instead of hakgen. */
    public static final List<String> PEERS = List.of("malloc", "mimalloc", "jemalloc", "tcmalloc", "netty-pooled",
            "netty-adaptive", "arena");

    /** The bare LIFO over native memory that hakgen's overheads are measured from ({@link FloorBuild}). */
    public static final String FLOOR = "floor";

    private Builds() {
    }

    /**
     * Opens the build {@code name} names.
     *
     * @throws IllegalArgumentException      if nothing has that name (the message lists what does)
     * @throws UnsupportedOperationException if it is a peer whose library is not installed here
     */
    public static Build open(String name) {
        return switch (name) {
            case "generic" -> hak(name, Hakmem.generic(HakConfig.defaults()));
            case "c2c3-heavy" -> hak(name, new C2c3HeavyAllocator());
            case "generic-profile" -> hak(name, new GenericAllocator());
            case "larson" -> hak(name, new LarsonAllocator());
            case "mid-heavy" -> hak(name, new MidHeavyAllocator());
            case "random-mixed" -> hak(name, new RandomMixedAllocator());
            case "tiny-fixed-64" -> hak(name, new TinyFixed64Allocator());
            case "gcc" -> hak(name, new GccAllocator());
            case "git-log" -> hak(name, new GitLogAllocator());
            case "git-repack" -> hak(name, new GitRepackAllocator());
            case "perl" -> hak(name, new PerlAllocator());
            case "sqlite" -> hak(name, new SqliteAllocator());
            case "malloc" -> NativeBuild.open(NativeBuild.Lib.MALLOC);
            case "mimalloc" -> NativeBuild.open(NativeBuild.Lib.MIMALLOC);
            case "jemalloc" -> NativeBuild.open(NativeBuild.Lib.JEMALLOC);
            case "tcmalloc" -> NativeBuild.open(NativeBuild.Lib.TCMALLOC);
            case "netty-pooled" -> NettyBuild.pooled();
            case "netty-adaptive" -> NettyBuild.adaptive();
            case "arena" -> new ArenaBuild();
            case FLOOR -> new FloorBuild();
            default -> {
                if (name.startsWith("generic:")) {
                    yield hak(name, Hakmem.generic(config(name.substring("generic:".length()))));
                }
                if (name.startsWith("out:")) {
                    yield hak(name, Fresh.load(name.substring(4)).allocator());
                }
                throw unknown(name);
            }
        };
    }

    /**
     * Checks that {@code name} names a build, without opening it (a native peer binds its library
     * for the whole JVM when opened).
     *
     * @throws IllegalArgumentException if it does not, listing what does
     */
    public static void check(String name) {
        if (!(name.equals("generic") || name.equals(FLOOR) || SHIPPED.contains(name) || PEERS.contains(name) || name.startsWith("out:")
                || name.startsWith("generic:") && (SHIPPED.contains(name.substring(8)) || name.substring(8).startsWith("out:")
                || name.equals("generic:generic")))) {
            throw unknown(name);
        }
    }

    /**
     * Checks each of {@code names}, a list option's value ({@code option}), and that it names at least one
     * build and no empty one ({@code --builds ,} or {@code a,,b}).
     */
    public static void checkAll(String option, List<String> names) {
        MainJob.requireNames(option, names, "build", "builds separated by commas, such as generic,malloc");
        names.forEach(Builds::check);
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("no build '" + name + "'; valid: generic, " + String.join(", ", SHIPPED)
                + ", out:NAME (with -Dhakgen.out), generic:BUILD, " + String.join(", ", PEERS) + ", " + FLOOR);
    }

    /** The configuration hakgen build {@code name} was generated for. */
    static HakConfig config(String name) {
        return switch (name) {
            case "generic" -> HakConfig.defaults();
            case "c2c3-heavy" -> C2c3HeavyAllocator.CONFIG;
            case "generic-profile" -> GenericAllocator.CONFIG;
            case "larson" -> LarsonAllocator.CONFIG;
            case "mid-heavy" -> MidHeavyAllocator.CONFIG;
            case "random-mixed" -> RandomMixedAllocator.CONFIG;
            case "tiny-fixed-64" -> TinyFixed64Allocator.CONFIG;
            case "gcc" -> GccAllocator.CONFIG;
            case "git-log" -> GitLogAllocator.CONFIG;
            case "git-repack" -> GitRepackAllocator.CONFIG;
            case "perl" -> PerlAllocator.CONFIG;
            case "sqlite" -> SqliteAllocator.CONFIG;
            default -> {
                if (name.startsWith("out:")) {
                    yield Fresh.load(name.substring(4)).config();
                }
                throw new IllegalArgumentException("generic:" + name + ": no hakgen build '" + name + "'; valid: generic, "
                        + String.join(", ", SHIPPED) + ", out:NAME");
            }
        };
    }

    private static Build hak(String name, HakAllocator allocator) {
        return new HakBuild(name, allocator);
    }

    /**
     * A build compiled by the main job into {@code DIR/NAME/classes}, {@code DIR} from
     * {@code -Dhakgen.out}. Its classes are loaded child-first, so a build in the same package as a
     * committed one is the fresh one, and share the runtime with everything else.
     */
    record Fresh(Class<?> type) {
        /** The file under {@code DIR/NAME} that names the build's allocator class. */
        static final String PROPERTIES = "build.properties";

        static Fresh load(String name) {
            String dir = System.getProperty("hakgen.out");
            if (dir == null) {
                throw new IllegalArgumentException("out:" + name + " needs -Dhakgen.out=DIR, the folder ./hakgen --profile "
                        + "wrote its builds to");
            }
            Path root = Path.of(dir, name);
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(root.resolve(PROPERTIES))) {
                p.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("out:" + name + ": cannot read " + root.resolve(PROPERTIES) + ": " + e);
            }
            String className = p.getProperty("class");
            try {
                ClassLoader loader = new ChildFirst(root.resolve("classes").toUri().toURL(), p.getProperty("package"));
                return new Fresh(Class.forName(className, true, loader));
            } catch (ClassNotFoundException | MalformedURLException e) {
                throw new IllegalArgumentException("out:" + name + ": no class " + className + " under " + root.resolve("classes"), e);
            }
        }

        HakAllocator allocator() {
            try {
                return (HakAllocator) MethodHandles.publicLookup()
                        .findConstructor(type, MethodType.methodType(void.class)).invoke();
            } catch (Throwable t) {
                throw new IllegalStateException("cannot make a " + type.getName(), t);
            }
        }

        HakConfig config() {
            try {
                return (HakConfig) MethodHandles.publicLookup().findStaticGetter(type, "CONFIG", HakConfig.class).invoke();
            } catch (Throwable t) {
                throw new IllegalStateException(type.getName() + " has no public static CONFIG", t);
            }
        }
    }

    /** Loads one package's classes from its own folder first; everything else from the parent. */
    private static final class ChildFirst extends URLClassLoader {
        private final String packagePrefix;

        ChildFirst(URL classes, String packageName) {
            super(new URL[] {classes}, Builds.class.getClassLoader());
            this.packagePrefix = packageName + ".";
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(packagePrefix)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
