package io.hermesnet.telemetry;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server-wide gate of the per-message log lines ({@code RX}, {@code TX}, {@code BROADCAST}) of
 * docs/protocol.md "Logging": each such log site asks {@link #admit()} before it builds its line, so a
 * line the asynchronous log queue has no room for costs one capacity read and one counter increment,
 * never a formatted string. {@code STATE} and {@code EXEC} lines never pass here and are never dropped:
 * the gate keeps {@code reserve} slots of the queue for them.
 *
 * <p>One instance per server, injected through {@link io.hermesnet.hub.HermesHub}; the server logs the count of dropped
 * lines once per interval ({@link io.hermesnet.server.HermesServer}). Thread-safe: any event loop may call {@link #admit()}.
 */
public final class LogGate {
    private final LongSupplier remainingCapacity;
    private final long reserve;
    private final LongAdder dropped = new LongAdder();

    /**
     * @param remainingCapacity free slots of the log queue now; called from event loops, so it must be
     *                          cheap and must not block
     * @param reserve           slots kept free for STATE and EXEC lines: a per-message line is dropped
     *                          unless more than this many are free; at least 0
     */
    public LogGate(LongSupplier remainingCapacity, long reserve) {
        if (reserve < 0) {
            throw new IllegalArgumentException("reserve must not be negative: " + reserve);
        }
        this.remainingCapacity = remainingCapacity;
        this.reserve = reserve;
    }

    /** A gate that admits every line: for a synchronous logging configuration, which has no queue. */
    public static LogGate unbounded() {
        return new LogGate(() -> Long.MAX_VALUE, 0);
    }

    /**
     * Whether a per-message line may be logged now; if not, counts it as dropped. Call after the
     * level check and before building anything of the line.
     */
    public boolean admit() {
        if (remainingCapacity.getAsLong() > reserve) {
            return true;
        }
        dropped.increment();
        return false;
    }

    /** The lines dropped since the last call, and resets the count: for the periodic report. */
    public long takeDropped() {
        return dropped.sumThenReset();
    }
}
