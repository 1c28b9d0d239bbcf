package org.hakgen.runtime;

/** Factory of the generic build: the allocator with every knob left open at run time. */
public final class Hakmem {
    private Hakmem() {}

    /**
     * A new generic allocator configured by {@code config}. It maps nothing until the first malloc.
     * With {@link HakConfig#trace()} set it records every operation to that file (see {@code Recorder});
     * without, nothing of the recorder is in the way.
     *
     * @throws UnsupportedOperationException when not on Linux
     * @throws java.io.UncheckedIOException  if the trace file cannot be written
     */
    public static HakAllocator generic(HakConfig config) {
        GenericAllocator a = new GenericAllocator(config);
        return config.trace() == null ? a : Recorder.wrap(a, config.trace());
    }
}
