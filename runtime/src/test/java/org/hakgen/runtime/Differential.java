package org.hakgen.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The differential test of two builds: the same single-threaded random sequence of malloc, calloc,
 * realloc, free and trim on both, in phases that grow and shrink the live set, asserting after every call that both returned the same block, and at
 * the end that their statistics are identical and their invariants hold. Used by the generated builds'
 * tests and the generator's property test, with the generic build as the reference.
 *
 * <p>"The same block": two allocators map their chunks at different addresses, so a small block is
 * compared as (the serial number of its chunk in its allocator, its offset in the chunk), and a large
 * block by its usable size.
 */
public final class Differential {
    private Differential() {}

    /**
     * Runs {@code ops} calls on {@code reference} and {@code candidate}, sizes drawn by {@code sizes}
     * from the shared random source; fails with the first call whose results differ.
     */
    public static void run(HakAllocator reference, HakAllocator candidate, ToLongFunction<SplittableRandom> sizes,
                           long seed, int ops) {
        SplittableRandom random = new SplittableRandom(seed);
        List<long[]> live = new ArrayList<>();   // {reference block, candidate block}
        for (int op = 0; op < ops; op++) {
            // Phases of 1,000 calls that grow the live set, then shrink it, so every magazine fills up,
            // overflows into the thread list and drains, and the drain interval comes round.
            boolean growing = op / 1000 % 2 == 0;
            int kind = random.nextInt(100);
            if (!growing && kind < 65) {
                kind = kind < 25 ? kind : 65 + (kind - 25) * 34 / 40;   // mostly frees
            }
            String call;
            long a, b;
            if (kind < 55 || live.isEmpty()) {
                long size = sizes.applyAsLong(random);
                call = "malloc(" + size + ")";
                a = reference.malloc(size);
                b = candidate.malloc(size);
                live.add(new long[] {a, b});
            } else if (kind < 60) {
                long size = sizes.applyAsLong(random);
                call = "calloc(1, " + size + ")";
                a = reference.calloc(1, size);
                b = candidate.calloc(1, size);
                live.add(new long[] {a, b});
            } else if (kind < 65) {
                int index = random.nextInt(live.size());
                long[] block = live.get(index);
                long size = sizes.applyAsLong(random);
                call = "realloc(block, " + size + ")";
                a = reference.realloc(block[0], size);
                b = candidate.realloc(block[1], size);
                if (a == 0 || b == 0) {   // realloc(p, 0) frees p
                    assertEquals(a, b, "op " + op + ", " + call + ": one build freed, the other did not");
                    live.remove(index);
                    continue;
                }
                block[0] = a;
                block[1] = b;
            } else if (kind < 99) {
                long[] block = live.remove(random.nextInt(live.size()));
                reference.free(block[0]);
                candidate.free(block[1]);
                continue;
            } else {
                reference.trim();
                candidate.trim();
                continue;
            }
            String expected = where(reference, a), actual = where(candidate, b);
            if (!expected.equals(actual)) {
                assertEquals(expected, actual, "op " + op + ", " + call + ": the builds returned different blocks");
            }
        }
        for (long[] block : live) {
            reference.free(block[0]);
            candidate.free(block[1]);
        }
        assertEquals(reference.stats(), candidate.stats(), "statistics after " + ops + " calls");
        assertEquals(Invariants.check(reference), Invariants.check(candidate), "bytes in use by the invariants");
    }

    /** A block as (chunk serial, offset), or a large block by its size. */
    static String where(HakAllocator allocator, long address) {
        Backend backend = ((AllocatorBase) allocator).backend();
        Chunk chunk = backend.shared.chunkAt(address);
        if (chunk != null) {
            return "chunk " + chunk.serial + " + " + (address - chunk.base);
        }
        return "large block of " + backend.usableSize(address) + " B";
    }

    /**
     * Sizes drawn by a class mix: with probability {@code shares[i]} a size in class {@code i}'s range
     * (above the class below, up to its size), with {@code mid} one in 1 KiB + 1 … 32 KiB, and with
     * {@code large} one in 32 KiB + 1 … 256 KiB. Zero-size requests come up now and then too.
     */
    public static ToLongFunction<SplittableRandom> mix(List<Integer> classes, List<Double> shares, double mid, double large) {
        return random -> {
            double r = random.nextDouble() * (shares.stream().mapToDouble(Double::doubleValue).sum() + mid + large);
            for (int i = 0; i < classes.size(); i++) {
                r -= shares.get(i);
                if (r < 0) {
                    int low = i == 0 ? 0 : classes.get(i - 1) + 1;
                    return random.nextInt(low, classes.get(i) + 1);
                }
            }
            r -= mid;
            if (r < 0 || large == 0) {
                return random.nextInt(HakConfig.TINY_MAX + 1, 32 * 1024 + 1);
            }
            return random.nextInt(32 * 1024 + 1, 256 * 1024 + 1);
        };
    }
}
