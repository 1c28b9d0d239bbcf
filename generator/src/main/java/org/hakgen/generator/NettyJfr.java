package org.hakgen.generator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of Netty's buffer events read as an allocation trace: Netty 4.2 and later commit
 * {@value #ALLOCATE}, {@value #FREE} and {@value #REALLOCATE} (disabled by default) with the buffer's
 * {@code size}, whether it is {@code direct}, and its memory {@code address}. Recorded with
 *
 * <pre>java {@value #RECORD_OPTION}… -jar server.jar</pre>
 *
 * <p>Each direct buffer becomes a malloc of its capacity on the event's Java thread, and its release a
 * free on the releasing thread. A reallocation event names the old buffer and is followed on its thread
 * by the allocation of the new memory: the two become one realloc. Heap buffers use no native memory,
 * and a release of a buffer allocated before the recording started has nothing to pair with: both are
 * counted as skipped, with the reason, never dropped silently.
 *
 * <p>JFR writes each thread's events in order but the threads' buffers one after another, so the
 * events are sorted by their start time (a stable sort: a thread's own order is kept). Two threads'
 * clocks can still disagree by a little: a buffer released on one thread and its memory handed out
 * again on another may come out allocated before it was freed. Such a release is moved to just before
 * the allocation (counted as reordered), which is the only order the program could have had. The
 * recording is held in memory while it is sorted: about 56 bytes per event.
 */
final class NettyJfr {
    static final String ALLOCATE = "io.netty.AllocateBuffer";
    static final String FREE = "io.netty.FreeBuffer";
    static final String REALLOCATE = "io.netty.ReallocateBuffer";
    /** The JVM option that records the three events, without stack traces (they cost the most). */
    static final String RECORD_OPTION = "-XX:StartFlightRecording:+" + ALLOCATE + "#enabled=true,+" + ALLOCATE
            + "#stackTrace=false,+" + FREE + "#enabled=true,+" + FREE + "#stackTrace=false,+" + REALLOCATE
            + "#enabled=true,+" + REALLOCATE + "#stackTrace=false,filename=netty.jfr";

    private NettyJfr() {
    }

    /** What one buffer event says, in the recording's order. */
    enum Op { ALLOCATE, FREE, REALLOCATE }

    /**
     * One direct-buffer event.
     *
     * @param time    start time, in nanoseconds since the epoch
     * @param thread  Java thread id ({@link TraceReader#NO_THREAD} when the event has no thread)
     * @param address the buffer's memory (for {@link Op#REALLOCATE}, its old memory)
     * @param size    capacity in bytes (for {@link Op#REALLOCATE}, the capacity asked for)
     */
    record Event(long time, long thread, Op op, long address, long size) {
    }

    /** True when {@code head} (the file's first bytes) is a JFR recording's magic, {@code FLR\0}. */
    static boolean isJfr(byte[] head) {
        return head.length >= 4 && head[0] == 'F' && head[1] == 'L' && head[2] == 'R' && head[3] == 0;
    }

    /** Reads the recording at {@code file} into {@code sink}. */
    static TraceReader.Summary read(Path file, TraceReader.Sink sink) throws IOException {
        List<Event> events = new ArrayList<>();
        long read = 0, heap = 0, noAddress = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                read++;
                Op op = switch (e.getEventType().getName()) {
                    case ALLOCATE -> Op.ALLOCATE;
                    case FREE -> Op.FREE;
                    case REALLOCATE -> Op.REALLOCATE;
                    default -> null;
                };
                if (op == null) {
                    continue;
                }
                if (!e.getBoolean("direct")) {
                    heap++;
                    continue;
                }
                long address = e.getLong("address");
                if (address == 0) {
                    noAddress++;
                    continue;
                }
                RecordedThread t = e.getThread();
                long thread = t == null ? TraceReader.NO_THREAD : t.getJavaThreadId();
                long size = op == Op.REALLOCATE ? e.getLong("newCapacity") : e.getLong("size");
                java.time.Instant at = e.getStartTime();
                events.add(new Event(at.getEpochSecond() * 1_000_000_000L + at.getNano(), thread, op, address, size));
            }
        } catch (IOException | RuntimeException e) {
            throw new TraceException(file + ": not a readable JFR recording: " + e.getMessage());
        }
        if (events.isEmpty()) {
            throw new TraceException(file + ": a JFR recording (" + read + " events) with no direct buffer events of "
                    + "Netty (" + ALLOCATE + ", " + FREE + ")" + (heap > 0 ? "; " + heap + " were heap buffers" : "")
                    + ". Record them with Netty 4.2 or later and " + RECORD_OPTION);
        }
        events.sort(Comparator.comparingLong(Event::time));
        Converter c = new Converter(file.toString(), sink);
        c.convert(events);
        long skipped = heap + noAddress + c.unmatched;
        String why = skipped == 0 ? "" : skipped + " buffer event(s) skipped: " + String.join(", ", List.of(
                heap + " of heap buffers (no native memory)",
                noAddress + " of direct buffers without an address (Netty without Unsafe)",
                c.unmatched + " releases or reallocations of buffers allocated before the recording started"))
                + (c.reordered == 0 ? "" : "; " + c.reordered + " release(s) moved before the allocation that reused their memory");
        return new TraceReader.Summary(read, c.forwarded, skipped, 0, why);
    }

    /** Turns sorted events into a consistent trace for a sink. */
    static final class Converter {
        private final String display;
        private final TraceReader.Sink sink;
        private final Set<Long> live = new HashSet<>();
        /** A thread's reallocation waiting for its allocation: the old address. */
        private final Map<Long, Long> pending = new HashMap<>();
        long forwarded, unmatched, reordered;

        Converter(String display, TraceReader.Sink sink) {
            this.display = display;
            this.sink = sink;
        }

        void convert(List<Event> events) throws TraceException {
            int n = events.size();
            // nextFree[i]: the index of the first release of event i's address after i, or -1.
            int[] nextFree = new int[n];
            Map<Long, Integer> later = new HashMap<>();
            for (int i = n - 1; i >= 0; i--) {
                Event e = events.get(i);
                nextFree[i] = later.getOrDefault(e.address(), -1);
                if (e.op() == Op.FREE) {
                    later.put(e.address(), i);
                }
            }
            boolean[] done = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (done[i]) {
                    continue;
                }
                Event e = events.get(i);
                switch (e.op()) {
                    case ALLOCATE -> {
                        Long old = pending.remove(e.thread());
                        if (old == null || old.longValue() != e.address()) {
                            makeRoom(events, nextFree, done, i);
                        }
                        if (old != null && live.remove(old)) {
                            sink.realloc(e.thread(), old, e.address(), e.size());
                        } else {
                            unmatched += old != null ? 1 : 0;   // a reallocation of a buffer from before the recording
                            sink.alloc(e.thread(), e.address(), e.size(), TraceReader.Kind.MALLOC, 0);
                        }
                        live.add(e.address());
                        forwarded++;
                    }
                    case FREE -> {
                        settle(e.thread());
                        free(e.thread(), e.address());
                    }
                    case REALLOCATE -> {
                        settle(e.thread());
                        pending.put(e.thread(), e.address());
                    }
                }
            }
            for (long thread : List.copyOf(pending.keySet())) {
                settle(thread);
            }
        }

        /** Before event {@code i} allocates at an address still live, the release that freed it, from later on. */
        private void makeRoom(List<Event> events, int[] nextFree, boolean[] done, int i) throws TraceException {
            Event e = events.get(i);
            if (!live.contains(e.address())) {
                return;
            }
            int j = nextFree[i];
            if (j < 0) {
                throw new TraceException(display + ": event " + (i + 1) + " (thread " + e.thread() + "): the buffer at 0x"
                        + Long.toHexString(e.address()) + " is allocated again while live, and the recording never "
                        + "releases it (events lost?)");
            }
            done[j] = true;
            reordered++;
            free(events.get(j).thread(), e.address());
        }

        /** A thread's reallocation that no allocation followed: its old memory was released. */
        private void settle(long thread) throws TraceException {
            Long old = pending.remove(thread);
            if (old != null) {
                free(thread, old);
            }
        }

        private void free(long thread, long address) throws TraceException {
            if (live.remove(address)) {
                sink.free(thread, address, TraceReader.Kind.MALLOC);
                forwarded++;
            } else {
                unmatched++;
            }
        }
    }
}
