package org.hakgen.runtime;

/**
 * Thrown when mapping more memory would pass {@link HakConfig#memoryLimit()}. The allocator's state is
 * unchanged when it is thrown: nothing was taken from a cache, nothing is lost, and later calls work.
 */
final class MemoryLimitError extends OutOfMemoryError {
    private static final long serialVersionUID = 1L;

    MemoryLimitError(String message) {
        super(message);
    }
}
