package io.hermesnet.telemetry;

import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.LeaveReason;

/**
 * The counting hooks of one server: the events an operations endpoint turns into metrics (see
 * docs/operations.md for the metric each one feeds). One instance per server, given to the
 * {@link io.hermesnet.hub.HermesHub} constructor, which hands it to the pipeline; nothing here is static. Every method
 * does nothing by default, and {@link #NOOP} is the default of a hub built without one, in which case
 * the pipeline adds no counting stage at all. {@link HermesCounters} is the lock-free implementation.
 *
 * <p>Threading: every method may be called from any thread at once, including each event loop's
 * fan-out, so an implementation must not lock nor block: count with {@code LongAdder}s or per-thread
 * counters. The callers count once per batch where they can (a fan-out's recipients, a read's bytes,
 * a flush's bytes), so the counts are exact but a read or flush in progress shows up when it ends.
 */
public interface HermesMetrics {
    /** The hooks that count nothing. */
    HermesMetrics NOOP = new HermesMetrics() {
    };

    /** Why a connection was refused admission (docs/protocol.md, admission). */
    enum Rejection {
        /** {@code --max-clients} clients are connected. */
        FULL,
        /** {@code --max-per-ip} connections from the client's address are open. */
        PER_IP,
        /** A shutdown has begun. */
        SHUTTING_DOWN
    }

    /** How an {@code EXEC} request ended (docs/protocol.md, EXEC). */
    enum ExecOutcome {
        /** Sent to its target: {@code OK EXEC} to the issuer. */
        ALLOWED,
        /** Refused with {@code ERROR FORBIDDEN}. */
        FORBIDDEN,
        /** Refused with {@code ERROR NO_SUCH_RANK}. */
        NO_SUCH_RANK,
        /** An allowed EXEC answered by its target's {@code /result}. */
        ANSWERED,
        /** An allowed EXEC that will never be answered: its target or issuer left, or it timed out. */
        NO_ANSWER
    }

    /** A client was admitted (after its {@code WELCOME} was queued). */
    default void connectionAccepted() {
    }

    /** A connection was refused admission and is being closed. */
    default void connectionRejected(Rejection why) {
    }

    /** An admitted client left, once per client. */
    default void disconnected(LeaveReason reason) {
    }

    /** {@code n} complete client lines (frames within {@code --max-line}) were read. */
    default void linesReceived(long n) {
    }

    /** {@code n} server lines were handed to clients' channels: a fan-out counts its recipients at once. */
    default void linesDelivered(long n) {
    }

    /** {@code n} bytes were read from clients' sockets. */
    default void bytesIn(long n) {
    }

    /** {@code n} bytes were handed to clients' sockets (written and flushed toward the kernel). */
    default void bytesOut(long n) {
    }

    /** An {@code ERROR <code>} line was sent to a client. */
    default void error(ErrorCode code) {
    }

    /** An {@code EXEC} request reached {@code outcome}; {@code n} of them at once. */
    default void exec(ExecOutcome outcome, int n) {
    }

    /**
     * The logging queue dropped {@code n} per-message log lines (RX, TX, BROADCAST) because it was
     * full: for the logging's drop counter to report into.
     */
    default void logLinesDropped(long n) {
    }
}
