package io.hermesnet.cluster;

import io.hermesnet.state.ClusterBackend;
import io.hermesnet.telemetry.HermesMarkers;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Transports;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * This server's membership in a HermesNet cluster on Redis (docs/protocol.md §6.4, docs/cluster.md): the
 * Lettuce client, its two connections (the log's: appends, the feed and catch-up reads; heartbeats and ID
 * leases), the
 * {@link RedisStateLog} and the {@link RedisTickSource}. Made by {@link #open}; {@link #close} leaves.
 *
 * <p>Lettuce's connections run on the server's event loops when the settings give them
 * ({@link ClusterBackend.Settings#loops()}; hermes-server does), else on a small group of their own (2 I/O
 * threads); either way 2 computation threads of Lettuce's. Its sync calls are made only from the caller of
 * {@link #open} and {@link #close} and from this class's own threads, never from an event loop: on a shared
 * loop a call waiting for its own connection's answer would wait forever.
 */
public final class RedisCluster implements ClusterBackend {
    private static final Logger log = LogManager.getLogger(RedisCluster.class);

    /** {@code ID} values leased per {@code INCRBY}. */
    public static final int TICK_BLOCK = 1000;
    /** What a node id may be: it is written unquoted into the feed's announcements ({@link Scripts#FEED}). */
    private static final java.util.regex.Pattern NODE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Settings settings;
    private final RedisAsyncCommands<String, String> control;
    private final ClientResources resources;
    private final RedisClient client;
    private final List<StatefulRedisConnection<String, String>> connections;
    private final RedisStateLog stateLog;
    private final RedisTickSource ticks;
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    private RedisCluster(Settings settings, RedisAsyncCommands<String, String> control, ClientResources resources,
                         RedisClient client, List<StatefulRedisConnection<String, String>> connections,
                         RedisStateLog stateLog, RedisTickSource ticks) {
        this.settings = settings;
        this.control = control;
        this.resources = resources;
        this.client = client;
        this.connections = connections;
        this.stateLog = stateLog;
        this.ticks = ticks;
    }

    /**
     * Connects to the Redis of {@code settings.uri()} ({@code redis://}, {@code rediss://},
     * {@code redis-sentinel://}), joins the cluster {@code settings.clusterName()} as node
     * {@code settings.nodeId()} and leases the first block of {@code ID} values. Blocks up to about the
     * node timeout; call it before the server binds its ports, not on an event loop. The returned log
     * starts applying when the hub calls {@link RedisStateLog#start}. With {@code rediss://} Redis's
     * certificate is checked against the JVM's default trust store ({@code javax.net.ssl.trustStore},
     * else {@code cacerts}) and must name the URI's host; no client certificate is sent.
     *
     * @throws IllegalStateException when Redis cannot be reached or does not answer in time
     * @throws IllegalArgumentException for a malformed URI, or a node id other than 1 to 64 letters, digits,
     *                                  {@code .}, {@code _} or {@code -}
     */
    public static RedisCluster open(Settings settings) {
        return open(settings, true);
    }

    /** {@link #open(Settings)}; {@code announce}: log the join (not for the warm-up's scratch nodes). */
    static RedisCluster open(Settings settings, boolean announce) {
        if (!NODE_ID.matcher(settings.nodeId()).matches()) {
            throw new IllegalArgumentException("a node id is 1 to 64 letters, digits, '.', '_' or '-': " + settings.nodeId());
        }
        RedisURI uri = RedisURI.create(settings.uri());
        ClusterKeys keys = new ClusterKeys(settings.clusterName());
        long timeoutMillis = Math.max(settings.nodeTimeout().toMillis(), 1000);
        DefaultClientResources.Builder builder = DefaultClientResources.builder().computationThreadPoolSize(2);
        // Lettuce picks its channel class by what is on the class path (epoll when it loads, as the server
        // does); on loops of another transport it would fail to register, so then it keeps threads of its own
        if (settings.loops() != null && Transports.socketChannelClass() == settings.socketChannel()) {
            builder.eventLoopGroupProvider(new SharedEventLoops(settings.loops()));
        } else {
            builder.ioThreadPoolSize(2);
        }
        ClientResources resources = builder.build();
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                // RESP3: the log connection reads the streams and appends while it is subscribed to the feed
                .protocolVersion(ProtocolVersion.RESP3)
                .autoReconnect(true)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofMillis(timeoutMillis)).build())
                .build());
        StatefulRedisPubSubConnection<String, String> logConnection = null;
        StatefulRedisConnection<String, String> control = null;
        try {
            logConnection = client.connectPubSub();
            control = client.connect();
            // an append not answered in this time is sent again (the script drops what already landed)
            logConnection.setTimeout(Duration.ofMillis(Math.max(timeoutMillis, 2000)));
            control.setTimeout(Duration.ofMillis(timeoutMillis));
            RedisAsyncCommands<String, String> c = control.async();
            c.setnx(keys.epoch, UUID.randomUUID().toString()).get(timeoutMillis, TimeUnit.MILLISECONDS);
            String epoch = c.get(keys.epoch).get(timeoutMillis, TimeUnit.MILLISECONDS);
            long incarnation = c.incr(keys.incarnations).get(timeoutMillis, TimeUnit.MILLISECONDS);
            List<StreamMessage<String, String>> lastChat = c.xrevrange(keys.chat, Range.unbounded(), Limit.from(1))
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
            String chatStart = lastChat.isEmpty() ? StreamIds.ZERO : lastChat.get(0).getId();
            // the first heartbeat rejoins: a node restarted under the same id is alive again
            String answer = c.<String>eval(Scripts.HEARTBEAT, ScriptOutputType.STATUS,
                    keys.heartbeatKeys(), epoch, keys.prefix, settings.nodeId(),
                    Long.toString(settings.nodeTimeout().toMillis()), "1", StreamIds.ZERO)
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (!"ok".equals(answer)) {
                throw new IllegalStateException("first heartbeat answered " + answer);
            }
            RedisTickSource ticks = RedisTickSource.lease(c, keys.ticks, TICK_BLOCK, timeoutMillis);
            RedisStateLog stateLog = new RedisStateLog(keys, settings.nodeId(), epoch, incarnation,
                    settings.nodeTimeout(), logConnection.async(), c, chatStart);
            if (announce) {
                log.info(HermesMarkers.STATE, "Cluster {} on {}: node {} (incarnation {}) joined", settings.clusterName(),
                        redacted(uri), settings.nodeId(), incarnation);
            }
            return new RedisCluster(settings, c, resources, client, List.of(logConnection, control), stateLog, ticks);
        } catch (Exception e) {
            for (StatefulRedisConnection<String, String> conn : java.util.Arrays.asList(logConnection, control)) {
                if (conn != null) {
                    conn.close();
                }
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot join the cluster on " + redacted(uri) + ": " + reason(e), e);
        }
    }

    /** Why joining failed, in one line for the operator. */
    private static String reason(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                // the JDK's own words are deep in the chain ("unable to find valid certification path ...")
                Throwable root = t;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                return "Redis's TLS certificate was refused (" + root.getMessage() + "); the JVM must trust its CA: "
                        + "see docs/cluster.md \"TLS and Sentinel\"";
            }
        }
        Throwable cause = e.getCause() != null && !(e instanceof IllegalStateException) ? e.getCause() : e;
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** The URI without a password, for logs and errors. */
    private static String redacted(RedisURI uri) {
        return uri.toString(); // RedisURI.toString() masks the password
    }

    @Override
    public RedisStateLog stateLog() {
        return stateLog;
    }

    @Override
    public RedisTickSource ticks() {
        return ticks;
    }

    /**
     * Chat lines through Redis between two scratch nodes of a throwaway cluster on this node's loops, until
     * the JIT is quiet (at most {@code bound}); their keys are deleted after ({@link ClusterWarmUp}).
     */
    @Override
    public long warmUp(Duration bound, BooleanSupplier cancelled) {
        return ClusterWarmUp.run(settings, control, bound, cancelled);
    }

    @Override
    public boolean awaitAvailable(Duration timeout) throws InterruptedException {
        return stateLog.awaitCaughtUp(timeout);
    }

    /** Leaves as a killed process would (for the fault tests): the heartbeat key is left to expire. */
    void halt() {
        if (released.get()) {
            return;
        }
        stateLog.halt();
        release();
    }

    /** Drains the log's queue (up to 2 s), stops the threads and closes the connections. Blocks; idempotent. */
    @Override
    public void close() {
        if (released.get()) {
            return;
        }
        stateLog.close();
        release();
    }

    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        for (StatefulRedisConnection<String, String> c : connections) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
