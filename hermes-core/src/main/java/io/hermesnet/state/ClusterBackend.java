package io.hermesnet.state;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;

import java.time.Duration;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.BooleanSupplier;

/**
 * A cluster's shared state (docs/protocol.md §6.4): the {@link StateLog} and {@link TickSource} a server
 * uses instead of its own when it is started with {@code --cluster URI}. Implementations are found with
 * {@link ServiceLoader} ({@link Provider}), so a server started without {@code --cluster} loads no class
 * of any backend (hermes-cluster's Redis backend: docs/cluster.md).
 *
 * <p>Threading: {@link #stateLog()} and {@link #ticks()} follow their interfaces; {@link #close()} may block
 * for up to a few seconds and must not run on an event loop.
 */
public interface ClusterBackend extends AutoCloseable {

    /** The log this server's hub appends to and applies from. */
    StateLog stateLog();

    /** The cluster-wide {@code ID} values. */
    TickSource ticks();

    /**
     * Waits until this node has applied the cluster's log to its end and may take clients
     * ({@link StateLog#isAvailable()}), at most {@code timeout}: a server calls it before it binds, so that
     * "listening" means ready. Blocks; not on an event loop.
     *
     * @return whether the node is available
     * @throws InterruptedException when interrupted while waiting
     */
    boolean awaitAvailable(Duration timeout) throws InterruptedException;

    /**
     * Runs this backend's own path hot before the server takes its first client (part of hermes-server's
     * start-up warm-up, docs/server.md "Warm-up"): what only a cluster node runs is then compiled by the JIT
     * before real traffic meets it. Leaves nothing behind in the store and nothing visible in this cluster.
     * Blocks, at most about {@code bound}; not on an event loop. The default does nothing.
     *
     * @param cancelled checked while it runs: true ends it at once (a stop signal)
     * @return the chat lines the warm-up carried through the store; 0 when it did nothing
     * @throws IllegalStateException when the store fails meanwhile (the warm-up is cut short; the node is
     *                               unaffected)
     */
    default long warmUp(Duration bound, BooleanSupplier cancelled) {
        return 0;
    }

    /** Leaves the cluster (this node's heartbeat stops) and releases connections and threads. */
    @Override
    void close();

    /**
     * What the server asks for.
     *
     * @param uri           the store, e.g. {@code redis://host:6379}
     * @param clusterName   servers with the same store and name form one cluster
     * @param nodeId        this server's id, unique in the cluster ({@code /clients} shows it)
     * @param nodeTimeout   how long a silent node counts as alive, and how long this node may be cut off
     *                      from the store before it reports {@link StateLog#isAvailable()} false
     * @param loops         the server's event loops, for the store's connections to run on (a line from the
     *                      store then reaches clients on the same thread, docs/cluster.md "Threads"); they
     *                      must keep running until {@link #close()} has returned. {@code null}: the backend
     *                      runs threads of its own
     * @param socketChannel the class of an outgoing connection on {@code loops} (e.g. {@code EpollSocketChannel}
     *                      on epoll loops); {@code null} exactly when {@code loops} is
     */
    record Settings(String uri, String clusterName, String nodeId, Duration nodeTimeout, EventLoopGroup loops,
                    Class<? extends SocketChannel> socketChannel) {
        public Settings {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(clusterName, "clusterName");
            Objects.requireNonNull(nodeId, "nodeId");
            if (nodeTimeout.isNegative() || nodeTimeout.isZero()) {
                throw new IllegalArgumentException("node timeout must be positive: " + nodeTimeout);
            }
            if ((loops == null) != (socketChannel == null)) {
                throw new IllegalArgumentException("loops and socketChannel go together");
            }
        }

        /** Settings for a backend on threads of its own. */
        public Settings(String uri, String clusterName, String nodeId, Duration nodeTimeout) {
            this(uri, clusterName, nodeId, nodeTimeout, null, null);
        }

        /** These settings with the store's connections on {@code loops}, connections of class {@code socketChannel}. */
        public Settings onLoops(EventLoopGroup loops, Class<? extends SocketChannel> socketChannel) {
            return new Settings(uri, clusterName, nodeId, nodeTimeout, Objects.requireNonNull(loops, "loops"),
                    Objects.requireNonNull(socketChannel, "socketChannel"));
        }
    }

    /** Opens a backend for the URIs it accepts; listed in {@code META-INF/services}. */
    interface Provider {
        /** Whether this provider serves {@code uri} (by its scheme). */
        boolean accepts(String uri);

        /**
         * Connects and joins the cluster; blocks until the store has answered (call it before the server
         * binds its ports).
         *
         * @throws IllegalStateException when the store cannot be reached or refuses
         */
        ClusterBackend open(Settings settings);
    }

    /**
     * Opens the backend of the first provider on the class path that accepts {@code settings.uri()}.
     *
     * @throws IllegalArgumentException when no provider accepts the URI (no backend on the class path)
     * @throws IllegalStateException    when the store cannot be reached
     */
    static ClusterBackend open(Settings settings) {
        for (Provider p : ServiceLoader.load(Provider.class, ClusterBackend.class.getClassLoader())) {
            if (p.accepts(settings.uri())) {
                return p.open(settings);
            }
        }
        throw new IllegalArgumentException("no cluster backend for " + schemeOf(settings.uri())
                + " (redis://, rediss:// and redis-sentinel:// need hermes-cluster on the class path)");
    }

    private static String schemeOf(String uri) {
        int colon = uri.indexOf(':');
        return colon > 0 ? uri.substring(0, colon + 1) + "//" : "'" + uri + "'";
    }
}
