package io.hermesnet.server.admin;

import io.hermesnet.hub.Session;
import io.hermesnet.server.HermesServer;
import io.hermesnet.telemetry.HermesCounters;
import io.hermesnet.telemetry.HermesMarkers;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.Version;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operations endpoint of one {@link HermesServer} (docs/operations.md): an HTTP/1.1 listener bound
 * with {@link HermesServer#bind} on the server's own event loops, answering {@code /metrics},
 * {@code /healthz}, {@code /readyz}, {@code /clients} and {@code /info}. The server's hub must count
 * into the {@link HermesCounters} given here ({@code new HermesHub(config, counters)}).
 *
 * <p>Metrics go through Micrometer's Prometheus registry: the {@code hermes_*} meters of
 * {@link HermesMeterBinder}, Micrometer's JVM and process binders, and its Netty binders for the pooled
 * allocator the client channels use and for the event loops' pending tasks.
 *
 * <p>The listener stays open during the server's shutdown (readiness then answers 503) and closes
 * with the event loops; {@link #close} stops it earlier and releases the JVM listeners of the GC
 * metrics. Threading: {@link #start} blocks until bound; never call it on an event loop.
 */
public final class AdminServer implements AutoCloseable {
    /** The {@code --admin-host} default: only this machine may ask. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    private static final Logger log = LogManager.getLogger(AdminServer.class);
    /** The longest request line and header block accepted, bytes: these requests are a path and a few headers. */
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_BYTES = 8192;
    /** The largest request body accepted, bytes: no endpoint takes one. */
    private static final int MAX_CONTENT_BYTES = 1024;
    /** An admin connection with no traffic for this long is closed (a scraper reconnects). */
    private static final long IDLE_SECONDS = 60;

    private final Channel listener;
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;

    private AdminServer(Channel listener, PrometheusMeterRegistry registry, JvmGcMetrics gcMetrics) {
        this.listener = listener;
        this.registry = registry;
        this.gcMetrics = gcMetrics;
    }

    /**
     * Binds the endpoint for {@code server} on {@code bindAddress}.
     *
     * @param counters the counters the server's hub counts into
     * @param version  the server's version, reported by {@code /info}
     * @throws IOException if the address cannot be bound
     */
    public static AdminServer start(HermesServer server, HermesCounters counters, InetSocketAddress bindAddress,
            String version) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new HermesMeterBinder(counters, server.hub()).bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
        new NettyEventExecutorMetrics(server.eventLoops()).bindTo(registry);

        Version netty = Version.identify(AdminServer.class.getClassLoader()).get("netty-common");
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("version", version);
        about.put("netty", netty == null ? "unknown" : netty.artifactVersion());
        about.put("java", System.getProperty("java.version"));
        about.put("listen", Session.formatAddress(server.localAddress()));
        about.put("eventLoops", count(server));

        AdminEndpoints endpoints = new AdminEndpoints(registry, server.hub(), server.eventLoops(), server::isAccepting,
                about, server.hub().stateLog().nodeId(), Clock.systemUTC());
        Channel listener;
        try {
            listener = server.bind(bindAddress, new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel ch) {
                    configure(ch.pipeline(), endpoints);
                }
            });
        } catch (IOException | RuntimeException e) {
            gc.close();
            registry.close();
            throw e;
        }
        log.info(HermesMarkers.STATE, "Operations endpoint on http://{}/ (metrics, healthz, readyz, clients, info)",
                Session.formatAddress(listener.localAddress()));
        return new AdminServer(listener, registry, gc);
    }

    /** The stages of one admin connection: the one factory the listener and the tests use. */
    static void configure(ChannelPipeline p, AdminEndpoints endpoints) {
        p.addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
        p.addLast("httpCodec", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_BYTES)));
        p.addLast("keepAlive", new HttpServerKeepAliveHandler());
        p.addLast("aggregator", new HttpObjectAggregator(MAX_CONTENT_BYTES));
        p.addLast("admin", new AdminHttpHandler(endpoints));
    }

    private static int count(HermesServer server) {
        int n = 0;
        for (Object ignored : server.eventLoops()) {
            n++;
        }
        return n;
    }

    /** The bound address; its port is the real one when port 0 was asked for. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** The registry behind {@code /metrics}, for an embedder's own meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Stops listening and releases the JVM listeners of the GC metrics. Open admin connections end with the loops. */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        gcMetrics.close();
        registry.close();
    }
}
