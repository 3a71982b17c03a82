package io.hermesnet.telemetry;

import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.LeaveReason;

import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link HermesMetrics} that counts: one {@link LongAdder} per counter (one per label value for
 * the counters by reason, code or outcome), so counting costs no lock and, on the fan-out path, no
 * contended cache line between event loops. An operations endpoint reads the totals when it is
 * scraped (docs/operations.md lists the metric each getter feeds).
 *
 * <p>Thread-safe: every method, from any thread. A total read while events are counted is a snapshot
 * of some moment between the first and last of them; counters only grow.
 */
public final class HermesCounters implements HermesMetrics {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder[] rejected = adders(Rejection.values().length);
    private final LongAdder[] disconnects = adders(LeaveReason.values().length);
    private final LongAdder linesReceived = new LongAdder();
    private final LongAdder linesDelivered = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder[] errors = adders(ErrorCode.values().length);
    private final LongAdder[] execs = adders(ExecOutcome.values().length);
    private final LongAdder logLinesDropped = new LongAdder();

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    @Override
    public void connectionAccepted() {
        accepted.increment();
    }

    @Override
    public void connectionRejected(Rejection why) {
        rejected[why.ordinal()].increment();
    }

    @Override
    public void disconnected(LeaveReason reason) {
        disconnects[reason.ordinal()].increment();
    }

    @Override
    public void linesReceived(long n) {
        linesReceived.add(n);
    }

    @Override
    public void linesDelivered(long n) {
        linesDelivered.add(n);
    }

    @Override
    public void bytesIn(long n) {
        bytesIn.add(n);
    }

    @Override
    public void bytesOut(long n) {
        bytesOut.add(n);
    }

    @Override
    public void error(ErrorCode code) {
        errors[code.ordinal()].increment();
    }

    @Override
    public void exec(ExecOutcome outcome, int n) {
        execs[outcome.ordinal()].add(n);
    }

    @Override
    public void logLinesDropped(long n) {
        logLinesDropped.add(n);
    }

    /** Clients admitted since the start. */
    public long connectionsAccepted() {
        return accepted.sum();
    }

    /** Connections refused for {@code why} since the start. */
    public long connectionsRejected(Rejection why) {
        return rejected[why.ordinal()].sum();
    }

    /** Clients that left with {@code reason} since the start. */
    public long disconnects(LeaveReason reason) {
        return disconnects[reason.ordinal()].sum();
    }

    /** Complete client lines read since the start. */
    public long linesReceived() {
        return linesReceived.sum();
    }

    /** Server lines handed to clients since the start. */
    public long linesDelivered() {
        return linesDelivered.sum();
    }

    /** Bytes read from clients since the start. */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Bytes handed to clients' sockets since the start. */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /** {@code ERROR <code>} lines sent since the start. */
    public long errors(ErrorCode code) {
        return errors[code.ordinal()].sum();
    }

    /** EXEC requests that reached {@code outcome} since the start. */
    public long execs(ExecOutcome outcome) {
        return execs[outcome.ordinal()].sum();
    }

    /** Log lines the logging queue dropped since the start. */
    public long logLinesDropped() {
        return logLinesDropped.sum();
    }
}
