package org.hakgen.generator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Streams an allocation trace to a {@link Sink}, one event at a time, never holding the file: the
 * format of {@code ../shared/traces/README.md}, which is glibc's mtrace text with optional trailing
 * {@code key=value} tokens ({@code t=TID}, {@code k=KIND}, {@code a=ALIGN}; unknown keys are ignored).
 * Plain glibc mtrace files, without {@code t=}, are one thread ({@link #NO_THREAD}). Gzip input is
 * recognised by its magic bytes, whatever the file is called.
 *
 * <p>Lines starting with {@code =} are headers. A line that is neither a header nor an event
 * ({@code @ ...}) is counted in {@link Summary#skipped()} and its first occurrence's line number kept,
 * never dropped silently. An event line that does not parse throws a {@link TraceException} naming
 * the file and line.
 *
 * <p>A JFR recording of Netty's buffer events is read too ({@link NettyJfr}), sorted into one order.
 */
public final class TraceReader {
    /** The thread id of events that carry none (plain glibc mtrace). */
    public static final long NO_THREAD = 0;

    /** How an allocation or free came about, from the {@code k=} field. */
    public enum Kind {
        MALLOC, CALLOC, REALLOC, POSIX_MEMALIGN, ALIGNED_ALLOC, MEMALIGN, VALLOC, PVALLOC, OTHER;

        /** The trace's spelling ({@code posix_memalign}). */
        public String spelling() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Kind of(String k) {
            return switch (k) {
                case "calloc" -> CALLOC;
                case "realloc" -> REALLOC;
                case "posix_memalign" -> POSIX_MEMALIGN;
                case "aligned_alloc" -> ALIGNED_ALLOC;
                case "memalign" -> MEMALIGN;
                case "valloc" -> VALLOC;
                case "pvalloc" -> PVALLOC;
                default -> OTHER;
            };
        }
    }

    /** Receives the events of a trace in file order. */
    public interface Sink {
        /** {@code +}: {@code size} bytes at {@code address}; {@code address} is 0 for a failed allocation. */
        void alloc(long thread, long address, long size, Kind kind, long alignment) throws TraceException;

        /** {@code -}: {@code address} freed ({@link Kind#REALLOC} for realloc to size 0). */
        void free(long thread, long address, Kind kind) throws TraceException;

        /** {@code <} then {@code >}: the block at {@code oldAddress} now lives at {@code newAddress} with {@code size} bytes. */
        void realloc(long thread, long oldAddress, long newAddress, long size) throws TraceException;

        /** {@code !}: a realloc that failed; the old block is unchanged. */
        default void failedRealloc(long thread, long oldAddress, long size) throws TraceException {
        }
    }

    /**
     * What a read saw.
     *
     * @param lines        lines read (for a JFR recording: its events of every type)
     * @param events       events passed to the sink ({@code <} and {@code >} of one realloc count as one)
     * @param skipped      lines (or JFR events) that were not passed on
     * @param firstSkipped the line number of the first skipped line, 0 if none or not a line
     * @param skippedWhy   what was skipped and why, for people; empty when nothing was
     */
    public record Summary(long lines, long events, long skipped, long firstSkipped, String skippedWhy) {
        /** One line for people: how many events, and what was skipped if anything. */
        public String describe(String display) {
            return display + ": " + events + " events" + (skipped == 0 ? "" : ", " + skippedWhy);
        }
    }

    private final String display;
    private final Sink sink;
    private long lineNo, events, skipped, firstSkipped;
    /** A realloc's {@code <} line waiting for its {@code >}: the old address, or -1. */
    private long pendingOld = -1, pendingThread;

    private TraceReader(String display, Sink sink) {
        this.display = display;
        this.sink = sink;
    }

    /**
     * Reads {@code file} into {@code sink}: an mtrace text (gzip or plain), or a JFR recording of Netty's
     * buffer events ({@link NettyJfr}), told apart by their first bytes.
     */
    public static Summary read(Path file, Sink sink) throws IOException {
        byte[] raw;
        try (InputStream in = Files.newInputStream(file)) {
            raw = in.readNBytes(4);
        }
        if (NettyJfr.isJfr(raw)) {
            return NettyJfr.read(file, sink);
        }
        try (PushbackInputStream in = new PushbackInputStream(open(file), 4)) {
            byte[] head = in.readNBytes(4);
            if (NettyJfr.isJfr(head)) {
                throw new TraceException(file + ": a gzip-compressed JFR recording; JFR is read by random access: "
                        + "decompress it first (gunzip)");
            }
            in.unread(head);
            return read(file.toString(), new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16), sink);
        }
    }

    /** Reads lines named {@code display} in messages into {@code sink}. */
    public static Summary read(String display, BufferedReader lines, Sink sink) throws IOException {
        TraceReader r = new TraceReader(display, sink);
        String line;
        while ((line = lines.readLine()) != null) {
            r.line(line);
        }
        if (r.pendingOld >= 0) {
            throw new TraceException(display + ":" + r.lineNo + ": the trace ends inside a realloc (a '<' line without "
                    + "its '>' line)");
        }
        return new Summary(r.lineNo, r.events, r.skipped, r.firstSkipped, r.skipped == 0 ? "" : r.skipped
                + " line(s) skipped as neither a header ('=') nor an event ('@'), the first at line " + r.firstSkipped);
    }

    /** The file's bytes, decompressed when they start with gzip's magic. */
    static InputStream open(Path file) throws IOException {
        PushbackInputStream in = new PushbackInputStream(Files.newInputStream(file), 2);
        byte[] magic = in.readNBytes(2);
        in.unread(magic);
        return isGzip(magic) ? new GZIPInputStream(in, 1 << 16) : in;
    }

    private static boolean isGzip(byte[] magic) {
        return magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
    }

    private void line(String line) throws TraceException {
        lineNo++;
        if (line.isEmpty() || line.charAt(0) == '=') {
            return;
        }
        if (!line.startsWith("@ ")) {
            if (skipped++ == 0) {
                firstSkipped = lineNo;
            }
            return;
        }
        String[] t = line.split(" +");
        if (t.length < 4) {
            throw bad(line, "an event needs '@ [CALLER] OP ADDRESS ...'");
        }
        // t[1] is the caller: [0xADDR], or FILE:[0xADDR] in glibc's own files; it is not used.
        String op = t[2];
        long thread = NO_THREAD, alignment = 0;
        Kind kind = Kind.MALLOC;
        int fixed = op.equals("+") || op.equals(">") || op.equals("!") ? 5 : 4;
        if (t.length < fixed) {
            throw bad(line, "'" + op + "' needs " + (fixed == 5 ? "an address and a size" : "an address"));
        }
        for (int i = fixed; i < t.length; i++) {
            String f = t[i];
            int eq = f.indexOf('=');
            if (eq <= 0) {
                throw bad(line, "'" + f + "' is not a key=value field (t=TID, k=KIND, a=ALIGN)");
            }
            switch (f.substring(0, eq)) {
                case "t" -> thread = decimal(f.substring(eq + 1), line, "t");
                case "k" -> kind = Kind.of(f.substring(eq + 1));
                case "a" -> alignment = decimal(f.substring(eq + 1), line, "a");
                default -> { }   // readers ignore keys they do not know
            }
        }
        if (pendingOld >= 0 && !op.equals(">")) {
            throw bad(line, "a realloc's '<' line must be followed by its '>' line");
        }
        try {
            event(t, op, thread, kind, alignment, line);
        } catch (Rejected e) {
            throw bad(line, e.getMessage());
        }
    }

    private void event(String[] t, String op, long thread, Kind kind, long alignment, String line) throws TraceException {
        switch (op) {
            case "+" -> {
                events++;
                long size = hex(t[4], line);
                sink.alloc(thread, t[3].equals("(nil)") ? 0 : hex(t[3], line), size, kind, alignment);
            }
            case "-" -> {
                events++;
                sink.free(thread, hex(t[3], line), kind);
            }
            case "<" -> {
                pendingOld = hex(t[3], line);
                pendingThread = thread;
            }
            case ">" -> {
                if (pendingOld < 0) {
                    throw bad(line, "a '>' line must follow a realloc's '<' line");
                }
                if (thread != pendingThread) {
                    throw bad(line, "a realloc's '>' line is from thread " + thread + ", its '<' line from " + pendingThread);
                }
                events++;
                long old = pendingOld;
                pendingOld = -1;
                sink.realloc(thread, old, hex(t[3], line), hex(t[4], line));
            }
            case "!" -> {
                events++;
                sink.failedRealloc(thread, hex(t[3], line), hex(t[4], line));
            }
            default -> throw bad(line, "unknown operation '" + op + "'; valid: + - < > !");
        }
    }

    private long hex(String token, String line) throws TraceException {
        try {
            if (!token.startsWith("0x")) {
                throw new NumberFormatException();
            }
            return Long.parseUnsignedLong(token, 2, token.length(), 16);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw bad(line, "'" + token + "' is not a hexadecimal number such as 0x7f00");
        }
    }

    private long decimal(String value, String line, String key) throws TraceException {
        try {
            long v = Long.parseLong(value);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad(line, key + "='" + value + "' is not valid; valid: a decimal number, e.g. " + key + "=1234");
        }
    }

    private TraceException bad(String line, String why) {
        return new TraceException(display + ":" + lineNo + ": " + why + ": " + line);
    }

    /**
     * What a sink throws for an event that parses but cannot be (an address allocated twice): the
     * reader rethrows it as a {@link TraceException} naming the file and line.
     */
    public static final class Rejected extends TraceException {
        private static final long serialVersionUID = 1L;

        public Rejected(String why) {
            super(why);
        }
    }
}
