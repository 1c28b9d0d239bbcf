package org.hakgen.runtime;

/**
 * A thread that carries one allocator's caches in a field (Netty's FastThreadLocalThread idea): when
 * its slot in the allocator's lookup table by thread id is taken by another thread, the implicit path
 * finds them with a type test and a compare instead of a {@code ThreadLocal} lookup. Made by
 * {@link HakAllocator#threadFactory()}; a HakThread that uses a second allocator reaches that one
 * through the table or the {@code ThreadLocal} fallback.
 */
public final class HakThread extends Thread {
    /** The allocator whose caches {@link #cache} holds; written once, by this thread. */
    Object cacheOwner;
    FrontEnd cache;

    HakThread(Runnable task, String name) {
        super(task, name);
        setDaemon(true);
    }
}
