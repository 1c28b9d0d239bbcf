package org.hakgen.runtime;

/** Factory of the generic build: the allocator with every knob left open at run time. */
public final class Hakmem {
    private Hakmem() {}

    /**
     * A new generic allocator configured by {@code config}. It maps nothing until the first malloc.
     *
     * @throws UnsupportedOperationException when not on Linux
     */
    public static HakAllocator generic(HakConfig config) {
        return new GenericAllocator(config);
    }
}
