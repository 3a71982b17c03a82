package io.hermesnet.cluster;

import io.hermesnet.internal.Jit;
import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.state.ClusterBackend;
import io.hermesnet.state.StateEvent;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.netty.channel.EventLoopGroup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A cluster node's JIT warm-up of its own path (docs/server.md "Warm-up", docs/cluster.md "Start-up"): two
 * scratch nodes of a throwaway cluster on the same Redis, on the server's loops, one publishing chat lines
 * as the hub does (from an event loop, in runs of one line and of many), the other reading and applying them
 * — Lettuce's encoding and decoding, the append chain, the feed and catch-up reads, {@link ChatRun} — until
 * the JIT compiler is (nearly) idle, at most a bound; then both leave and every key of the throwaway cluster is deleted.
 *
 * <p>Why: a node's first minutes of cross-node traffic otherwise ran with the compiler on the same core as
 * the event loops (p99 35–50 ms in the first paced round at 2,000 lines/s, performance.md "Lettuce on the
 * server's loops"); the server's own warm-up runs a single server's path, not this one.
 *
 * <p>Threading: {@link #run} blocks its caller (hermes-server's main thread, never an event loop).
 */
final class ClusterWarmUp {
    /** Chat lines of one round. */
    static final int LINES_PER_ROUND = 10_000;
    /** Fewest rounds, however quiet the JIT looks (it counts a compilation once it has finished). */
    static final int MIN_ROUNDS = 6;
    /**
     * The lines of a round go out in runs of these sizes, round robin: mostly one line at a time, each read
     * back before the next (chat at a human pace, every line its own append and read), and floods.
     */
    private static final int[] RUN_SIZES = {1, 1, 1, 1, 1, 1, 1, 5, 1, 1, 1, 1, 1, 1, 64, 1, 1, 200};
    /** How long the throwaway cluster's keys outlive a warm-up that was killed (renewed every round). */
    static final Duration KEYS_TTL = Duration.ofSeconds(60);
    /** How often a wait for the reader looks again: short, as a paced line's round trip is well under 1 ms. */
    private static final long WAIT_STEP_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final String TEXT = "warm-up line 0123456789 0123456789 0123456789 0123456789 01234";

    private ClusterWarmUp() {
    }

    /**
     * Runs the warm-up for the cluster of {@code settings} (its Redis, loops and timeout; the throwaway
     * cluster's name is derived from its name and node id), at most {@code bound}.
     *
     * @param control   a connection of the real node, for deleting the throwaway keys at the end
     * @param cancelled checked between runs of lines: true ends the warm-up at once (a stop signal)
     * @return the chat lines carried, applied by the reading node
     * @throws IllegalStateException when a scratch node cannot join (Redis unreachable)
     */
    static long run(ClusterBackend.Settings settings, RedisAsyncCommands<String, String> control, Duration bound,
                    BooleanSupplier cancelled) {
        long deadline = System.nanoTime() + bound.toNanos();
        String name = settings.clusterName() + ".warm-up." + settings.nodeId();
        ClusterKeys keys = new ClusterKeys(name);
        List<RedisCluster> nodes = new ArrayList<>();
        AtomicLong applied = new AtomicLong();
        long published = 0;
        try {
            RedisCluster writer = RedisCluster.open(scratch(settings, name, "writer"), false);
            nodes.add(writer);
            RedisCluster reader = RedisCluster.open(scratch(settings, name, "reader"), false);
            nodes.add(reader);
            writer.stateLog().start(event -> { });
            reader.stateLog().start(event -> {
                if (event instanceof StateEvent.Chat) {
                    applied.incrementAndGet();
                }
            });
            EventLoopGroup loops = settings.loops();
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            for (int round = 1; !cancelled.getAsBoolean() && System.nanoTime() < deadline; round++) {
                long jitBefore = jit.getTotalCompilationTime();
                long roundStart = System.nanoTime();
                // a client joins and leaves each round: log entries between chat runs take the reader's
                // other branches (a read that brings log entries reads the chat stream once more)
                writer.stateLog().append(new StateEvent.Join("writer", round, "127.0.0.1:1", System.currentTimeMillis()));
                long target = published + LINES_PER_ROUND;
                for (int i = 0; published < target && System.nanoTime() < deadline && !cancelled.getAsBoolean(); i++) {
                    int run = (int) Math.min(RUN_SIZES[i % RUN_SIZES.length], target - published);
                    // from an event loop, as the hub publishes
                    Executor publisher = loops != null ? loops.next() : Runnable::run;
                    publisher.execute(() -> {
                        for (int k = 0; k < run; k++) {
                            writer.stateLog().publish(new StateEvent.Chat(1, TEXT));
                        }
                    });
                    published += run;
                    if (run == 1) {
                        // a paced line is a run of its own: wait until it has been read back
                        awaitApplied(applied, published, deadline, cancelled);
                    }
                }
                writer.stateLog().append(new StateEvent.Leave(round, LeaveReason.LOGOUT));
                awaitApplied(applied, published, deadline, cancelled);
                expire(control, keys);
                long roundMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStart);
                // done once the JIT compiled for less than a tenth of a round with nothing queued for C2
                if (round >= MIN_ROUNDS && jit.getTotalCompilationTime() - jitBefore < roundMs / 10 && Jit.c2Idle()) {
                    break;
                }
            }
            return applied.get();
        } finally {
            for (RedisCluster node : nodes) {
                node.close();
            }
            deleteKeys(control, keys);
        }
    }

    private static void awaitApplied(AtomicLong applied, long want, long deadline, BooleanSupplier cancelled) {
        while (applied.get() < want && System.nanoTime() < deadline && !cancelled.getAsBoolean()) {
            LockSupport.parkNanos(WAIT_STEP_NANOS);
        }
    }

    private static ClusterBackend.Settings scratch(ClusterBackend.Settings settings, String name, String nodeId) {
        ClusterBackend.Settings s = new ClusterBackend.Settings(settings.uri(), name, nodeId, settings.nodeTimeout());
        return settings.loops() == null ? s : s.onLoops(settings.loops(), settings.socketChannel());
    }

    /**
     * Gives every key of the throwaway cluster a time to live ({@link #KEYS_TTL}), renewed each round: a node
     * killed during its warm-up leaves nothing for long (the keys are deleted at the end otherwise).
     */
    private static void expire(RedisAsyncCommands<String, String> control, ClusterKeys keys) {
        for (String key : keyNames(keys)) {
            control.pexpire(key, KEYS_TTL.toMillis());
        }
    }

    private static String[] keyNames(ClusterKeys keys) {
        List<String> names = new ArrayList<>(List.of(keys.clusterWide()));
        for (String node : List.of("writer", "reader")) {
            names.add(keys.heartbeat(node));
            names.add(keys.down(node));
        }
        return names.toArray(String[]::new);
    }

    /** Deletes every key of the throwaway cluster (at most a few seconds; a failure is only logged by the caller). */
    private static void deleteKeys(RedisAsyncCommands<String, String> control, ClusterKeys keys) {
        try {
            control.del(keyNames(keys)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete the warm-up's keys " + keys.prefix + "*: " + e, e);
        }
    }
}
