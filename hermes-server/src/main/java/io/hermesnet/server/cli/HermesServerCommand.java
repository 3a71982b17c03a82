package io.hermesnet.server.cli;

import io.hermesnet.config.HermesVersionProvider;
import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.hub.Session;
import io.hermesnet.internal.logging.LogFormat;
import io.hermesnet.server.HermesServer;
import io.hermesnet.server.Transport;
import io.hermesnet.server.admin.AdminServer;
import io.hermesnet.state.ClusterBackend;
import io.hermesnet.state.LocalStateLog;
import io.hermesnet.telemetry.HermesCounters;
import io.hermesnet.telemetry.HermesMarkers;
import io.hermesnet.telemetry.HermesMetrics;
import io.hermesnet.tls.ServerTls;
import io.hermesnet.websocket.WebSocketSettings;
import io.netty.channel.EventLoopGroup;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The {@code hermes-server} command line (docs/protocol.md §4): parses the flags into a {@link HermesConfig}, starts
 * a {@link HermesServer}, prints the bound address, and serves until SIGINT, SIGTERM or SIGUSR1; SIGUSR2
 * logs the client table (docs/protocol.md §3.9). {@link #call} returns the process exit code: 0 after a signalled
 * shutdown, 1 when the address cannot be bound, 2 for bad arguments (picocli prints the usage).
 *
 * <p>Threading: {@link #call} runs on the caller's thread (the JVM's main thread in the launcher) and
 * blocks until a stop signal; the shutdown runs on that thread too, never on the signal-dispatch thread.
 * One instance serves one {@code execute}.
 */
@Command(
        name = "hermes-server",
        mixinStandardHelpOptions = true,
        versionProvider = HermesVersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Runs a HermesNet line-protocol chat server; connect with telnet, nc or hermes-client, or a browser with --http-port.",
        footerHeading = "%n",
        footer = {
                "Durations: 500ms, 2s, 1m, 1h. Sizes in bytes: 4096, 64KiB, 1MiB.",
                "A duration, size or rate written 'off' is 0; each flag says what 0 does there.",
                "",
                "Signals:",
                "  INT, TERM  BYE Thank you to every client, stop, exit 0",
                "  USR1       BYE THE SERVER WILL DISCONNECT to every client, stop, exit 0",
                "  USR2       log the client table, keep serving",
                "  HUP        reload --tls-cert and --tls-key from disk, keep serving",
                "",
                "Exit codes: 0 stopped by a signal (or -h, -V), 1 cannot listen or join the --cluster, 2 bad arguments."})
public final class HermesServerCommand implements Callable<Integer> {
    /** The port when none is given. */
    public static final int DEFAULT_PORT = 9000;
    /** Exit code when the address cannot be bound (port in use, address not local, no permission). */
    public static final int EXIT_CANNOT_LISTEN = 1;

    private static final Logger log = LogManager.getLogger(HermesServerCommand.class);
    /** Longest a cluster node waits at start-up to have applied the cluster's log before it binds. */
    private static final Duration CLUSTER_CATCH_UP = Duration.ofSeconds(60);
    /** How long a cluster node waits, at exit, for its event loops to stop (ms). */
    private static final long LOOPS_STOP_MS = 1000;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PORT",
            description = "The TCP port, as the original servers took it (same as --port).")
    private Integer positionalPort;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "Address to listen on; 127.0.0.1 keeps the server local (default: ${DEFAULT-VALUE}, every interface, IPv4 and IPv6).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT",
            description = "TCP port to listen on; 0 picks a free one (default: " + DEFAULT_PORT + ").")
    private Integer port;

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "" + HermesConfig.DEFAULT_MAX_CLIENTS,
            description = "Most clients at once, 1 or more; the next one gets ERROR FULL (default: ${DEFAULT-VALUE}).")
    private int maxClients;

    @Option(names = "--tick-interval", paramLabel = "DURATION", defaultValue = "1s",
            converter = CliConverters.DurationConverter.class,
            description = "Period of the ID line; off or 0 disables it (default: ${DEFAULT-VALUE}).")
    private Duration tickInterval;

    @Option(names = "--room-size", paramLabel = "K", defaultValue = "" + HermesConfig.DEFAULT_ROOM_SIZE,
            description = "Clients per room, at least 2; 0 is one global room (default: ${DEFAULT-VALUE}).")
    private int roomSize;

    @Option(names = "--turns", description = "Half-duplex rooms: members write in turn (needs --room-size 2 or more) (default: off).")
    private boolean turns;

    @Option(names = "--echo", description = "Send each chat line back to its sender as ECHO (default: off).")
    private boolean echo;

    @Option(names = "--max-line", paramLabel = "SIZE", defaultValue = "" + HermesConfig.DEFAULT_MAX_LINE_BYTES,
            converter = CliConverters.SizeConverter.class,
            description = "Longest client line in bytes, terminator excluded; cannot be off (default: ${DEFAULT-VALUE}).")
    private long maxLine;

    @Option(names = "--max-pending", paramLabel = "SIZE", defaultValue = "1MiB",
            converter = CliConverters.SizeConverter.class,
            description = "Most unsent bytes queued for one client before it is cut (LEAVE sendq); off or 0: no bound (default: ${DEFAULT-VALUE}).")
    private long maxPending;

    @Option(names = "--write-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = CliConverters.DurationConverter.class,
            description = "Longest a client may stay unwritable before it is cut (LEAVE sendq); off or 0 disables it (default: ${DEFAULT-VALUE}).")
    private Duration writeTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "off",
            converter = CliConverters.DurationConverter.class,
            description = "Cut a client that sends no complete line for this long (BYE Idle timeout); off or 0 disables it (default: ${DEFAULT-VALUE}).")
    private Duration idleTimeout;

    @Option(names = "--max-rate", paramLabel = "LINES", defaultValue = "off",
            converter = CliConverters.LimitConverter.class,
            description = "Most lines per second from one client; excess gets ERROR RATE_LIMITED; off or 0: no limit (default: ${DEFAULT-VALUE}).")
    private int maxRate;

    @Option(names = "--max-per-ip", paramLabel = "N", defaultValue = "off",
            converter = CliConverters.LimitConverter.class,
            description = "Most connections at once from one IP address; off or 0: no limit (default: ${DEFAULT-VALUE}).")
    private int maxPerIp;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = CliConverters.DurationConverter.class,
            description = "Longest a shutdown waits for clients to take their BYE; off or 0 closes them at once (default: ${DEFAULT-VALUE}).")
    private Duration shutdownTimeout;

    @Option(names = "--exec-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = CliConverters.DurationConverter.class,
            description = "Longest an allowed EXEC waits for its /result; then the issuer gets ERROR NO_SUCH_EXEC <id> no answer; off or 0 waits until the target leaves (default: ${DEFAULT-VALUE}).")
    private Duration execTimeout;

    @Option(names = "--presence-delay", paramLabel = "DURATION", defaultValue = "100ms",
            converter = CliConverters.DurationConverter.class,
            description = "Longest a JOIN/LEAVE/CLIENTS/RANK line waits to share a flush with others; off or 0 sends at once (default: ${DEFAULT-VALUE}).")
    private Duration presenceDelay;

    @Option(names = "--io-threads", paramLabel = "N", defaultValue = "0",
            description = "Event loops (I/O threads); 0 = one per available core (default: ${DEFAULT-VALUE}, one per core).")
    private int ioThreads;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate chain, leaf first: with --tls-key the port speaks TLS 1.2/1.3 only (or see --tls-port) (default: off).")
    private Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "PEM private key (PKCS#8, RSA or EC) of --tls-cert. SIGHUP reloads both files (default: off).")
    private Path tlsKey;

    @Option(names = "--tls-port", paramLabel = "PORT",
            description = "Serve TLS on this port beside the plain-text port, instead of on it (needs --tls-cert, --tls-key) (default: off).")
    private Integer tlsPort;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Serve the chat page at / and WebSocket at /ws on this port, HTTPS and wss:// with --tls-cert; 0 picks a free one (default: off).")
    private Integer httpPort;

    @Option(names = "--ws-origin", paramLabel = "ORIGINS",
            description = "Page origins that may open /ws: comma-separated http(s)://host[:port], or * for any (default: the page's own origin).")
    private String wsOrigin;

    @Option(names = "--admin-port", paramLabel = "PORT",
            description = "Serve the operations endpoint (HTTP: /metrics /healthz /readyz /clients /info) on this port; 0 picks a free one (default: off).")
    private Integer adminPort;

    @Option(names = "--admin-host", paramLabel = "ADDR", defaultValue = AdminServer.DEFAULT_HOST,
            description = "Address of the operations endpoint (default: ${DEFAULT-VALUE}, this machine only).")
    private String adminHost;

    @Option(names = "--cluster", paramLabel = "URI",
            description = "Join the servers on this Redis as one server: redis://HOST:PORT, rediss://… or redis-sentinel://… (default: off, one server).")
    private String clusterUri;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "hermes",
            description = "With --cluster: servers with the same Redis and name form one cluster; letters, digits, . _ - (default: ${DEFAULT-VALUE}).")
    private String clusterName;

    @Option(names = "--node-id", paramLabel = "ID",
            description = "With --cluster: this server's id, unique in the cluster; letters, digits, . _ - (default: host-pid).")
    private String nodeId;

    @Option(names = "--node-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = CliConverters.DurationConverter.class,
            description = "With --cluster: a node silent this long is dead (its clients LEAVE … node), and a node cut off from Redis this long says BYE Cluster unavailable to its clients (default: ${DEFAULT-VALUE}).")
    private Duration nodeTimeout;

    @Option(names = "--no-warm-up",
            description = "Skip the start-up warm-up, which runs the fan-out path hot for a moment (at most 20 s, 5-8 s "
                    + "on an idle machine; a --cluster node then its Redis path, at most 10 s) on a private loopback "
                    + "port after binding and before taking the first client (own clients, silent), so that the first "
                    + "flood meets JIT-compiled code (default: off).")
    private boolean noWarmUp;

    @Option(names = "--quiet", description = "Drop the RX, TX and BROADCAST log lines; keep STATE and EXEC (default: off).")
    private boolean quiet;

    @Option(names = "--log-level", paramLabel = "LEVEL", converter = CliConverters.LevelConverter.class,
            description = "error, warn, info, debug (adds TX lines), trace or off (default: info).")
    private Level logLevel;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text", converter = CliConverters.LogFormatConverter.class,
            description = "text: one line per event; json: one JSON object per line (time, level, category, message, client), "
                    + "the listening lines then on standard error (default: ${DEFAULT-VALUE}).")
    private LogFormat logFormat;

    private final SignalInstaller signals;

    /** The command with the real POSIX signal handlers. */
    public HermesServerCommand() {
        this(PosixSignals.INSTANCE);
    }

    /** The command with another signal source; for tests, which must not signal their own JVM. */
    HermesServerCommand(SignalInstaller signals) {
        this.signals = Objects.requireNonNull(signals, "signals");
    }

    /** The {@link CommandLine} that runs {@code command}: the one {@link HermesServerMain} and the tests use. */
    public static CommandLine commandLine(HermesServerCommand command) {
        return new CommandLine(command).setParameterExceptionHandler(HermesServerCommand::badArguments);
    }

    /** Bad arguments (docs/protocol.md §4): what is wrong, the synopsis, and where the full help is; exit code 2. */
    private static int badArguments(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("hermes-server: " + e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        CommandLine.Help help = cmd.getHelp();
        err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
        err.println("Run 'hermes-server --help' for every flag.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * Runs the server until a stop signal.
     *
     * @return 0 after a signalled shutdown, {@link #EXIT_CANNOT_LISTEN} when binding fails
     * @throws ParameterException for flags that parse but do not fit together (exit code 2)
     */
    @Override
    public Integer call() {
        HermesConfig config = toConfig();
        InetSocketAddress bindAddress = bindAddress();
        checkTlsFlags();
        WebSocketSettings webSocket = webSocketSettings();
        InetSocketAddress adminAddress = adminAddress();
        // first: a new layout is a new configuration, which the level and the quiet filter then change
        if (logFormat == LogFormat.JSON) {
            ServerLogging.json();
        }
        if (logLevel != null) {
            ServerLogging.rootLevel(logLevel);
        }
        if (quiet) {
            ServerLogging.quiet();
        }
        ServerTls tls = loadTls();
        ClusterBackend.Settings clusterSettings = clusterSettings();
        Transport transport = Transport.best();
        if (clusterSettings == null) {
            return serve(config, bindAddress, tls, webSocket, adminAddress, transport, null, null);
        }
        // A node's Redis connections run on the server's own event loops: a line from Redis is applied and
        // written to this node's clients on one thread, and an append goes out on the loop that read it
        // (docs/cluster.md "Threads"). So the loops are made here and outlive both the server and the cluster.
        EventLoopGroup loops = transport.newEventLoops(ioThreads);
        ClusterBackend cluster = null;
        try {
            try {
                // before the bind: a server that cannot join must not take clients as a lone server
                cluster = ClusterBackend.open(clusterSettings.onLoops(loops, transport.socketChannel()));
            } catch (IllegalArgumentException e) {
                throw usage("--cluster " + clusterSettings.uri() + ": " + e.getMessage());
            } catch (IllegalStateException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("hermes-server: " + e.getMessage());
                err.flush();
                return EXIT_CANNOT_LISTEN;
            }
            return serve(config, bindAddress, tls, webSocket, adminAddress, transport, loops, cluster);
        } finally {
            if (cluster != null) {
                cluster.close(); // after the goodbyes: their LEAVEs reach the cluster first
            }
            // the server has closed every client by now, so the loops stop at once
            loops.shutdownGracefully(0, LOOPS_STOP_MS, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(LOOPS_STOP_MS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The {@code --cluster} settings, or null without {@code --cluster}.
     *
     * @throws ParameterException for a malformed name, id or timeout
     */
    ClusterBackend.Settings clusterSettings() {
        if (clusterUri == null) {
            return null;
        }
        if (!clusterName.matches("[A-Za-z0-9._-]{1,64}")) {
            throw usage("--cluster-name must be 1 to 64 letters, digits, '.', '_' or '-': " + clusterName);
        }
        String id = nodeId != null ? nodeId : LocalStateLog.defaultNodeId();
        if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
            throw usage("--node-id must be 1 to 64 letters, digits, '.', '_' or '-': " + id);
        }
        if (nodeTimeout.toMillis() < 300) {
            throw usage("--node-timeout must be at least 300ms; it cannot be off");
        }
        return new ClusterBackend.Settings(clusterUri, clusterName, id, nodeTimeout);
    }

    /**
     * Binds, warms up, accepts until a stop signal and shuts down. {@code loops}: event loops made by the
     * caller and stopped by it after this returns (a cluster node's, shared with its Redis connections), or
     * null for loops of the server's own, stopped by its shutdown.
     */
    private int serve(HermesConfig config, InetSocketAddress bindAddress, ServerTls tls, WebSocketSettings webSocket,
            InetSocketAddress adminAddress, Transport transport, EventLoopGroup loops, ClusterBackend cluster) {
        // counting only with the endpoint that reports it: without --admin-port the pipeline has no counting stage
        HermesCounters counters = adminAddress != null ? new HermesCounters() : null;
        HermesMetrics metrics = counters != null ? counters : HermesMetrics.NOOP;
        HermesHub hub = cluster == null ? new HermesHub(config, ServerLogging.gate(), metrics)
                : new HermesHub(config, cluster.stateLog(), cluster.ticks(), ServerLogging.gate(), metrics);
        if (cluster != null) {
            awaitCluster(cluster);
        }
        CompletableFuture<AdminSignal> stop = new CompletableFuture<>();
        // the reload reads files: on its own thread, never on the signal thread or an event loop
        ExecutorService reloader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hermes-tls-reload");
            t.setDaemon(true);
            return t;
        });
        // Installed before the bind so that a signal during start-up is not lost: the stop then waits in the future.
        SignalInstaller.Registration signalHandlers = signals.install(s -> onSignal(s, hub, stop, tls, reloader));
        try {
            HermesServer server;
            List<InetSocketAddress> asked = new ArrayList<>();
            List<HermesServer.Listener> listeners = new ArrayList<>();
            try {
                if (tls == null || tlsPort != null) {
                    listeners.add(HermesServer.Listener.plain(bindAddress));
                }
                if (tls != null) {
                    InetSocketAddress at = tlsPort == null ? bindAddress
                            : new InetSocketAddress(bindAddress.getAddress(), tlsPort);
                    listeners.add(HermesServer.Listener.tls(at, tls));
                }
                if (webSocket != null) {
                    listeners.add(HermesServer.Listener.webSocket(
                            new InetSocketAddress(bindAddress.getAddress(), httpPort), tls, webSocket));
                }
                listeners.forEach(l -> asked.add(l.address()));
                // not accepting until warmed up: a connection taken meanwhile would wait behind the warm-up
                server = loops == null ? HermesServer.bindNotAccepting(hub, listeners, transport, ioThreads)
                        : HermesServer.bindNotAccepting(hub, listeners, transport, loops);
            } catch (IOException e) {
                // One line, no stack trace (docs/protocol.md §4). With epoll the cause is Netty's NativeIoException, not a BindException.
                PrintWriter err = spec.commandLine().getErr();
                err.println("hermes-server: cannot listen on " + asked.stream().map(Session::formatAddress)
                        .collect(Collectors.joining(" and ")) + ": " + bindFailure(e));
                err.flush();
                return EXIT_CANNOT_LISTEN;
            }
            // Bound first, so that a port in use is reported at once; then warmed up before the first client is
            // taken (docs/server.md "Warm-up"): connections wait in the accept queue meanwhile. A stop signal ends it.
            if (!noWarmUp) {
                try (WarmUp warm = WarmUp.start(server, cluster)) {
                    if (warm != null) {
                        CompletableFuture.anyOf(warm.done(), stop).join();
                    }
                }
            }
            server.setAccepting(true);
            // with JSON logs standard output holds JSON lines only, so a log shipper parses every line
            PrintWriter out = logFormat == LogFormat.JSON ? spec.commandLine().getErr() : spec.commandLine().getOut();
            List<InetSocketAddress> bound = server.localAddresses();
            // only now: a port in use must get its one error line, not a start line before it
            log.info(HermesMarkers.STATE, "HermesNet server started on port {} (host {})", bound.get(0).getPort(),
                    bindAddress.getAddress().getHostAddress());
            for (int i = 0; i < bound.size(); i++) {
                // A wildcard bind may come back as the IPv6 any address (epoll is dual-stack): show what was asked for.
                InetSocketAddress b = bound.get(i);
                InetSocketAddress shown = b.getAddress().isAnyLocalAddress()
                        ? new InetSocketAddress(bindAddress.getAddress(), b.getPort()) : b;
                HermesServer.Listener l = listeners.get(i);
                if (l.webSocket() != null) {
                    String at = Session.formatAddress(shown);
                    out.println("hermes-server chat page on " + (tls != null ? "https://" : "http://") + at + "/ (WebSocket "
                            + (tls != null ? "wss://" : "ws://") + at + l.webSocket().path() + ")");
                } else {
                    out.println("hermes-server listening on " + Session.formatAddress(shown) + (l.tls() != null ? " (TLS)" : ""));
                }
            }
            out.flush();
            if (adminAddress != null) {
                try {
                    AdminServer admin = AdminServer.start(server, counters, adminAddress, HermesVersionProvider.version());
                    out.println("hermes-server operations endpoint on http://" + Session.formatAddress(admin.localAddress()) + "/");
                    out.flush();
                } catch (IOException e) {
                    PrintWriter err = spec.commandLine().getErr();
                    err.println("hermes-server: cannot listen on " + Session.formatAddress(adminAddress)
                            + " (--admin-port): " + bindFailure(e));
                    err.flush();
                    server.close();
                    return EXIT_CANNOT_LISTEN;
                }
            }

            AdminSignal signal = stop.join();
            log.info(HermesMarkers.STATE, "Stopping HermesNet server on {}: BYE {}", signal.signalName(), signal.byeText());
            server.shutdown(signal.byeText());
            log.info(HermesMarkers.STATE, "HermesNet server stopped");
            return 0;
        } finally {
            signalHandlers.close();
            reloader.shutdownNow();
        }
    }

    /**
     * Waits (up to {@link #CLUSTER_CATCH_UP}) until this node has applied the cluster's log, so that the
     * {@code listening on} line means ready; a node that takes longer binds anyway and closes connections
     * with {@code BYE Cluster unavailable} until it is.
     */
    private static void awaitCluster(ClusterBackend cluster) {
        try {
            if (!cluster.awaitAvailable(CLUSTER_CATCH_UP)) {
                log.warn(HermesMarkers.STATE, "Cluster log not applied within {} s: listening, not ready yet",
                        CLUSTER_CATCH_UP.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs on the JVM's signal-dispatch thread: only cheap work here, the shutdown itself runs in {@link #serve}
     * and a TLS reload on the {@code reloader} thread.
     */
    private static void onSignal(AdminSignal signal, HermesHub hub, CompletableFuture<AdminSignal> stop, ServerTls tls,
            ExecutorService reloader) {
        if (signal.stops()) {
            if (!stop.complete(signal)) {
                log.info(HermesMarkers.STATE, "{} ignored: the server is already stopping", signal.signalName());
            }
            return;
        }
        if (signal == AdminSignal.HUP) {
            if (tls == null) {
                log.info(HermesMarkers.STATE, "SIGHUP ignored: no TLS certificate to reload");
            } else if (!stop.isDone()) {
                reloader.execute(tls::reload);
            }
            return;
        }
        List<ClientTable.Row> rows = hub.sessions().stream().map(ClientTable.Row::of).toList();
        for (String line : ClientTable.format(rows, ZoneId.systemDefault())) {
            log.info(HermesMarkers.STATE, "{}", line);
        }
    }

    /**
     * The TLS flags fit together: {@code --tls-cert} and {@code --tls-key} both or neither; {@code --tls-port}
     * needs them and a port other than the plain one.
     *
     * @throws ParameterException naming the flag
     */
    void checkTlsFlags() {
        if ((tlsCert == null) != (tlsKey == null)) {
            throw usage("--tls-cert and --tls-key go together");
        }
        if (tlsPort != null) {
            if (tlsCert == null) {
                throw usage("--tls-port needs --tls-cert and --tls-key");
            }
            if (tlsPort < 0 || tlsPort > 65535) {
                throw usage("--tls-port " + tlsPort + " is out of range 0-65535");
            }
            if (tlsPort != 0 && tlsPort == bindAddress().getPort()) {
                throw usage("--tls-port " + tlsPort + " is the plain-text port too; without --tls-port the port speaks TLS");
            }
        }
    }

    /**
     * The browser listener's settings from {@code --http-port} and {@code --ws-origin}, or {@code null}
     * without {@code --http-port}.
     *
     * @throws ParameterException for a port out of range or taken by another flag, a malformed origin, or
     *                            {@code --ws-origin} without {@code --http-port}
     */
    WebSocketSettings webSocketSettings() {
        if (httpPort == null) {
            if (wsOrigin != null) {
                throw usage("--ws-origin needs --http-port");
            }
            return null;
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw usage("--http-port " + httpPort + " is out of range 0-65535");
        }
        if (httpPort != 0 && (httpPort == bindAddress().getPort() || httpPort.equals(tlsPort))) {
            throw usage("--http-port " + httpPort + " is the chat port too; give it a port of its own");
        }
        try {
            return wsOrigin == null ? WebSocketSettings.DEFAULT : WebSocketSettings.DEFAULT.withOrigins(wsOrigin);
        } catch (IllegalArgumentException e) {
            throw usage("--ws-origin: " + e.getMessage());
        }
    }

    /**
     * The certificate and key of {@code --tls-cert}/{@code --tls-key}, or {@code null} without them.
     *
     * @throws ParameterException if the files cannot be read or do not hold a usable pair (exit code 2)
     */
    private ServerTls loadTls() {
        if (tlsCert == null) {
            return null;
        }
        try {
            return ServerTls.load(tlsCert, tlsKey);
        } catch (IOException e) {
            throw usage("cannot use --tls-cert " + tlsCert + " --tls-key " + tlsKey + ": " + e.getMessage());
        }
    }

    /**
     * The last part of a bind failure's message, e.g. {@code address already in use} from the JDK's
     * {@code BindException: Address already in use} or Netty's {@code bind(..) failed: Address already in use}.
     */
    static String bindFailure(IOException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String reason = message.substring(message.lastIndexOf(": ") + 1).strip();
        return reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1);
    }

    /**
     * The settings the parsed flags describe.
     *
     * @throws ParameterException naming the flag when a value is out of range or flags conflict
     */
    HermesConfig toConfig() {
        if (maxClients < 1) {
            throw usage("--max-clients must be at least 1");
        }
        if (roomSize < 0 || roomSize == 1) {
            throw usage("--room-size must be 0 (one global room) or at least 2");
        }
        if (turns && roomSize < 2) {
            throw usage("--turns needs --room-size 2 or more");
        }
        if (ioThreads < 0) {
            throw usage("--io-threads must be 0 (one per core) or more");
        }
        if (maxLine < 1 || maxLine > Integer.MAX_VALUE) {
            throw usage("--max-line must be from 1 byte to " + Integer.MAX_VALUE + " bytes; it cannot be off");
        }
        try {
            return HermesConfig.builder()
                    .maxClients(maxClients)
                    .tickInterval(tickInterval)
                    .roomSize(roomSize)
                    .turns(turns)
                    .echo(echo)
                    .maxLineBytes((int) maxLine)
                    .maxPendingBytes(maxPending == 0 ? Long.MAX_VALUE : maxPending)
                    .writeTimeout(writeTimeout)
                    .idleTimeout(idleTimeout)
                    .maxRate(maxRate)
                    .maxPerIp(maxPerIp)
                    .shutdownTimeout(shutdownTimeout)
                    .execTimeout(execTimeout)
                    .presenceDelay(presenceDelay)
                    .quiet(quiet)
                    .build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /**
     * The address to bind: {@code --host} resolved, and the port from {@code --port} or the positional PORT.
     *
     * @throws ParameterException for an unknown host, a port out of range, or two different ports
     */
    InetSocketAddress bindAddress() {
        if (port != null && positionalPort != null && !port.equals(positionalPort)) {
            throw usage("two different ports given: --port " + port + " and " + positionalPort);
        }
        int p = port != null ? port : positionalPort != null ? positionalPort : DEFAULT_PORT;
        if (p < 0 || p > 65535) {
            throw usage("port " + p + " is out of range 0-65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw usage("--host " + host + " is not a known host or address");
        }
    }

    /**
     * The operations endpoint's address, or null without {@code --admin-port}.
     *
     * @throws ParameterException for an unknown host or a port out of range
     */
    InetSocketAddress adminAddress() {
        if (adminPort == null) {
            return null;
        }
        if (adminPort < 0 || adminPort > 65535) {
            throw usage("--admin-port " + adminPort + " is out of range 0-65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(adminHost), adminPort);
        } catch (UnknownHostException e) {
            throw usage("--admin-host " + adminHost + " is not a known host or address");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
