package io.hermesnet.server;

import io.hermesnet.codec.LineEncoding;
import io.hermesnet.hub.ClientConnection;
import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.hub.Session;
import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.telemetry.HermesMarkers;
import io.hermesnet.telemetry.LogGate;
import io.hermesnet.tls.ServerTls;
import io.hermesnet.websocket.WebSocketSettings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.NetUtil;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running HermesNet server: a {@link ServerBootstrap} whose channels are built by
 * {@link HermesPipeline} around one {@link HermesHub}. Start with {@link #start}; stop with
 * {@link #shutdown} (graceful, docs/protocol.md §3.9) or {@link #close}.
 *
 * <p>Threading: {@link #start} and {@link #shutdown} block the calling thread (bind; bounded wait for
 * the goodbyes), so call them from an application thread, never from an event loop.
 */
public final class HermesServer implements AutoCloseable {
    /** The {@code BYE} text of a normal shutdown (SIGINT, SIGTERM, {@link #close}). */
    public static final String THANK_YOU = "Thank you";
    /** The {@code BYE} text of the SIGUSR1 disconnect. */
    public static final String WILL_DISCONNECT = "THE SERVER WILL DISCONNECT";

    /**
     * The {@code BYE} text a cluster node (docs/protocol.md §6.4) sends its clients while its state log is
     * unavailable (cut off from the cluster's store): they reconnect to another node.
     */
    public static final String CLUSTER_UNAVAILABLE = "Cluster unavailable";
    /** How often a cluster node checks its state log's availability, in ms. */
    static final long CLUSTER_WATCH_INTERVAL_MS = 100;

    private static final Logger log = LogManager.getLogger(HermesServer.class);
    /** Netty's default water marks are 32/64 KiB; a chat client rarely needs more in flight. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
    /**
     * How often the count of dropped per-message log lines is logged, in ms: often enough that a
     * reader sees when the drops happened, rare enough that a flood costs one line a second.
     */
    public static final long DROPPED_LOG_LINES_INTERVAL_MS = 1000;
    /**
     * How long, in ms, {@link #shutdown} may take beyond the shutdown timeout to close stuck clients and
     * stop the event loops: a quarter of the second docs/protocol.md §3.9 allows; the log flush takes at
     * most another fifth, and the JVM's own exit, which takes a few hundred ms on a loaded machine, the rest.
     */
    public static final long SHUTDOWN_GRACE_MS = 250;

    private final HermesHub hub;
    private final EventLoopGroup group;
    private volatile boolean paused;
    /** Runs the listeners only (Netty's "boss" group): accepting never waits behind a busy client loop. */
    private final EventLoopGroup acceptor;
    private final Transport transport;
    private final List<Channel> listeners;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private boolean clusterAvailable = true; // the watch's, on one event loop
    /** Whether the listener's loop is this server's to stop: false for a server started {@link #startBeside} another. */
    private final boolean ownsAcceptor;
    /** Whether the client loops are: false beside another server, or on loops the caller gave and stops. */
    private final boolean ownsLoops;
    // filled in bind(), read by shutdown() on whichever thread stops the server
    private final List<ScheduledFuture<?>> periodic = new CopyOnWriteArrayList<>();

    private HermesServer(HermesHub hub, EventLoopGroup acceptor, EventLoopGroup group, Transport transport,
                         List<Channel> listeners, boolean ownsAcceptor, boolean ownsLoops) {
        this.ownsAcceptor = ownsAcceptor;
        this.ownsLoops = ownsLoops;
        this.acceptor = acceptor;
        this.hub = hub;
        this.group = group;
        this.transport = transport;
        this.listeners = listeners;
    }

    /**
     * One listening socket of a server: where it binds, for a TLS listener (docs/protocol.md §6.1) the
     * certificate it serves, and for a browser listener (docs/protocol.md §6.3) its WebSocket settings.
     *
     * @param address   where to listen; port 0 picks a free port
     * @param tls       the certificate and key, or {@code null} for plain text
     * @param webSocket for a browser listener (the chat page and WebSocket, over HTTPS with {@code tls}),
     *                  its settings; {@code null} for a line listener
     */
    public record Listener(InetSocketAddress address, ServerTls tls, WebSocketSettings webSocket) {
        public Listener {
            Objects.requireNonNull(address, "address");
        }

        /** A line listener, plain text or with {@code tls}. */
        public Listener(InetSocketAddress address, ServerTls tls) {
            this(address, tls, null);
        }

        /** A plain-text listener. */
        public static Listener plain(InetSocketAddress address) {
            return new Listener(address, null);
        }

        /** A TLS listener serving {@code tls}. */
        public static Listener tls(InetSocketAddress address, ServerTls tls) {
            return new Listener(address, Objects.requireNonNull(tls, "tls"));
        }

        /**
         * A browser listener (docs/protocol.md §6.3): the chat page at {@code /} and the WebSocket endpoint,
         * over TLS ({@code https}, {@code wss}) when {@code tls} is not {@code null}.
         */
        public static Listener webSocket(InetSocketAddress address, ServerTls tls, WebSocketSettings settings) {
            return new Listener(address, tls, Objects.requireNonNull(settings, "settings"));
        }

        /** How the start line describes this listener, after the transport's name. */
        String note() {
            if (webSocket != null) {
                return tls == null ? ", HTTP and WebSocket" : ", HTTPS and WebSocket over TLS";
            }
            return tls == null ? "" : ", TLS";
        }
    }

    /** Starts a server with the best transport and one event loop per available core. */
    public static HermesServer start(HermesConfig config, InetSocketAddress bindAddress) throws IOException {
        return start(new HermesHub(config), bindAddress, Transport.best(), 0);
    }

    /**
     * Binds a server for {@code hub} and returns once it listens.
     *
     * @param bindAddress where to listen; port 0 picks a free port (see {@link #localAddress()})
     * @param ioThreads   number of event loops; 0 for one per available core (no handler blocks, so
     *                    more loops than cores only add context switches)
     * @throws IOException if the address cannot be bound ({@link java.net.BindException} when in use)
     */
    public static HermesServer start(HermesHub hub, InetSocketAddress bindAddress, Transport transport, int ioThreads)
            throws IOException {
        return start(hub, bindAddress, transport, ioThreads, new HermesPipeline(hub).initializer());
    }

    /**
     * Binds a server whose accepted channels are set up by {@code childHandler}: for embedders who
     * compose HermesNet's handlers with their own (usually a {@code ChannelInitializer} that calls
     * {@link HermesPipeline#configure} and then adds handlers by the stage names).
     *
     * @throws IOException if the address cannot be bound
     */
    public static HermesServer start(HermesHub hub, InetSocketAddress bindAddress, Transport transport, int ioThreads,
            ChannelHandler childHandler) throws IOException {
        return bind(hub, transport, ioThreads, true, List.of(bindAddress), List.of(gated(hub, childHandler, true)),
                List.of(""));
    }

    /**
     * Binds a server with one or more listeners (e.g. plain text beside TLS, docs/protocol.md §6.1) and
     * returns once all of them listen. Every listener serves the same hub on the same event loops, so
     * their clients chat with each other; {@link #localAddresses()} lists them in this order.
     *
     * @param listeners at least one
     * @throws IOException if an address cannot be bound (the ones already bound are released)
     */
    public static HermesServer start(HermesHub hub, List<Listener> listeners, Transport transport, int ioThreads)
            throws IOException {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("no listener");
        }
        return bind(hub, transport, ioThreads, true, listeners.stream().map(Listener::address).toList(),
                childHandlers(hub, listeners), listeners.stream().map(Listener::note).toList());
    }

    /**
     * As {@link #start(HermesHub, List, Transport, int)}, but accepts no connection until
     * {@link #setAccepting setAccepting(true)}: for a server that binds its port first (so that a port in use
     * is reported at once) and then prepares before it takes clients, as hermes-server's warm-up does.
     * Meanwhile new connections wait in the kernel's accept queue. (Pausing a started server with
     * {@code setAccepting(false)} may still let one connection in: the listener's first read is already pending.)
     *
     * @throws IOException if an address cannot be bound (the ones already bound are released)
     */
    public static HermesServer bindNotAccepting(HermesHub hub, List<Listener> listeners, Transport transport,
            int ioThreads) throws IOException {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("no listener");
        }
        return bind(hub, transport, ioThreads, false, listeners.stream().map(Listener::address).toList(),
                childHandlers(hub, listeners), listeners.stream().map(Listener::note).toList());
    }

    /**
     * As {@link #bindNotAccepting(HermesHub, List, Transport, int)}, with the clients' channels on {@code loops}
     * ({@link Transport#newEventLoops} of the same transport), which the caller shares with other I/O — a
     * cluster node's Redis connections (docs/cluster.md "Threads") — and shuts down after {@link #shutdown}
     * and after whatever else uses them. The listeners get a loop of their own, which this server stops.
     *
     * @param listeners at least one
     * @throws IOException if an address cannot be bound (the ones already bound are released; {@code loops}
     *                     are left running)
     */
    public static HermesServer bindNotAccepting(HermesHub hub, List<Listener> listeners, Transport transport,
            EventLoopGroup loops) throws IOException {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("no listener");
        }
        EventLoopGroup acceptor = transport.newEventLoops(1);
        return bind(hub, transport, acceptor, Objects.requireNonNull(loops, "loops"), true, false, false,
                listeners.stream().map(Listener::address).toList(), childHandlers(hub, listeners),
                listeners.stream().map(Listener::note).toList());
    }

    /**
     * Starts a second server for {@code hub} on this server's event loops and transport, with listeners of
     * its own: for a server that warms up before it accepts clients (hermes-server's start-up), so that the
     * threads, their buffer caches and the compiled code are the ones its clients will meet. Closing it
     * closes its listeners and its clients, never the shared loops.
     *
     * @param listeners at least one
     * @throws IOException if an address cannot be bound (the ones already bound are released)
     */
    public HermesServer startBeside(HermesHub hub, List<Listener> listeners) throws IOException {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("no listener");
        }
        return bind(hub, transport, acceptor, group, false, false, true, listeners.stream().map(Listener::address).toList(),
                childHandlers(hub, listeners), listeners.stream().map(Listener::note).toList());
    }

    private static List<ChannelHandler> childHandlers(HermesHub hub, List<Listener> listeners) {
        HermesPipeline pipeline = new HermesPipeline(hub);
        return listeners.stream().map(l -> gated(hub, l.webSocket() == null ? pipeline.initializer(l.tls())
                        : pipeline.webSocketInitializer(l.tls(), pipeline.webSocket(l.webSocket())),
                l.tls() == null && l.webSocket() == null)).toList();
    }

    private static HermesServer bind(HermesHub hub, Transport transport, int ioThreads, boolean accepting,
            List<InetSocketAddress> addresses, List<ChannelHandler> childHandlers, List<String> notes) throws IOException {
        EventLoopGroup group = transport.newEventLoops(ioThreads);
        // A listener of its own thread: on a client loop, accepting waited behind that loop's fan-out, and in
        // a storm of thousands of connections at once the kernel's accept queue overflowed and clients
        // retried their SYNs after 1, 3, 7 s (docs/performance.md "Join storm"). Idle but for accepting.
        EventLoopGroup acceptor = transport.newEventLoops(1);
        return bind(hub, transport, acceptor, group, true, true, accepting, addresses, childHandlers, notes);
    }

    private static HermesServer bind(HermesHub hub, Transport transport, EventLoopGroup acceptor, EventLoopGroup group,
            boolean ownsAcceptor, boolean ownsLoops, boolean accepting, List<InetSocketAddress> addresses, List<ChannelHandler> childHandlers,
            List<String> notes) throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptor, group)
                // not accepting: the listener never starts its first read, so no connection slips in
                .option(ChannelOption.AUTO_READ, accepting)
                .channel(transport.serverChannel())
                // the kernel's own limit, as Netty's default: a reconnect storm of thousands of clients
                // overflows a smaller accept queue while the loop is busy, and Linux then drops the
                // handshake's last ACK, leaving clients "connected" to a socket that was never accepted
                .option(ChannelOption.SO_BACKLOG, NetUtil.SOMAXCONN)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // docs/protocol.md §2.3: a client's EOF ends its input, not the connection; the admission
                // handler answers what came before it, then closes
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                // Netty's pooled allocator, not 4.2's adaptive default: it frees a chunk once the chunk is
                // empty, so the batches of a join storm do not stay resident (10,000 idle clients after
                // their join storm: 8.4 KiB per connection against 10.8 with the adaptive allocator)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        List<Channel> bound = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            ChannelFuture f = b.clone().childHandler(childHandlers.get(i)).bind(addresses.get(i)).awaitUninterruptibly();
            if (!f.isSuccess()) {
                bound.forEach(Channel::close);
                if (ownsAcceptor) {
                    acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                }
                if (ownsLoops) {
                    group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                }
                Throwable cause = f.cause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                throw new IOException("cannot bind " + addresses.get(i) + ": " + cause, cause);
            }
            bound.add(f.channel());
        }
        HermesServer server = new HermesServer(hub, acceptor, group, transport, List.copyOf(bound), ownsAcceptor, ownsLoops);
        server.paused = !accepting;
        for (int i = 0; i < bound.size(); i++) {
            log.info(HermesMarkers.STATE, "Listening on {} ({}{}, max {} clients)",
                    Session.formatAddress(bound.get(i).localAddress()), transport.name(), notes.get(i),
                    hub.config().maxClients());
        }
        LogGate gate = server.hub.logGate();
        server.periodic.add(server.group.next().scheduleAtFixedRate(gate::refill,
                LogGate.REFILL_INTERVAL_MS, LogGate.REFILL_INTERVAL_MS, TimeUnit.MILLISECONDS));
        server.periodic.add(server.group.next().scheduleAtFixedRate(server::logDroppedLines,
                DROPPED_LOG_LINES_INTERVAL_MS, DROPPED_LOG_LINES_INTERVAL_MS, TimeUnit.MILLISECONDS));
        if (!hub.stateLog().appliesInline()) {
            server.periodic.add(server.group.next().scheduleAtFixedRate(server::watchCluster,
                    CLUSTER_WATCH_INTERVAL_MS, CLUSTER_WATCH_INTERVAL_MS, TimeUnit.MILLISECONDS));
        }
        return server;
    }

    /**
     * {@code childHandler}, except while a cluster node's state log is unavailable (docs/protocol.md §6.4):
     * then a new connection is closed at once, after {@code BYE Cluster unavailable} on a plain-text
     * listener (a TLS listener closes without a line: there is no session to carry it yet).
     */
    private static ChannelHandler gated(HermesHub hub, ChannelHandler childHandler, boolean plainText) {
        if (hub.stateLog().appliesInline()) {
            return childHandler;
        }
        return new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (hub.stateLog().isAvailable()) {
                    ch.pipeline().addLast(childHandler);
                } else if (plainText) {
                    ch.writeAndFlush(LineEncoding.encode(ch.alloc(), new ServerEvent.Bye(CLUSTER_UNAVAILABLE)))
                            .addListener(ChannelFutureListener.CLOSE);
                } else {
                    ch.close();
                }
            }
        };
    }

    /**
     * A cluster node's check of its state log, every {@link #CLUSTER_WATCH_INTERVAL_MS} ms on one event
     * loop: while the log is unavailable every client of this node is sent {@code BYE Cluster unavailable}
     * and closed (docs/protocol.md §6.4), rather than diverge from the cluster; {@link #isAccepting} is false.
     */
    private void watchCluster() {
        boolean available = hub.stateLog().isAvailable();
        if (available != clusterAvailable) {
            clusterAvailable = available;
            if (available) {
                log.info(HermesMarkers.STATE, "Cluster available again: accepting clients");
            } else {
                log.warn(HermesMarkers.STATE, "Cluster unavailable: BYE {} to this node's clients, not accepting",
                        CLUSTER_UNAVAILABLE);
            }
        }
        if (available || stopping.get()) {
            return;
        }
        ServerEvent.Bye bye = new ServerEvent.Bye(CLUSTER_UNAVAILABLE);
        for (Session s : hub.sessions()) {
            ClientConnection c = s.connection();
            if (c != null && !c.isClosing()) {
                c.channel().attr(HermesAttributes.LEAVE_REASON).setIfAbsent(LeaveReason.CLOSED);
                c.closeWith(bye);
            }
        }
    }

    /** {@code dropped N log lines}, a STATE line, if the {@link io.hermesnet.telemetry.LogGate} dropped any since the last time. */
    private void logDroppedLines() {
        long n = hub.logGate().takeDropped();
        if (n > 0) {
            log.info(HermesMarkers.STATE, "dropped {} log lines", n);
        }
    }

    /** The bound address of the first listener; its port is the real one when port 0 was asked for. */
    public InetSocketAddress localAddress() {
        return localAddresses().get(0);
    }

    /** The bound address of every listener, in the order they were given. */
    public List<InetSocketAddress> localAddresses() {
        return listeners.stream().map(ch -> (InetSocketAddress) ch.localAddress()).toList();
    }

    /** The server-wide state. */
    public HermesHub hub() {
        return hub;
    }

    /** The event loops every client channel (and every {@link #bind extra listener}) runs on. */
    public EventLoopGroup eventLoops() {
        return group;
    }

    /**
     * Whether the server admits new clients: its listener is open, no {@link #shutdown} has begun, and a
     * cluster node's state log is available (docs/protocol.md §6.4). What an operations endpoint's
     * readiness probe reports. Any thread.
     */
    public boolean isAccepting() {
        return !stopping.get() && !hub.isClosing() && hub.stateLog().isAvailable() && !paused
                && listeners.stream().allMatch(Channel::isActive);
    }

    /**
     * Stops ({@code false}) or resumes ({@code true}) accepting connections on every chat listener, which
     * stay bound: while paused, new connections wait in the kernel's accept queue (up to its backlog) and
     * are accepted on resume. For a server that binds its port first (so that a port in use is reported at
     * once) and then prepares before it takes clients ({@link #bindNotAccepting} starts so). A connection
     * accepted before the pause takes effect is served as usual. Any thread.
     */
    public void setAccepting(boolean accepting) {
        paused = !accepting;
        for (Channel listener : listeners) {
            listener.config().setAutoRead(accepting);
        }
    }

    /**
     * Binds one more listener on this server's event loops and transport, for a protocol served beside
     * the chat port (the operations endpoint of docs/operations.md). It is not closed with the chat
     * listener at the start of {@link #shutdown} but with the event loops at its end (loops the caller gave:
     * when the caller stops them), so it keeps answering, with {@link #isAccepting} false, while the clients
     * are said goodbye. Blocks until bound.
     *
     * @param childHandler sets up each accepted channel
     * @return the bound listener; close it to stop listening earlier
     * @throws IOException if the address cannot be bound ({@link java.net.BindException} when in use)
     */
    public Channel bind(InetSocketAddress bindAddress, ChannelHandler childHandler) throws IOException {
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(childHandler)
                .bind(bindAddress)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot bind " + bindAddress + ": " + cause, cause);
        }
        return bound.channel();
    }

    /** Completes when {@link #shutdown} has finished. */
    public CompletableFuture<Void> terminationFuture() {
        return terminated;
    }

    /**
     * Graceful shutdown, run once (docs/protocol.md §3.9): stop accepting, stop reading every client, send
     * {@code BYE <byeText>} to every client, wait at most {@code shutdownTimeout} for them to be flushed and
     * closed (a stuck client is then closed by force and delays no one), release the port and stop the
     * event loops; returns within the shutdown timeout plus {@link #SHUTDOWN_GRACE_MS} whatever the load,
     * clients flooding input included. Later and concurrent calls wait for the first to finish.
     */
    public void shutdown(String byeText) {
        if (!stopping.compareAndSet(false, true)) {
            terminated.join();
            return;
        }
        try {
            long deadline = System.nanoTime() + hub.config().shutdownTimeout().toNanos();
            long end = deadline + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_GRACE_MS);
            // Every wait below is bounded by the deadline: a task given to an event loop (a close, a BYE)
            // runs only after the loop's current round of reads, which a flood makes long. Turning auto-read
            // off takes effect at once in a read loop (each read checks it), so no loop reads another batch.
            List<ChannelFuture> listenerCloses = new ArrayList<>(listeners.size());
            for (Channel listener : listeners) {
                listener.config().setAutoRead(false);
                listenerCloses.add(listener.close());
            }
            stopReading(hub.sessions());
            List<ChannelFuture> closes = hub.shutdown(byeText);
            // a client admitted between the snapshot and the hub's closing flag stops reading too
            for (ChannelFuture f : closes) {
                f.channel().config().setAutoRead(false);
            }
            int forced = 0;
            for (ChannelFuture f : closes) {
                if (!f.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    f.channel().close();
                    forced++;
                }
            }
            if (forced > 0) {
                log.info(HermesMarkers.STATE, "Shutdown: closed {} stuck clients", forced);
            }
            for (ChannelFuture f : listenerCloses) {
                f.awaitUninterruptibly(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            // quiet period 0: the loops run the closes queued above, close what is left and stop; the port
            // is released when the listener's close runs, at the latest when its loop stops
            long left = Math.max(0, end - System.nanoTime());
            periodic.forEach(f -> f.cancel(false));
            if (!ownsAcceptor) {
                // beside another server: the loops' owner stops them; its clients are closed, the listeners above
                logDroppedLines();
                return;
            }
            acceptor.shutdownGracefully(0, left, TimeUnit.NANOSECONDS);
            // loops given by the caller are the caller's to stop, after whatever else shares them
            if (ownsLoops && !group.shutdownGracefully(0, left, TimeUnit.NANOSECONDS)
                    .awaitUninterruptibly(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                log.info(HermesMarkers.STATE, "Shutdown: event loops still busy after {} ms, not waiting for them",
                        SHUTDOWN_GRACE_MS);
            }
            logDroppedLines(); // the last interval's, cut short by the stop
            log.info(HermesMarkers.STATE, "Shutdown complete, port released");
        } finally {
            terminated.complete(null);
        }
    }

    /** Turns auto-read off on the clients' channels: no more input is read from them. Any thread. */
    private static void stopReading(List<Session> sessions) {
        for (Session s : sessions) {
            if (s.isLocal()) { // in a cluster, the others' clients are their servers' to stop
                s.channel().config().setAutoRead(false);
            }
        }
    }

    /** {@link #shutdown} with {@code BYE Thank you}. */
    @Override
    public void close() {
        shutdown(THANK_YOU);
    }
}
