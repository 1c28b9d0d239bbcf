package org.hakgen.runtime;

/**
 * The generic build: every knob of {@link HakConfig} read at run time by its {@link ThreadCache}.
 */
final class GenericAllocator extends AllocatorBase {

    GenericAllocator(HakConfig config) {
        super(config);
    }

    @Override
    protected FrontEnd newCache(Backend backend, Thread owner) {
        return new ThreadCache(backend, owner);
    }

    private ThreadCache heap() {
        return (ThreadCache) cache();
    }

    @Override
    public long malloc(long size) {
        return heap().mallocLocal(size);
    }

    @Override
    public void free(long address) {
        heap().freeLocal(address);
    }

    @Override
    public long calloc(long count, long size) {
        return heap().callocLocal(count, size);
    }

    @Override
    public long realloc(long address, long newSize) {
        return heap().reallocLocal(address, newSize);
    }

    @Override
    public String toString() {
        return "GenericAllocator" + backend().classes;
    }
}
