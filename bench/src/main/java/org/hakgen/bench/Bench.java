package org.hakgen.bench;

import java.util.List;

/**
 * What every benchmark fork runs with: native access for FFM, Netty at its best (Unsafe and its
 * direct-buffer cleaner allowed, leak detection off as in production), and a fixed 1 GiB heap so GC
 * never becomes the subject. Each is a constant so the benchmarks' {@code @Fork} annotations can
 * name them.
 */
public final class Bench {
    static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
    static final String UNSAFE = "--sun-misc-unsafe-memory-access=allow";
    static final String OPEN_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    static final String OPEN_MISC = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    static final String NETTY_REFLECTION = "-Dio.netty.tryReflectionSetAccessible=true";
    static final String NETTY_NO_LEAK_DETECTION = "-Dio.netty.leakDetection.level=disabled";
    static final String HEAP_MIN = "-Xms1g";
    static final String HEAP_MAX = "-Xmx1g";

    /** The environment jemalloc needs in every fork to load into a JVM (PERF-NOTES). */
    public static final String JEMALLOC_TUNABLE = "glibc.rtld.optional_static_tls=16384";

    private Bench() {
    }

    /** The same options as a list, for the runner. */
    public static List<String> jvmArgs() {
        return List.of(NATIVE, UNSAFE, OPEN_NIO, OPEN_MISC, NETTY_REFLECTION, NETTY_NO_LEAK_DETECTION, HEAP_MIN, HEAP_MAX);
    }
}
