package org.hakgen.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * An allocation trace ({@code ../shared/traces/README.md}: glibc mtrace text with optional {@code t=},
 * {@code k=}, {@code a=} fields, gzip or plain) compiled into a replay program over numbered slots:
 * each block of the trace gets the lowest free slot while it lives.
 *
 * <p>Lines starting with {@code =} are headers; any other line that is not an {@code @} event is
 * counted in {@link #skipped}; a malformed event line throws, naming the file and line. A free of an
 * address the trace never allocated (a trace that starts mid-run) is counted in {@link #unmatched}.
 *
 * @param ops       the program: {@link #op}, {@link #slot}, {@link #size} decode each entry
 * @param slotCount slots the program uses at once
 * @param peakLive  the most requested bytes live at once
 * @param events    event lines read
 * @param skipped   lines that were neither a header nor an event
 * @param unmatched frees and reallocs of addresses the trace never allocated
 */
public record Trace(long[] ops, int slotCount, long peakLive, long events, long skipped, long unmatched) {
    public static final int ALLOC = 0, FREE = 1, REALLOC = 2;
    private static final int SLOT_BITS = 24;

    public static int op(long e) {
        return (int) (e & 3);
    }

    public static int slot(long e) {
        return (int) ((e >>> 2) & ((1 << SLOT_BITS) - 1));
    }

    public static long size(long e) {
        return e >>> (2 + SLOT_BITS);
    }

    private static long encode(int op, int slot, long size) {
        return op | (long) slot << 2 | size << (2 + SLOT_BITS);
    }

    /** Malformed trace input: the message names the file and line. */
    public static final class TraceException extends IOException {
        private static final long serialVersionUID = 1L;

        TraceException(String message) {
            super(message);
        }
    }

    /** Reads a trace file; {@code .gz} files are decompressed while read. */
    public static Trace read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            return read(file.toString(), new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16));
        }
    }

    static Trace read(String display, BufferedReader lines) throws IOException {
        Builder b = new Builder(display);
        String line;
        while ((line = lines.readLine()) != null) {
            b.line(line);
        }
        return b.finish();
    }

    private static final class Builder {
        final String display;
        final Map<Long, Integer> slotOf = new HashMap<>();
        long[] liveSize = new long[1024];
        final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
        long[] ops = new long[1 << 16];
        int count, slots;
        long live, peak, events, skipped, unmatched, lineNo;
        long pendingOld = -1;   // the address of a '<' line, waiting for its '>'

        Builder(String display) {
            this.display = display;
        }

        void line(String line) throws TraceException {
            lineNo++;
            if (line.isEmpty() || line.charAt(0) == '=') {
                return;
            }
            if (!line.startsWith("@ ")) {
                skipped++;
                return;
            }
            String[] t = line.split(" ");
            if (t.length < 4) {
                throw bad(line, "an event needs '@ CALLER OP ADDRESS ...'");
            }
            String op = t[2];
            if (pendingOld >= 0 && !op.equals(">")) {
                throw bad(line, "a realloc's '<' line must be followed by its '>' line");
            }
            events++;
            switch (op) {
                case "+" -> {
                    need(t, 5, line, "'+' needs an address and a size");
                    long size = hex(t[4], line);
                    if (!t[3].equals("(nil)")) {
                        alloc(hex(t[3], line), size, line);
                    }
                }
                case "-" -> {
                    Integer slot = slotOf.remove(hex(t[3], line));
                    if (slot == null) {
                        unmatched++;
                    } else {
                        release(slot);
                        emit(FREE, slot, 0);
                    }
                }
                case "<" -> pendingOld = hex(t[3], line);
                case ">" -> {
                    if (pendingOld < 0) {
                        throw bad(line, "a '>' line must follow a realloc's '<' line");
                    }
                    need(t, 5, line, "'>' needs an address and a size");
                    long address = hex(t[3], line), size = hex(t[4], line);
                    Integer slot = slotOf.remove(pendingOld);
                    pendingOld = -1;
                    if (slot == null) {
                        unmatched++;
                        alloc(address, size, line);
                    } else {
                        live += size - liveSize[slot];
                        peak = Math.max(peak, live);
                        liveSize[slot] = size;
                        slotOf.put(address, slot);
                        emit(REALLOC, slot, size);
                    }
                }
                case "!" -> { }   // a failed realloc changes nothing
                default -> throw bad(line, "unknown operation '" + op + "'; valid: + - < > !");
            }
        }

        void alloc(long address, long size, String line) throws TraceException {
            if (slotOf.containsKey(address)) {
                throw bad(line, "address 0x" + Long.toHexString(address) + " is allocated again while live");
            }
            int slot = freeSlots.isEmpty() ? slots++ : freeSlots.pop();
            if (slot >= 1 << SLOT_BITS) {
                throw bad(line, "more than " + (1 << SLOT_BITS) + " blocks live at once");
            }
            if (slot >= liveSize.length) {
                liveSize = Arrays.copyOf(liveSize, liveSize.length * 2);
            }
            liveSize[slot] = size;
            live += size;
            peak = Math.max(peak, live);
            slotOf.put(address, slot);
            emit(ALLOC, slot, size);
        }

        void release(int slot) {
            live -= liveSize[slot];
            liveSize[slot] = 0;
            freeSlots.push(slot);
        }

        void emit(int op, int slot, long size) {
            if (count == ops.length) {
                ops = Arrays.copyOf(ops, count * 2);
            }
            ops[count++] = encode(op, slot, size);
        }

        Trace finish() throws TraceException {
            if (pendingOld >= 0) {
                throw new TraceException(display + ": ends inside a realloc ('<' without its '>')");
            }
            return new Trace(Arrays.copyOf(ops, count), slots, peak, events, skipped, unmatched);
        }

        long hex(String token, String line) throws TraceException {
            try {
                if (!token.startsWith("0x")) {
                    throw new NumberFormatException();
                }
                return Long.parseUnsignedLong(token, 2, token.length(), 16);
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw bad(line, "'" + token + "' is not a hexadecimal number such as 0x7f00");
            }
        }

        void need(String[] t, int n, String line, String what) throws TraceException {
            if (t.length < n) {
                throw bad(line, what);
            }
        }

        TraceException bad(String line, String why) {
            return new TraceException(display + ":" + lineNo + ": " + why + ": " + line);
        }
    }
}
