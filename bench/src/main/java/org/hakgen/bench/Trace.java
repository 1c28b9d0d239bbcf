package org.hakgen.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hakgen.generator.TraceException;
import org.hakgen.generator.TraceReader;

/**
 * An allocation trace ({@link TraceReader}) compiled into one replay program per thread of the trace,
 * over numbered slots shared by all of them: each block of the trace lives in a slot while it is live.
 *
 * <p>A thread's program runs its events in trace order. Where an event touches a slot another thread
 * touched last (a block freed by a thread other than the one that allocated it, or a slot freed by one
 * thread and reused by another), the program first waits until that thread has run the event in
 * question ({@link #WAIT}), so every replay is consistent with the trace's order; events of different
 * threads on different blocks run concurrently. Freed slots go back to the freeing thread, so a thread
 * that reuses its own slots never waits. Blocks still live at the end are freed at the end of the
 * program of the thread that touched them last. An allocation the trace marks {@code k=calloc} is
 * replayed as calloc ({@link #CALLOC}), every other allocation as malloc (alignment, {@code a=}, is not
 * replayed).
 *
 * @param programs  per thread of the trace, in order of first appearance: entries {@link #op},
 *                  {@link #slot}, {@link #size} decode
 * @param threadIds the trace's thread id of each program
 * @param slotCount slots the programs use
 * @param peakLive  the most requested bytes live at once
 * @param peakAt    {@code {thread, index}}: the program entry after which {@code peakLive} is reached
 * @param events    event lines read
 * @param skipped   lines that were neither a header nor an event
 * @param unmatched frees and reallocs of addresses the trace never allocated (ignored)
 * @param crossThreadFrees frees (and reallocs) of blocks another thread allocated
 */
public record Trace(long[][] programs, long[] threadIds, int slotCount, long peakLive, int[] peakAt, long events,
                    long skipped, long unmatched, long crossThreadFrees) {
    public static final int ALLOC = 0, FREE = 1, REALLOC = 2;
    /** Wait until program {@link #slot} has run {@link #size} entries. */
    public static final int WAIT = 3;
    /** An allocation of zeroed bytes (calloc). */
    public static final int CALLOC = 4;
    private static final int OP_BITS = 3, SLOT_BITS = 24;
    /** The largest request an entry holds: 2^37 - 1 bytes. */
    static final long MAX_SIZE = (1L << (64 - OP_BITS - SLOT_BITS)) - 1;

    public static int op(long e) {
        return (int) (e & ((1 << OP_BITS) - 1));
    }

    public static int slot(long e) {
        return (int) ((e >>> OP_BITS) & ((1 << SLOT_BITS) - 1));
    }

    public static long size(long e) {
        return e >>> (OP_BITS + SLOT_BITS);
    }

    private static long encode(int op, int slot, long size) {
        return op | (long) slot << OP_BITS | size << (OP_BITS + SLOT_BITS);
    }

    /** Threads of the trace. */
    public int threads() {
        return programs.length;
    }

    /** Malloc, free and realloc entries over all programs (waits left out). */
    public long operations() {
        long n = 0;
        for (long[] p : programs) {
            for (long e : p) {
                n += op(e) == WAIT ? 0 : 1;
            }
        }
        return n;
    }

    /** Reads a trace file (gzip or plain, {@link TraceReader}). */
    public static Trace read(Path file) throws IOException {
        Builder b = new Builder();
        TraceReader.Summary s = TraceReader.read(file, b);
        return b.finish(file.toString(), s);
    }

    static Trace read(String display, BufferedReader lines) throws IOException {
        Builder b = new Builder();
        TraceReader.Summary s = TraceReader.read(display, lines, b);
        return b.finish(display, s);
    }

    /** Thread programs as the trace's events arrive. */
    private static final class Builder implements TraceReader.Sink {
        final Map<Long, Integer> threadIndex = new LinkedHashMap<>();
        final List<Program> programs = new ArrayList<>();
        final Map<Long, Integer> slotOf = new HashMap<>();
        long[] liveSize = new long[1024];
        int[] lastThread = new int[1024];
        long[] lastIndex = new long[1024];
        int slots;
        long live, peak, unmatched, crossThread;
        int[] peakAt = {0, 0};

        /** One thread's program, the slots it freed and may reuse, and how far it has waited for each other thread. */
        static final class Program {
            long[] ops = new long[1 << 10];
            int count;
            final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
            long[] waited = new long[4];

            void emit(long e) {
                if (count == ops.length) {
                    ops = Arrays.copyOf(ops, count * 2);
                }
                ops[count++] = e;
            }
        }

        int thread(long id) {
            return threadIndex.computeIfAbsent(id, k -> {
                programs.add(new Program());
                return programs.size() - 1;
            });
        }

        /** Emits {@code op} on {@code slot} for thread {@code t}, after waiting for the slot's last toucher. */
        void emit(int t, int op, int slot, long size) throws TraceException {
            Program p = programs.get(t);
            int u = lastThread[slot];
            if (u >= 0 && u != t) {
                if (p.waited.length <= u) {
                    p.waited = Arrays.copyOf(p.waited, Math.max(u + 1, p.waited.length * 2));
                }
                if (p.waited[u] < lastIndex[slot]) {
                    p.emit(encode(WAIT, u, lastIndex[slot]));
                    p.waited[u] = lastIndex[slot];
                }
            }
            p.emit(encode(op, slot, size));
            lastThread[slot] = t;
            lastIndex[slot] = p.count;
        }

        @Override
        public void alloc(long thread, long address, long size, TraceReader.Kind kind, long alignment) throws TraceException {
            int t = thread(thread);
            if (address == 0) {
                return;   // a failed allocation changes nothing
            }
            if (slotOf.containsKey(address)) {
                throw new TraceReader.Rejected("address 0x" + Long.toHexString(address) + " is allocated again while live");
            }
            checkSize(size);
            Program p = programs.get(t);
            int slot;
            if (p.freeSlots.isEmpty()) {
                slot = slots++;
                if (slot >= 1 << SLOT_BITS) {
                    throw new TraceReader.Rejected("more than " + (1 << SLOT_BITS) + " blocks live at once");
                }
                if (slot >= liveSize.length) {
                    int n = liveSize.length * 2;
                    liveSize = Arrays.copyOf(liveSize, n);
                    lastIndex = Arrays.copyOf(lastIndex, n);
                    int from = lastThread.length;
                    lastThread = Arrays.copyOf(lastThread, n);
                    Arrays.fill(lastThread, from, n, -1);
                }
                lastThread[slot] = -1;
            } else {
                slot = p.freeSlots.pop();
            }
            liveSize[slot] = size;
            slotOf.put(address, slot);
            emit(t, kind == TraceReader.Kind.CALLOC ? CALLOC : ALLOC, slot, size);
            grew(t, size);
        }

        @Override
        public void free(long thread, long address, TraceReader.Kind kind) throws TraceException {
            int t = thread(thread);
            Integer slot = slotOf.remove(address);
            if (slot == null) {
                unmatched++;
                return;
            }
            crossThread += lastThread[slot] != t ? 1 : 0;
            emit(t, FREE, slot, 0);
            live -= liveSize[slot];
            liveSize[slot] = 0;
            programs.get(t).freeSlots.push(slot);
        }

        @Override
        public void realloc(long thread, long oldAddress, long newAddress, long size) throws TraceException {
            int t = thread(thread);
            Integer slot = slotOf.get(oldAddress);
            if (slot == null) {
                unmatched++;
                alloc(thread, newAddress, size, TraceReader.Kind.REALLOC, 0);
                return;
            }
            slotOf.remove(oldAddress);
            if (slotOf.containsKey(newAddress)) {
                throw new TraceReader.Rejected("realloc moves a block to 0x" + Long.toHexString(newAddress)
                        + ", which is live");
            }
            slotOf.put(newAddress, slot);
            crossThread += lastThread[slot] != t ? 1 : 0;
            checkSize(size);
            emit(t, REALLOC, slot, size);
            long before = liveSize[slot];
            liveSize[slot] = size;
            grew(t, size - before);
        }

        static void checkSize(long size) throws TraceException {
            if (size > MAX_SIZE) {
                throw new TraceReader.Rejected(size + " bytes: more than the " + MAX_SIZE + " a replay holds");
            }
        }

        void grew(int t, long bytes) {
            live += bytes;
            if (live > peak) {
                peak = live;
                peakAt = new int[] {t, programs.get(t).count - 1};
            }
        }

        /**
         * The trace read from {@code display}; a trace in which nothing was allocated (an empty file, or one
         * in another format whose lines were all skipped) is refused rather than benchmarked as nothing.
         */
        Trace finish(String display, TraceReader.Summary s) throws TraceException {
            if (slots == 0) {
                throw new TraceException(display + " has no allocations (" + s.describe(display)
                        + "); valid: a trace with at least one '+' event");
            }
            for (int slot : slotOf.values()) {   // blocks the program never freed: their last toucher frees them
                programs.get(lastThread[slot]).emit(encode(FREE, slot, 0));
            }
            long[][] ops = programs.stream().map(p -> Arrays.copyOf(p.ops, p.count)).toArray(long[][]::new);
            long[] ids = threadIndex.keySet().stream().mapToLong(Long::longValue).toArray();
            return new Trace(ops, ids, slots, peak, peakAt, s.events(), s.skipped(), unmatched, crossThread);
        }
    }
}
