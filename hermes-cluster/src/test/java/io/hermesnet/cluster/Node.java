package io.hermesnet.cluster;

import io.hermesnet.state.ClusterBackend;
import io.hermesnet.state.StateEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/** One cluster node in-process for the tests: a {@link RedisCluster} whose applier records what it applies. */
final class Node implements AutoCloseable {
    final String id;
    final RedisCluster cluster;
    private final List<StateEvent> applied = new ArrayList<>(); // guarded by this
    private final BiConsumer<Node, StateEvent> onApply;

    Node(String redisUri, String id, Duration timeout) {
        this(redisUri, id, timeout, (node, e) -> { });
    }

    /**
     * A node that also runs {@code onApply} for each event while applying it, on the reader thread, as the
     * hub's reactions (a {@code WELCOME}, and a client's answer to it) can happen before applying returns.
     */
    Node(String redisUri, String id, Duration timeout, BiConsumer<Node, StateEvent> onApply) {
        this.id = id;
        this.onApply = onApply;
        this.cluster = RedisCluster.open(new ClusterBackend.Settings(redisUri, "test", id, timeout));
        cluster.stateLog().start(this::record);
    }

    private synchronized void record(StateEvent e) {
        applied.add(e);
        onApply.accept(this, e);
        notifyAll();
    }

    RedisStateLog log() {
        return cluster.stateLog();
    }

    /** What this node applied so far, in order. */
    synchronized List<StateEvent> applied() {
        return List.copyOf(applied);
    }

    /** Waits until this node has applied {@code n} events; returns them. */
    synchronized List<StateEvent> awaitApplied(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (applied.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(id + " applied " + applied.size() + " of " + n + " events: " + applied);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(applied);
    }

    @Override
    public void close() {
        cluster.close();
    }

    /**
     * Waits until {@code condition} holds, checked whenever this node's log changes: an applied batch, a
     * heartbeat attempt, data loss ({@link RedisStateLog#awaitCondition}).
     *
     * @throws AssertionError if it does not hold within {@code timeout}
     */
    void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
        if (!log().awaitCondition(condition, timeout)) {
            throw new AssertionError(id + ": not within " + timeout + ": " + what);
        }
    }
}
