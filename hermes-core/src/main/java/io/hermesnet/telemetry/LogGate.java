package io.hermesnet.telemetry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server-wide gate of the per-message log lines ({@code RX}, {@code TX}, {@code BROADCAST}) of
 * docs/protocol.md "Logging": each such log site asks {@link #admit()} before it builds its line, so a
 * line the asynchronous log queue has no room for costs one capacity read and one counter increment,
 * never a formatted string. {@code STATE} and {@code EXEC} lines never pass here and are never dropped:
 * the gate keeps {@code reserve} slots of the queue for them.
 *
 * <p>Besides the queue's room, the gate has a budget: at most {@code linesPerRefill} per-message lines
 * between two {@link #refill()} calls (hermes-server refills every {@link #REFILL_INTERVAL_MS} ms, so
 * {@code linesPerRefill = 1,000} is 10,000 lines per second). Why: the asynchronous queue keeps logging off the
 * event loop's thread but not off its core; a flood of chat would otherwise keep log4j's background
 * thread formatting and writing two lines per chat line (RX and BROADCAST) and take a third of a shared
 * core from the fan-out. Past the budget a line costs one volatile read and a counter increment.
 *
 * <p>One instance per server, injected through {@link io.hermesnet.hub.HermesHub}; the server logs the count of dropped
 * lines once per interval ({@link io.hermesnet.server.HermesServer}). Thread-safe: any event loop may call {@link #admit()}.
 */
public final class LogGate {
    private final LongSupplier remainingCapacity;
    private final long reserve;
    private final long linesPerRefill;
    private final AtomicLong budget;
    private final LongAdder dropped = new LongAdder();

    /** How often hermes-server calls {@link #refill()}, in ms. */
    public static final long REFILL_INTERVAL_MS = 100;

    /**
     * @param remainingCapacity free slots of the log queue now; called from event loops, so it must be
     *                          cheap and must not block
     * @param reserve           slots kept free for STATE and EXEC lines: a per-message line is dropped
     *                          unless more than this many are free; at least 0
     * @param linesPerRefill    per-message lines admitted between two {@link #refill()} calls; at least 1
     * @throws IllegalArgumentException if {@code reserve} is negative or {@code linesPerRefill} below 1
     */
    public LogGate(LongSupplier remainingCapacity, long reserve, long linesPerRefill) {
        if (reserve < 0) {
            throw new IllegalArgumentException("reserve must not be negative: " + reserve);
        }
        if (linesPerRefill < 1) {
            throw new IllegalArgumentException("linesPerRefill must be at least 1: " + linesPerRefill);
        }
        this.remainingCapacity = remainingCapacity;
        this.reserve = reserve;
        this.linesPerRefill = linesPerRefill;
        this.budget = new AtomicLong(linesPerRefill);
    }

    /** A gate that admits every line: for a synchronous logging configuration, which has no queue. */
    public static LogGate unbounded() {
        return new LogGate(() -> Long.MAX_VALUE, 0, Long.MAX_VALUE);
    }

    /**
     * Whether a per-message line may be logged now; if not, counts it as dropped. Call after the
     * level check and before building anything of the line.
     */
    public boolean admit() {
        // the plain read first: once the budget is spent, a flood's lines do not fight over the counter
        if (budget.get() > 0 && budget.getAndDecrement() > 0 && remainingCapacity.getAsLong() > reserve) {
            return true;
        }
        dropped.increment();
        return false;
    }

    /** Gives the budget back ({@code linesPerRefill} lines); any thread, e.g. a scheduled task. */
    public void refill() {
        budget.set(linesPerRefill);
    }

    /** The lines dropped since the last call, and resets the count: for the periodic report. */
    public long takeDropped() {
        return dropped.sumThenReset();
    }
}
