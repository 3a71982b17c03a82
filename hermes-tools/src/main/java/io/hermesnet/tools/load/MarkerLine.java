package io.hermesnet.tools.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The chat lines {@code hermes-load} publishes: {@code HLd|<run>|<publisher>|<seq>|<nanos>|xxx…}, padded
 * with {@code x} to the payload size, no spaces, LF-terminated. {@code <run>} is 8 hex digits naming
 * the run, so that two load generators on one server ignore each other's lines; {@code <nanos>} is the
 * publisher's {@link System#nanoTime()} when the line was formatted, less the run's epoch (fewer
 * digits to write and parse), which the subscribers (same JVM, same clock) subtract from their receive
 * time.
 *
 * <p>Formatting and parsing work on byte arrays and allocate nothing, so that a run of millions of
 * lines per second is not measuring the garbage collector (nor, in tests, Netty's paranoid leak
 * detector, which records every access to a buffer). Immutable and thread-safe; {@link Fields} is not.
 */
final class MarkerLine {
    private static final byte SEP = '|';
    private static final byte LF = '\n';
    /** Room for the numbers: publisher (10 digits), seq and nanos (up to 20 characters each), 3 separators. */
    private static final int NUMBERS_MAX = 10 + 20 + 20 + 3;
    private static final byte[] LONG_MIN = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);

    private final byte[] prefix;
    private final byte[] padding;
    private final int payloadBytes;

    /**
     * @param runId        names the run in every line
     * @param payloadBytes the length of each line without its LF; lines are never shorter than the marker
     */
    MarkerLine(int runId, int payloadBytes) {
        this.prefix = String.format("HLd|%08x|", runId).getBytes(StandardCharsets.US_ASCII);
        this.payloadBytes = payloadBytes;
        this.padding = new byte[Math.max(0, payloadBytes - prefix.length - 6)];
        Arrays.fill(padding, (byte) 'x');
    }

    /** The most bytes {@link #write} puts down for one line, LF included. */
    int maxLineBytes() {
        return Math.max(payloadBytes, prefix.length + NUMBERS_MAX) + 1;
    }

    /**
     * Puts one line (payload and LF) into {@code out} at {@code at}, which has room for
     * {@link #maxLineBytes()}.
     *
     * @return the index after the line
     */
    int write(byte[] out, int at, int publisher, long seq, long nanos) {
        int start = at;
        System.arraycopy(prefix, 0, out, at, prefix.length);
        at = writeDecimal(out, at + prefix.length, publisher);
        out[at++] = SEP;
        at = writeDecimal(out, at, seq);
        out[at++] = SEP;
        at = writeDecimal(out, at, nanos);
        out[at++] = SEP;
        int pad = payloadBytes - (at - start);
        if (pad > 0) {
            System.arraycopy(padding, 0, out, at, pad);
            at += pad;
        }
        out[at++] = LF;
        return at;
    }

    /**
     * Parses the payload in {@code buf} from {@code from} (inclusive) to {@code to} (exclusive) into
     * {@code into}.
     *
     * @return false when it is not a marker line of this run (someone else's chat, another run's line)
     */
    boolean parse(byte[] buf, int from, int to, Fields into) {
        if (to - from < prefix.length + 6 || !Arrays.equals(buf, from, from + prefix.length, prefix, 0, prefix.length)) {
            return false;
        }
        int i = number(buf, from + prefix.length, to, into);
        if (i < 0 || into.number < 0 || into.number > Integer.MAX_VALUE) {
            return false;
        }
        into.publisher = (int) into.number;
        i = number(buf, i, to, into);
        if (i < 0) {
            return false;
        }
        into.seq = into.number;
        if (number(buf, i, to, into) < 0) {
            return false;
        }
        into.nanos = into.number;
        return true;
    }

    /**
     * Reads a decimal number (optional {@code -}, 1..19 digits) ending with {@code |} into
     * {@code into.number}; returns the index after the {@code |}, or -1 if there is none.
     */
    private static int number(byte[] buf, int from, int to, Fields into) {
        int i = from;
        boolean negative = i < to && buf[i] == '-';
        if (negative) {
            i++;
        }
        long v = 0;
        int digits = 0;
        for (; i < to; i++) {
            byte b = buf[i];
            if (b == SEP) {
                if (digits == 0) {
                    return -1;
                }
                into.number = negative ? -v : v;
                return i + 1;
            }
            if (b < '0' || b > '9' || ++digits > 19) {
                return -1;
            }
            v = v * 10 + (b - '0');
        }
        return -1;
    }

    private static int writeDecimal(byte[] out, int at, long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                System.arraycopy(LONG_MIN, 0, out, at, LONG_MIN.length);
                return at + LONG_MIN.length;
            }
            out[at++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = at + digits;
        for (int i = end - 1; i >= at; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }

    /** The numbers of one parsed line; one per connection, reused for every line. Not thread-safe. */
    static final class Fields {
        int publisher;
        long seq;
        long nanos;
        private long number;
    }
}
