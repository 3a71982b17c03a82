package io.hermesnet.testkit;

import io.hermesnet.state.StateEvent;
import io.hermesnet.state.StateLog;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A cluster node's {@link StateLog} with the test barrier's markers ({@link Topology}): everything is
 * passed on to the backend's log, and every event it applies reaches the hub, except the markers, which
 * are recorded here. A marker is {@link StateEvent.ExecExpired} with a negative EXEC id, which no hub
 * hands out (EXEC ids are positive), so even a marker that slipped through would end nothing.
 *
 * <p>Threading: {@link #append} from any thread; the backend's applier thread records markers;
 * {@link #awaitMarkers} on the test thread.
 */
final class BarrierLog implements StateLog {
    private final StateLog inner;
    private final Set<Long> markers = new HashSet<>(); // guarded by this

    BarrierLog(StateLog inner) {
        this.inner = inner;
    }

    /** Appends the marker {@code token} (positive) after everything this node appended before. */
    void appendMarker(long token) {
        inner.append(new StateEvent.ExecExpired(-token));
    }

    /**
     * Waits until this node has applied the markers {@code from} … {@code to} (inclusive), at most {@code timeout}.
     *
     * @throws AssertionError if they are not all applied in time
     */
    synchronized void awaitMarkers(long from, long to, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long t = from; t <= to; t++) {
            while (!markers.contains(t)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("cluster barrier: node " + inner.nodeId() + " did not apply marker "
                            + t + " within " + timeout.toMillis() + " ms (applied: " + markers + ")");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    private synchronized void marked(long token) {
        markers.add(token);
        notifyAll();
    }

    @Override
    public void start(Applier applier) {
        inner.start(event -> {
            if (event instanceof StateEvent.ExecExpired e && e.execId() < 0) {
                marked(-e.execId());
            } else {
                applier.apply(event);
            }
        });
    }

    @Override
    public void append(StateEvent event) {
        inner.append(event);
    }

    @Override
    public void publish(StateEvent.Chat chat) {
        inner.publish(chat);
    }

    @Override
    public boolean appliesInline() {
        return inner.appliesInline();
    }

    @Override
    public String nodeId() {
        return inner.nodeId();
    }

    @Override
    public boolean isAvailable() {
        return inner.isAvailable();
    }

    @Override
    public void close() {
        inner.close();
    }
}
