package io.hermesnet.testkit;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.server.HermesServer;
import io.hermesnet.server.Transport;
import io.hermesnet.tls.ServerTls;
import io.hermesnet.websocket.WebSocketSettings;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A JUnit 5 extension that runs a real {@link HermesServer} on {@code 127.0.0.1:0} for socket-level
 * tests, and opens {@link LineClient}s to it.
 *
 * <pre>{@code
 * @RegisterExtension
 * final HermesServerExtension server = HermesServerExtension.builder()
 *         .config(c -> c.tickInterval(Duration.ofMillis(100)))
 *         .build();
 *
 * @Test
 * @Timeout(10)
 * void chat() {
 *     LineClient a = server.join();                     // connected, WELCOME read
 *     LineClient b = server.join();
 *     a.send("hello");
 *     b.await("MSG 1 client1 hello");
 *     a.expectNoMore();                                 // the sender got no MSG
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * <ul>
 * <li>{@link Builder#perTest() Per test} (the default): every test gets a fresh server, so client ids
 *     start at 1. It starts lazily, on the test's first call of {@link #port()}, {@link #address()},
 *     {@link #hub()}, {@link #server()} or a client method, so that a test may first change the
 *     configuration for itself with {@link #configure}. Works on static and instance fields.</li>
 * <li>{@link Builder#perClass() Per class}: one server, started before all tests of the class and
 *     stopped after them; the field must be {@code static}.</li>
 * </ul>
 * After each test the clients it opened are closed; when its server stops, the server is shut down
 * ({@link HermesServer#close()}, which sends {@code BYE Thank you} to whoever is still connected and
 * returns once they are closed) and {@link LeakDetection#flush()} runs, so a buffer leaked by the test
 * is reported in that test's output.
 *
 * <h2>Defaults</h2>
 * The server is built exactly as in production ({@link HermesServer#start(HermesHub, InetSocketAddress,
 * Transport, int)}, hence the same {@link io.hermesnet.server.HermesPipeline} factory), on
 * {@link Transport#nio()} with <b>one</b> event loop: every write the server makes while handling one
 * client's line is on the wire before it handles the next line of any client, which makes "nothing
 * else arrived" assertions ({@link LineClient#sync()}) exact. Use {@link Builder#ioThreads(int)} and
 * {@link Builder#transport(Transport)} to test with more loops or epoll.
 *
 * <h2>Topologies</h2>
 * A test annotated {@link AcrossTopologies} runs twice: on one server ({@link Topology#SINGLE}) and on
 * three cluster nodes on one {@code redis-server} ({@link Topology#CLUSTER3}), its clients spread over
 * the nodes round-robin. Each cluster invocation gets fresh nodes under a cluster name of its own (so
 * ids start at 1 again and {@link #configure} applies), on one Redis for the class when the field is
 * {@code static}: started, and the cluster backend loaded once, before the class's first test, so
 * that neither counts against a test's {@code @Timeout} (on an instance field, a Redis per test,
 * started on first use). Clients are opened through {@link #client()} and {@link #join()} as usual:
 * the test's first on node 0, the second on node 1, the third on node 2, the fourth on node 0 … In a cluster,
 * {@link #server()}, {@link #hub()}, {@link #address()} and {@link #port()} are node 0's,
 * {@link #servers()} lists all three, and every client's {@link LineClient#sync()} first runs the
 * cluster barrier described in {@link Topology}, so {@code expectNoMore} keeps its meaning. TLS, browser
 * listeners, a custom {@link Builder#hub hub factory} and {@link Builder#perClass() per-class} servers
 * are for one server only.
 *
 * <p>Threading: use one extension from one test thread at a time (no parallel execution of the tests
 * sharing it).
 */
public final class HermesServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private static final Logger log = LogManager.getLogger(HermesServerExtension.class);

    /** Which tests share one server. */
    public enum Lifecycle {
        /** A fresh server for every test, started on first use. */
        PER_TEST,
        /** One server for all tests of the class; needs a static field. */
        PER_CLASS
    }

    private final HermesConfig baseConfig;
    private final Function<HermesConfig, HermesHub> hubFactory;
    private final Transport transport;
    private final int ioThreads;
    private final Lifecycle lifecycle;
    private final Duration clientTimeout;
    private final boolean leakFlush;
    private final boolean customHub;

    // test-thread state
    private final List<LineClient> clients = new ArrayList<>();
    private HermesConfig testConfig;
    private ServerTls tls;
    private boolean tlsBesidePlain;
    private WebSocketSettings webSocket;
    private HermesServer server;
    private ClusterNodes cluster; // CLUSTER3: the current test's nodes; server is node 0's
    private RedisServerExtension redis; // CLUSTER3: started in beforeAll (static field) or on first use
    private int clustersStarted;
    private ExtensionContext testContext;
    private boolean classStarted;
    private boolean inTest;
    private int clientCount;
    private int clientsOfTest;

    private HermesServerExtension(Builder b) {
        this.baseConfig = b.config;
        this.hubFactory = b.hubFactory;
        this.transport = b.transport;
        this.ioThreads = b.ioThreads;
        this.lifecycle = b.lifecycle;
        this.clientTimeout = b.clientTimeout;
        this.leakFlush = b.leakFlush;
        this.customHub = b.customHub;
        this.testConfig = b.config;
    }

    /** A builder with the defaults: {@link HermesConfig#DEFAULT}, per test, NIO, one event loop. */
    public static Builder builder() {
        return new Builder();
    }

    /** An extension with all defaults. */
    public static HermesServerExtension withDefaults() {
        return builder().build();
    }

    // ---------------------------------------------------------------- JUnit callbacks

    @Override
    public void beforeAll(ExtensionContext context) {
        classStarted = true;
        if (lifecycle == Lifecycle.PER_CLASS) {
            start();
        } else if (!AnnotationSupport.findAnnotatedMethods(context.getRequiredTestClass(), AcrossTopologies.class,
                HierarchyTraversalMode.TOP_DOWN).isEmpty()) {
            // Redis, and the one-time loading of the cluster backend, before any test's @Timeout runs
            ClusterNodes.warmUp(startRedis().uri());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (lifecycle == Lifecycle.PER_CLASS && !classStarted) {
            throw new ExtensionConfigurationException("HermesServerExtension.perClass() needs a static "
                    + "@RegisterExtension field; JUnit does not call beforeAll for instance fields");
        }
        inTest = true;
        testContext = context;
        clientsOfTest = 0;
        testConfig = baseConfig;
        tls = null;
        webSocket = null;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        inTest = false;
        closeClients();
        if (lifecycle == Lifecycle.PER_TEST) {
            stop();
        }
        testContext = null;
        if (!classStarted) {
            stopRedis(); // an instance field: JUnit calls no afterAll
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        classStarted = false;
        closeClients();
        stop();
        stopRedis();
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Changes the configuration for the current test only, before its server starts: e.g.
     * {@code server.configure(c -> c.echo(true).maxClients(2))}. The change is applied on top of the
     * extension's configuration and any earlier {@code configure} call of this test.
     *
     * @throws IllegalStateException if the server of this test has already started, or in
     *                               {@link Lifecycle#PER_CLASS} mode
     */
    public HermesServerExtension configure(UnaryOperator<HermesConfig.Builder> change) {
        if (lifecycle == Lifecycle.PER_CLASS) {
            throw new IllegalStateException("configure() is for per-test servers; this one is per class");
        }
        if (server != null) {
            throw new IllegalStateException("the server of this test has already started: call configure() first");
        }
        testConfig = change.apply(testConfig.toBuilder()).build();
        return this;
    }

    /**
     * Makes the current test's server speak TLS (docs/protocol.md §6.1) with {@code tls}, before it
     * starts: on its only port, or with {@code besidePlain} on a second listener
     * ({@link #tlsAddress()}) beside the plain one. Connect with
     * {@code server.client(server.tlsAddress(), b -> b.tls(certs.clientContext()))}.
     *
     * @throws IllegalStateException as {@link #configure}
     */
    public HermesServerExtension tls(ServerTls tls, boolean besidePlain) {
        if (lifecycle == Lifecycle.PER_CLASS) {
            throw new IllegalStateException("tls() is for per-test servers; this one is per class");
        }
        if (server != null) {
            throw new IllegalStateException("the server of this test has already started: call tls() first");
        }
        this.tls = Objects.requireNonNull(tls, "tls");
        this.tlsBesidePlain = besidePlain;
        return this;
    }

    /**
     * Adds a browser listener (docs/protocol.md §6.3: the chat page and the WebSocket endpoint) to the
     * current test's server, before it starts, beside its line listener(s); over TLS when {@link #tls}
     * was called too. Its address is {@link #httpAddress()}.
     *
     * @throws IllegalStateException as {@link #configure}
     */
    public HermesServerExtension webSocket(WebSocketSettings settings) {
        if (lifecycle == Lifecycle.PER_CLASS) {
            throw new IllegalStateException("webSocket() is for per-test servers; this one is per class");
        }
        if (server != null) {
            throw new IllegalStateException("the server of this test has already started: call webSocket() first");
        }
        this.webSocket = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * The bound address of the browser listener, starting the server if needed.
     *
     * @throws IllegalStateException if this test's server has none
     */
    public InetSocketAddress httpAddress() {
        if (webSocket == null) {
            throw new IllegalStateException("no browser listener: call webSocket() before the server starts");
        }
        List<InetSocketAddress> all = server().localAddresses();
        return all.get(all.size() - 1);
    }

    /** The configuration the server runs (or will run) with. */
    public HermesConfig config() {
        return server != null ? server.hub().config() : testConfig;
    }

    // ---------------------------------------------------------------- the server

    /** The running server, starting it if needed. */
    public HermesServer server() {
        if (server == null) {
            if (lifecycle == Lifecycle.PER_CLASS || !inTest) {
                throw new IllegalStateException("no server: use the extension from a test (or @BeforeEach)");
            }
            start();
        }
        return server;
    }

    /** The server's state, starting the server if needed. */
    public HermesHub hub() {
        return server().hub();
    }

    /** The bound address ({@code 127.0.0.1} and the chosen port), starting the server if needed. */
    public InetSocketAddress address() {
        return server().localAddress();
    }

    /**
     * The bound address of the TLS listener (the only one, or the one beside the plain port), starting
     * the server if needed.
     *
     * @throws IllegalStateException if this test's server has no TLS
     */
    public InetSocketAddress tlsAddress() {
        if (tls == null) {
            throw new IllegalStateException("no TLS: call tls() before the server starts");
        }
        List<InetSocketAddress> all = server().localAddresses();
        return all.get(all.size() - (webSocket == null ? 1 : 2));
    }

    /** The bound port, starting the server if needed. */
    public int port() {
        return address().getPort();
    }

    /**
     * The running servers, starting them if needed: the one server, or the three cluster nodes of
     * {@link Topology#CLUSTER3}, node 0 first.
     */
    public List<HermesServer> servers() {
        server();
        return cluster != null ? cluster.servers() : List.of(server);
    }

    /** The topology of the current test: {@link Topology#CLUSTER3} in that invocation of an {@link AcrossTopologies} test. */
    public Topology topology() {
        return TopologyInvocations.of(testContext);
    }

    /** Whether the server has been started and not stopped by this extension. */
    public boolean isRunning() {
        return server != null;
    }

    // ---------------------------------------------------------------- clients

    /**
     * Opens a {@link LineClient} to the server (started if needed); it is closed after the test.
     * Nothing is read yet: the first line may be {@code WELCOME} or {@code ERROR FULL}.
     *
     * @throws UncheckedIOException if the connection cannot be made
     */
    public LineClient client() {
        return client(b -> { });
    }

    /**
     * {@link #client()} with options, e.g. {@code server.client(b -> b.receiveBufferSize(4096).startPaused(true))}.
     * In {@link Topology#CLUSTER3} the client goes to the next node round-robin and its {@code sync} runs
     * the cluster barrier.
     *
     * @throws UncheckedIOException if the connection cannot be made
     */
    public LineClient client(Consumer<LineClient.Builder> options) {
        if (cluster == null && topology() == Topology.CLUSTER3) {
            server();
        }
        if (cluster != null) {
            List<HermesServer> nodes = cluster.servers();
            HermesServer node = nodes.get(clientsOfTest % nodes.size());
            ClusterNodes barrier = cluster;
            return client(node.localAddress(), options.andThen(b -> b.beforeSync(() -> barrier.barrier(clients))));
        }
        return client(address(), options);
    }

    /**
     * {@link #client(Consumer)} to another of the server's listeners, e.g. {@link #tlsAddress()}.
     *
     * @throws UncheckedIOException if the connection (or its TLS handshake) cannot be made
     */
    public LineClient client(InetSocketAddress to, Consumer<LineClient.Builder> options) {
        clientsOfTest++;
        LineClient.Builder b = LineClient.builder(to).timeout(clientTimeout).label("client#" + ++clientCount
                + (cluster == null ? "" : "@" + to.getPort()));
        options.accept(b);
        try {
            LineClient c = b.connect();
            clients.add(c);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + to, e);
        }
    }

    /**
     * Opens a client and reads its {@code WELCOME} (docs/protocol.md §3.1), available as {@link LineClient#welcome()}.
     *
     * @throws AssertionError if the first line is not {@code WELCOME}
     */
    public LineClient join() {
        LineClient c = client();
        c.awaitWelcome();
        return c;
    }

    // ---------------------------------------------------------------- internals

    private void start() {
        if (topology() == Topology.CLUSTER3) {
            startCluster();
            return;
        }
        HermesConfig config = testConfig;
        HermesHub hub = Objects.requireNonNull(hubFactory.apply(config), "the hub factory returned null");
        try {
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            List<HermesServer.Listener> listeners = new ArrayList<>(tls == null ? List.of(HermesServer.Listener.plain(any))
                    : tlsBesidePlain ? List.of(HermesServer.Listener.plain(any), HermesServer.Listener.tls(any, tls))
                    : List.of(HermesServer.Listener.tls(any, tls)));
            if (webSocket != null) {
                listeners.add(HermesServer.Listener.webSocket(any, tls, webSocket));
            }
            server = HermesServer.start(hub, listeners, transport, ioThreads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test server", e);
        }
        log.debug("test server listening on {}", server.localAddress());
    }

    private void startCluster() {
        if (lifecycle == Lifecycle.PER_CLASS || customHub || tls != null || webSocket != null) {
            throw new IllegalStateException("CLUSTER3 runs per-test servers with the default hub, "
                    + "no TLS and no browser listener");
        }
        // a cluster name of its own: fresh ids, ranks and names, as a fresh server has
        cluster = ClusterNodes.start(startRedis().uri(), "test" + ++clustersStarted, testConfig, transport, ioThreads);
        server = cluster.servers().get(0);
        log.debug("test cluster {} on {}: nodes {}", clustersStarted, redis.uri(), cluster.servers());
    }

    /** The Redis of the cluster topology, started if needed. */
    private RedisServerExtension startRedis() {
        if (redis == null) {
            RedisServerExtension r = new RedisServerExtension();
            try {
                r.start();
            } catch (IOException e) {
                r.stop();
                throw new UncheckedIOException("cannot start redis-server", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r.stop();
                throw new IllegalStateException("interrupted while starting redis-server", e);
            }
            redis = r;
        }
        return redis;
    }

    private void stopRedis() {
        RedisServerExtension r = redis;
        redis = null;
        if (r != null) {
            r.stop();
        }
    }

    private void closeClients() {
        for (LineClient c : clients) {
            c.close();
        }
        clients.clear();
    }

    private void stop() {
        HermesServer s = server;
        if (s == null) {
            return;
        }
        server = null;
        testConfig = baseConfig;
        tls = null;
        webSocket = null;
        ClusterNodes c = cluster;
        cluster = null;
        if (c != null) {
            c.close();
        } else {
            s.close();
        }
        if (leakFlush) {
            LeakDetection.flush();
        }
    }

    /** Options of a {@link HermesServerExtension}. Not thread-safe. */
    public static final class Builder {
        private HermesConfig config = HermesConfig.DEFAULT;
        private Function<HermesConfig, HermesHub> hubFactory = HermesHub::new;
        private Transport transport;
        private int ioThreads = 1;
        private Lifecycle lifecycle = Lifecycle.PER_TEST;
        private Duration clientTimeout = LineClient.DEFAULT_TIMEOUT;
        private boolean leakFlush = true;
        private boolean customHub;

        private Builder() {
        }

        /** The server configuration; default {@link HermesConfig#DEFAULT}. */
        public Builder config(HermesConfig v) {
            config = Objects.requireNonNull(v, "config");
            return this;
        }

        /** Changes the configuration, starting from the current one: {@code config(c -> c.echo(true))}. */
        public Builder config(UnaryOperator<HermesConfig.Builder> change) {
            config = change.apply(config.toBuilder()).build();
            return this;
        }

        /**
         * Builds each server's hub from the configuration; default {@link HermesHub#HermesHub(HermesConfig)}.
         * E.g. {@code hub(c -> new HermesHub(c, clock, 0xFFFF_FFFFL, ByteBufAllocator.DEFAULT))} to test the
         * counter's wrap.
         */
        public Builder hub(Function<HermesConfig, HermesHub> factory) {
            hubFactory = Objects.requireNonNull(factory, "factory");
            customHub = true;
            return this;
        }

        /** The I/O transport; default {@link Transport#nio()}. */
        public Builder transport(Transport v) {
            transport = Objects.requireNonNull(v, "transport");
            return this;
        }

        /** Number of event loops; default 1 (see the class comment), 0 for Netty's default. */
        public Builder ioThreads(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("ioThreads must not be negative");
            }
            ioThreads = v;
            return this;
        }

        /** A fresh server for every test (the default). */
        public Builder perTest() {
            lifecycle = Lifecycle.PER_TEST;
            return this;
        }

        /** One server for all tests of the class; the {@code @RegisterExtension} field must be static. */
        public Builder perClass() {
            lifecycle = Lifecycle.PER_CLASS;
            return this;
        }

        /** The default wait bound of the clients this extension opens; default {@link LineClient#DEFAULT_TIMEOUT}. */
        public Builder clientTimeout(Duration v) {
            clientTimeout = Objects.requireNonNull(v, "clientTimeout");
            return this;
        }

        /**
         * Whether each server stop runs {@link LeakDetection#flush()} (default true): two garbage
         * collections, some tens of milliseconds per stop, so that leaks are reported in the test that
         * caused them. Turn off for suites of many tiny tests whose build greps the whole output anyway.
         */
        public Builder leakFlush(boolean v) {
            leakFlush = v;
            return this;
        }

        /** The extension, to be stored in a {@code @RegisterExtension} field. */
        public HermesServerExtension build() {
            if (transport == null) {
                transport = Transport.nio();
            }
            return new HermesServerExtension(this);
        }
    }
}
