package io.hermesnet.testkit;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.server.HermesServer;
import io.hermesnet.server.Transport;
import io.hermesnet.state.ClusterBackend;
import io.hermesnet.telemetry.HermesMetrics;
import io.hermesnet.telemetry.LogGate;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Topology#CLUSTER3}'s servers: three in-process {@link HermesServer}s on 127.0.0.1:0, each a hub over
 * a {@link ClusterBackend} (found through {@code ServiceLoader}, as {@code hermes-server --cluster} finds it)
 * on one Redis and cluster name, each log wrapped in a {@link BarrierLog} for the test barrier. As in
 * {@code hermes-server --cluster}, each node's Redis connections run on that node's own event loops.
 *
 * <p>Threading: the test thread.
 */
final class ClusterNodes implements AutoCloseable {
    static final int NODES = 3;
    /** How long a node waits for Redis before it counts as cut off; only a failure waits for it. */
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(10);
    /** Bound of a node's start-up replay and of one barrier: generous, since helpers share the cores. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<EventLoopGroup> loops = new ArrayList<>();
    private final List<ClusterBackend> backends = new ArrayList<>();
    private final List<BarrierLog> logs = new ArrayList<>();
    private final List<HermesServer> servers = new ArrayList<>();
    private final AtomicLong markers = new AtomicLong();

    private ClusterNodes() {
    }

    /**
     * Starts the three nodes (joining Redis on three threads at once, since each join waits for a few
     * round trips), each bound only once it has applied the cluster's log (a fresh {@code clusterName}
     * has none).
     *
     * @throws IllegalStateException if Redis cannot be reached or a node does not catch up within {@link #WAIT}
     */
    static ClusterNodes start(String redisUri, String clusterName, HermesConfig config, Transport transport,
                              int ioThreads) {
        ClusterNodes nodes = new ClusterNodes();
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        try {
            List<Future<ClusterBackend>> joins = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                EventLoopGroup group = transport.newEventLoops(ioThreads);
                nodes.loops.add(group);
                ClusterBackend.Settings settings = new ClusterBackend.Settings(redisUri, clusterName, "node" + i,
                        NODE_TIMEOUT).onLoops(group, transport.socketChannel());
                joins.add(pool.submit(() -> ClusterBackend.open(settings)));
            }
            for (Future<ClusterBackend> join : joins) {
                nodes.backends.add(join.get());
            }
            List<HermesHub> hubs = new ArrayList<>();
            for (ClusterBackend backend : nodes.backends) {
                BarrierLog log = new BarrierLog(backend.stateLog());
                nodes.logs.add(log);
                hubs.add(new HermesHub(config, log, backend.ticks(), LogGate.unbounded(), HermesMetrics.NOOP));
            }
            for (int i = 0; i < NODES; i++) {
                if (!nodes.backends.get(i).awaitAvailable(WAIT)) {
                    throw new IllegalStateException("node" + i + " did not catch up with the cluster log within " + WAIT);
                }
                HermesServer server = HermesServer.bindNotAccepting(hubs.get(i), List.of(HermesServer.Listener.plain(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))), transport, nodes.loops.get(i));
                nodes.servers.add(server);
                server.setAccepting(true);
            }
            return nodes;
        } catch (IOException e) {
            nodes.close();
            throw new UncheckedIOException("cannot start a cluster node", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            nodes.close();
            throw new IllegalStateException("interrupted while starting the cluster", e);
        } catch (ExecutionException e) {
            nodes.close();
            throw e.getCause() instanceof RuntimeException r ? r
                    : new IllegalStateException("cannot join the cluster", e.getCause());
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Joins and leaves a cluster of its own on {@code redisUri} once: loads the backend's classes (several
     * seconds in a fresh JVM on a loaded machine) before the tests that start nodes are timed.
     *
     * @throws IllegalStateException if Redis cannot be reached
     */
    static void warmUp(String redisUri) {
        try (ClusterBackend b = ClusterBackend.open(new ClusterBackend.Settings(redisUri, "warm-up", "warm-up",
                NODE_TIMEOUT))) {
            b.stateLog().start(event -> { });
        }
    }

    /** The running servers, node 0 first. */
    List<HermesServer> servers() {
        return List.copyOf(servers);
    }

    /**
     * The barrier of {@link Topology}: waits until every client's input has been handled by its node,
     * then until every node has applied a marker from every node.
     *
     * @throws AssertionError if a client or a node does not answer within the bounds
     */
    void barrier(Collection<LineClient> clients) {
        for (LineClient c : clients) {
            c.awaitInputHandled();
        }
        long first = markers.get() + 1;
        for (BarrierLog log : logs) {
            log.appendMarker(markers.incrementAndGet());
        }
        long last = markers.get();
        try {
            for (BarrierLog log : logs) {
                log.awaitMarkers(first, last, WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted in the cluster barrier", e);
        }
    }

    /** Stops the servers ({@code BYE Thank you} to whoever is left), then the nodes, each step on all three at once. */
    @Override
    public void close() {
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        try {
            runAll(pool, servers.stream().<Runnable>map(s -> s::close).toList());
            runAll(pool, backends.stream().<Runnable>map(b -> b::close).toList());
        } finally {
            pool.shutdownNow();
            // after the backends: their last appends and reads run on these loops
            loops.forEach(g -> g.shutdownGracefully(0, 1, TimeUnit.SECONDS));
            loops.forEach(g -> g.terminationFuture().awaitUninterruptibly(2, TimeUnit.SECONDS));
        }
    }

    private static void runAll(ExecutorService pool, List<Runnable> tasks) {
        List<Future<?>> done = new ArrayList<>();
        for (Runnable t : tasks) {
            done.add(pool.submit(t));
        }
        for (Future<?> f : done) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                throw new IllegalStateException("stopping a cluster node failed", e.getCause());
            }
        }
    }
}
