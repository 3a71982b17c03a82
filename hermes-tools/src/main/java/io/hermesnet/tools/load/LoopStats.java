package io.hermesnet.tools.load;

import org.HdrHistogram.Histogram;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * What the connections of one event loop measured. Written only on that loop, without locks or
 * atomics (the hot path records into plain fields and a plain {@link Histogram}); read by the main
 * thread only after the loop has terminated, which orders those reads after every write.
 */
final class LoopStats {
    /** Latencies above this are recorded as this: a run is bounded by {@code --timeout} anyway. */
    static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(10);
    static final long MAX_TICK_DELAY_MICROS = TimeUnit.MINUTES.toMicros(10);

    /** Chat latency, publisher's write to subscriber's read, in nanoseconds. */
    final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
    /** Tick delay (interval between ID lines minus the tick interval, at least 0), in microseconds. */
    final Histogram tickDelay = new Histogram(MAX_TICK_DELAY_MICROS, 3);
    /** The same for the ticks that arrived during the hold, after the setup's join storm. */
    final Histogram holdTickDelay = new Histogram(MAX_TICK_DELAY_MICROS, 3);
    /** Marker lines of this run received by subscribers, duplicates included. */
    long received;
    /** Marker lines whose sequence number was not above the last one seen from that publisher. */
    long duplicates;
    /** Jumps in a publisher's sequence numbers (lines missing in between). */
    long gaps;
    /** Latest receive time of a marker line, {@link System#nanoTime()}; {@link Long#MIN_VALUE} before one. */
    long lastDeliveryNanos = Long.MIN_VALUE;
    /** {@code ERROR} lines after {@code WELCOME}, and the last one. */
    long serverErrors;
    String lastServerError;
    /** The array every connection of the loop copies its reads into (see {@link LineFramer#scratch}). */
    private byte[] scratch = new byte[64 * 1024];
    /** The values of the ID lines the subscribers received, in no order. */
    private int[] tickIds = new int[0];
    private int tickIdCount;

    byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, 2 * scratch.length)];
        }
        return scratch;
    }

    void recordLatency(long nanos) {
        latency.recordValue(Math.max(0, Math.min(MAX_LATENCY_NANOS, nanos)));
    }

    void recordTickDelay(long micros, boolean inHold) {
        long v = Math.max(0, Math.min(MAX_TICK_DELAY_MICROS, micros));
        tickDelay.recordValue(v);
        if (inHold) {
            holdTickDelay.recordValue(v);
        }
    }

    void addTickId(int id) {
        if (tickIdCount == tickIds.length) {
            tickIds = Arrays.copyOf(tickIds, Math.max(1024, tickIds.length * 2));
        }
        tickIds[tickIdCount++] = id;
    }

    /** A copy of the ID values received. */
    int[] tickIds() {
        return Arrays.copyOf(tickIds, tickIdCount);
    }
}
