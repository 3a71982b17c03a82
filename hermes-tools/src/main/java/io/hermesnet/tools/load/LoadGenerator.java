package io.hermesnet.tools.load;

import io.hermesnet.client.ConnectFailures;
import io.hermesnet.config.Units;
import io.hermesnet.server.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.EventExecutor;
import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLException;

/**
 * Runs one load test against a HermesNet server and returns its {@link LoadReport}; the engine of
 * the {@code hermes-load} command ({@code docs/load.md}).
 *
 * <ol>
 * <li><b>Setup</b>: connects {@code clients} subscribers, then {@code publishers}, at
 *     {@code connectRate} per second; each is ready at its {@code WELCOME} (docs/protocol.md §2). A connection
 *     refused, or closed or answered with {@code ERROR} before its {@code WELCOME} (e.g. {@code ERROR
 *     FULL}), fails the setup at once.</li>
 * <li><b>Settle</b>: waits until no presence line ({@code CLIENTS}, {@code JOIN}, {@code LEAVE}) has
 *     arrived for {@value #QUIET_MS} ms (at most {@value #SETTLE_MAX_MS} ms), so the join storm of the
 *     setup does not count as chat latency.</li>
 * <li><b>Publish</b>: every publisher sends its share of {@code messages} (or sends for
 *     {@code duration}), flat out or at its share of {@code rate}; with {@code ticks} the clients are
 *     held for {@code duration} and their {@code ID} lines measured.</li>
 * <li><b>Drain</b>: waits until every subscriber has every line; a run in which nothing is sent or
 *     received for {@value #STALL_MS} ms (or three intervals of a slow {@code rate}) ends there, and
 *     what is missing is lost.</li>
 * </ol>
 * The whole run is bounded by {@code timeout}; then it stops and reports what it measured so far.
 *
 * <p>Threading: {@link #run} blocks the calling thread, which only paces the connects, prints the
 * progress once a second and waits; every connection lives on one of {@code ioThreads} Netty event loops
 * and measures into that loop's {@link LoopStats}. The loops are shut down before the report is built.
 */
public final class LoadGenerator {
    static final long QUIET_MS = 250;
    static final long SETTLE_MAX_MS = 10_000;
    static final long STALL_MS = 2_000;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int WARM_UP_READS = 100;
    private static final int WARM_UP_READ_BYTES = 64 * 1024;

    private final LoadOptions options;
    private final SslContext tlsContext;
    private final MarkerLine marker;
    /** The {@link System#nanoTime()} the send stamps count from, so they are short. */
    private final long epochNanos = System.nanoTime();
    private final PrintWriter progress;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder presenceLines = new LongAdder();
    private final LongAdder sentLines = new LongAdder();
    private final LongAdder ticksReceived = new LongAdder();
    private final AtomicInteger ready = new AtomicInteger();
    /**
     * The connections ready when setup failed, -1 before: the report's count. Later ones do not count: while
     * the run stops and closes its connections, the server frees their places and welcomes the ones still
     * connecting.
     */
    private volatile int readyAtSetupFailure = -1;
    private final AtomicInteger publishersDone = new AtomicInteger();
    private final AtomicLong lastPublishNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicReference<String> setupFailure = new AtomicReference<>();
    /** Why the first connection that failed at the TCP level failed ({@code connection refused}, …); null when none did. */
    private final AtomicReference<String> connectFailure = new AtomicReference<>();
    /** The reasons of the LEAVE lines seen during the run, by client id. */
    private final Map<Long, String> leaveReasons = new ConcurrentHashMap<>();
    private final List<LoadConnection> connections = new ArrayList<>();
    private final List<Publisher> publishers = new ArrayList<>();
    private final Map<EventLoop, LoopStats> stats = new IdentityHashMap<>();
    private volatile boolean stopping;
    private volatile long holdStartNanos = Long.MAX_VALUE;
    private volatile long holdEndNanos = Long.MAX_VALUE;
    private Thread waiter;

    private LoadGenerator(LoadOptions options, PrintWriter progress) {
        this.options = options;
        this.tlsContext = options.tls() ? clientTls() : null;
        this.progress = progress;
        this.marker = new MarkerLine(ThreadLocalRandom.current().nextInt(), options.payloadBytes());
        for (int i = 0; i < options.clients(); i++) {
            connections.add(new LoadConnection(this, LoadConnection.Role.SUBSCRIBER, i));
        }
        long perPublisher = options.publishers() == 0 ? 0 : options.messages() / options.publishers();
        for (int i = 0; i < options.publishers(); i++) {
            connections.add(new LoadConnection(this, LoadConnection.Role.PUBLISHER, i));
            long quota = options.messages() == 0 ? Long.MAX_VALUE
                    : perPublisher + (i < options.messages() % options.publishers() ? 1 : 0);
            publishers.add(new Publisher(this, i, quota, options.rate() / options.publishers(), options.window()));
        }
    }

    /**
     * Runs a load test; blocks for at most about {@code options.timeout()} plus the few seconds it takes
     * to close the connections.
     *
     * @param progress where a progress line goes once a second (the command passes stderr)
     * @return what was measured; {@link LoadReport#exitCode()} says whether it went well
     */
    public static LoadReport run(LoadOptions options, PrintWriter progress) {
        return new LoadGenerator(Objects.requireNonNull(options, "options"), Objects.requireNonNull(progress, "progress"))
                .run();
    }

    // ---------------------------------------------------------------- called by the connections

    LoadOptions options() {
        return options;
    }

    MarkerLine marker() {
        return marker;
    }

    long epochNanos() {
        return epochNanos;
    }

    Publisher publisher(int index) {
        return publishers.get(index);
    }

    LoopStats statsFor(EventLoop loop) {
        return stats.get(loop);
    }

    LongAdder delivered() {
        return delivered;
    }

    LongAdder presenceLines() {
        return presenceLines;
    }

    LongAdder sentLines() {
        return sentLines;
    }

    boolean stopping() {
        return stopping;
    }

    Map<Long, String> leaveReasons() {
        return leaveReasons;
    }

    LongAdder ticksReceived() {
        return ticksReceived;
    }

    /** When the hold (publishing) started, {@link System#nanoTime()}; {@link Long#MAX_VALUE} before. */
    long holdStartNanos() {
        return holdStartNanos;
    }

    /** When the hold ends with {@code --ticks}: ticks after it are not counted; {@link Long#MAX_VALUE} before. */
    long holdEndNanos() {
        return holdEndNanos;
    }

    void onReady() {
        if (ready.incrementAndGet() == connections.size()) {
            wake();
        }
    }

    void onSetupFailure(String what) {
        if (setupFailure.compareAndSet(null, what)) {
            readyAtSetupFailure = ready.get();
            wake();
        }
    }

    void onPublisherDone(long nanos) {
        lastPublishNanos.accumulateAndGet(nanos, Math::max);
        if (publishersDone.incrementAndGet() == publishers.size()) {
            wake();
        }
    }

    /** Lets the waiting thread look at the state now rather than at its next poll. */
    void wake() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    // ---------------------------------------------------------------- the run

    private LoadReport run() {
        waiter = Thread.currentThread();
        Transport transport = options.transport();
        long deadline = System.nanoTime() + options.timeout().toNanos();
        int total = options.clients() + options.publishers();
        warmUp();
        long runStart = System.nanoTime();
        progress.printf("hermes-load: %d clients + %d publishers to %s:%d (%s%s, %d I/O threads)%n", options.clients(),
                options.publishers(), options.host(), options.port(), transport.name(),
                (options.webSocket() ? ", WebSocket" : "") + (options.tls() ? ", TLS" : ""),
                options.ioThreads());
        progress.flush();

        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(options.ioThreads(), transport.ioHandlers());
        for (EventExecutor e : group) {
            stats.put((EventLoop) e, new LoopStats());
        }
        Phases phases = new Phases(runStart);
        String timedOutIn = null;
        try {
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel("epoll".equals(transport.name()) ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
            timedOutIn = setUp(bootstrap, total, deadline, phases);
            if (timedOutIn == null && setupFailure.get() == null) {
                timedOutIn = publishAndDrain(deadline, phases);
            }
        } finally {
            phases.stopNanos = System.nanoTime();
            stopping = true;
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(30, TimeUnit.SECONDS);
        }
        return report(phases, timedOutIn);
    }

    /**
     * Runs the receive and publish paths over synthetic lines, so that the JIT has compiled them before
     * the server's lines arrive: a cold load generator reads so slowly in its first second that the
     * server, whose queues it lets grow, may cut subscribers as slow consumers. Uses a scratch
     * generator with the same options and an {@link EmbeddedChannel}; measures nothing.
     */
    private void warmUp() {
        LoadGenerator scratch = new LoadGenerator(options, progress);
        EmbeddedChannel ch = new EmbeddedChannel();
        scratch.stats.put(ch.eventLoop(), new LoopStats());
        ch.pipeline().addLast(scratch.connections.get(0));
        byte[] msgPrefix = "MSG 1 client1 ".getBytes(StandardCharsets.US_ASCII);
        byte[] presence = "CLIENTS 2\r\nJOIN 2 client2\r\nID 1\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] welcome = "WELCOME 1 client1 0 Welcome\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] read = new byte[WARM_UP_READ_BYTES];
        int maxLine = msgPrefix.length + scratch.marker.maxLineBytes();
        long seq = 0;
        for (int round = 0; round < WARM_UP_READS; round++) {
            int at = 0;
            if (round == 0) {
                System.arraycopy(welcome, 0, read, 0, welcome.length);
                at = welcome.length;
            }
            System.arraycopy(presence, 0, read, at, presence.length);
            at += presence.length;
            while (read.length - at > maxLine) {
                System.arraycopy(msgPrefix, 0, read, at, msgPrefix.length);
                at = scratch.marker.write(read, at + msgPrefix.length, 0, seq++, System.nanoTime());
            }
            ch.writeInbound(ch.alloc().ioBuffer(at).writeBytes(read, 0, at));
            ch.pipeline().fireChannelReadComplete();
        }
        ch.finishAndReleaseAll();
    }

    /** Most connections at once that are open but not yet welcomed. */
    static final int MAX_CONNECTING = 512;

    /** Connects everyone and waits for the WELCOMEs and the quiet; returns the phase that timed out, if any. */
    private String setUp(Bootstrap bootstrap, int total, long deadline, Phases phases) {
        double perNano = options.connectRate() / NANOS_PER_SECOND;
        long start = System.nanoTime();
        Ticker ticker = new Ticker(start);
        int started = 0;
        while (ready.get() < total) {
            long now = System.nanoTime();
            if (setupFailure.get() != null) {
                return null;
            }
            if (now - deadline >= 0) {
                return "setup (" + ready.get() + " of " + total + " connections ready)";
            }
            long due = perNano == 0 ? total : Math.min(total, (long) ((now - start) * perNano) + 1);
            // a server busy with a join storm accepts slower than we connect: past its accept queue,
            // Linux drops the handshake's last ACK and the client waits for a WELCOME that never comes
            due = Math.min(due, ready.get() + MAX_CONNECTING);
            while (started < due) {
                connect(bootstrap, connections.get(started), started < options.clients() ? null
                        : publishers.get(started - options.clients()));
                started++;
            }
            if (ticker.due(now)) {
                progress.printf("  %5.1fs  setup: %d connecting, %d of %d ready%n", seconds(now - phases.runStart),
                        started - ready.get(), ready.get(), total);
                progress.flush();
            }
            LockSupport.parkNanos(started < total ? TimeUnit.MILLISECONDS.toNanos(1) : TimeUnit.MILLISECONDS.toNanos(10));
        }
        phases.readyNanos = System.nanoTime();
        // settle: wait for the presence lines of the connects to stop
        long lastCount = presenceLines.sum();
        long lastChange = phases.readyNanos;
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            long now = System.nanoTime();
            if (setupFailure.get() != null) {
                return null;
            }
            if (now - deadline >= 0) {
                return "settle";
            }
            long count = presenceLines.sum();
            if (count != lastCount) {
                lastCount = count;
                lastChange = now;
            } else if (now - lastChange >= TimeUnit.MILLISECONDS.toNanos(QUIET_MS)) {
                break;
            }
            if (now - phases.readyNanos >= TimeUnit.MILLISECONDS.toNanos(SETTLE_MAX_MS)) {
                break;
            }
        }
        phases.settledNanos = System.nanoTime();
        return null;
    }

    /** The client TLS context of {@code --tls}: trusts any certificate, as a measuring tool may. */
    private static SslContext clientTls() {
        try {
            return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .endpointIdentificationAlgorithm(null).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS client context", e);
        }
    }

    private void connect(Bootstrap bootstrap, LoadConnection connection, Publisher publisher) {
        // with --publish-port the publishers speak the line protocol to their own port
        boolean ownPort = publisher != null && options.publishPort() != 0;
        int port = ownPort ? options.publishPort() : options.port();
        boolean webSocket = options.webSocket() && !ownPort;
        bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (tlsContext != null) {
                    ch.pipeline().addLast("tls", tlsContext.newHandler(ch.alloc(), options.host(), port));
                }
                if (webSocket) {
                    WebSocketStages.add(ch.pipeline(), options.host(), port, tlsContext != null);
                }
                ch.pipeline().addLast("load", connection);
                if (publisher != null) {
                    ch.pipeline().addLast("publisher", publisher);
                }
            }
        }).connect(options.host(), port).addListener(f -> {
            // after a setup failure the run stops and its loops refuse the connects still under way
            // ("executor not accepting a task"): that is the stop, not a server that cannot be reached
            if (!f.isSuccess() && setupFailure.get() == null) {
                String reason = ConnectFailures.describe(f.cause());
                connectFailure.compareAndSet(null, reason);
                onSetupFailure(connection.describe() + " cannot connect to " + options.host() + ":" + port
                        + ": " + reason);
            }
        });
    }

    /** Publishes, holds, drains; returns the phase that timed out, if any. */
    private String publishAndDrain(long deadline, Phases phases) {
        long start = System.nanoTime();
        long end = options.duration().isZero() ? Long.MAX_VALUE : start + options.duration().toNanos();
        phases.publishStartNanos = start;
        if (options.ticks()) {
            holdEndNanos = end;
        }
        holdStartNanos = start;
        for (Publisher p : publishers) {
            p.start(start, end);
        }
        // paced slower than one line per STALL_MS, a quiet spell is no stall
        long stallNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(STALL_MS),
                options.rate() > 0 ? (long) (3 * NANOS_PER_SECOND / options.rate()) : 0);
        Ticker ticker = new Ticker(start);
        long lastSent = 0;
        long lastDelivered = 0;
        long lastChange = start;
        long lastReportDelivered = 0;
        long lastReportNanos = start;
        while (true) {
            long now = System.nanoTime();
            long sent = sentLines.sum();
            long got = delivered.sum();
            if (sent != lastSent || got != lastDelivered) {
                lastSent = sent;
                lastDelivered = got;
                lastChange = now;
            }
            boolean published = publishersDone.get() == publishers.size();
            boolean held = !options.ticks() || now - end >= 0;
            if (held && published && got >= sent * options.clients()) {
                return null;
            }
            if (held && now - lastChange >= stallNanos) {
                return null; // nothing moves any more: what is missing is lost
            }
            if (now - deadline >= 0) {
                return published ? "drain" : "publish";
            }
            if (ticker.due(now)) {
                double rate = (got - lastReportDelivered) / seconds(now - lastReportNanos);
                String hold = options.ticks() ? String.format(Locale.ROOT, "hold %.0f of %.0f s, %d ticks",
                        seconds(Math.min(now, end) - start), seconds(end - start), ticksReceived.sum()) : "";
                String chat = publishers.isEmpty() ? ""
                        : String.format(Locale.ROOT, "sent %d, delivered %d (%.0f/s)%s", sent, got, rate,
                                published ? ", draining" : "");
                progress.printf("  %5.1fs  %s%s%s%n", seconds(now - phases.runStart), hold,
                        hold.isEmpty() || chat.isEmpty() ? "" : ", ", chat);
                progress.flush();
                lastReportDelivered = got;
                lastReportNanos = now;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    // ---------------------------------------------------------------- the report

    private LoadReport report(Phases phases, String timedOutIn) {
        long sent = sentLines.sum();
        long received = 0;
        long duplicates = 0;
        long gaps = 0;
        long serverErrors = 0;
        String lastServerError = null;
        long lastDelivery = Long.MIN_VALUE;
        Histogram latency = new Histogram(LoopStats.MAX_LATENCY_NANOS, 3);
        Histogram tickDelay = new Histogram(LoopStats.MAX_TICK_DELAY_MICROS, 3);
        Histogram holdTickDelay = new Histogram(LoopStats.MAX_TICK_DELAY_MICROS, 3);
        List<int[]> ids = new ArrayList<>();
        for (LoopStats s : stats.values()) {
            received += s.received;
            duplicates += s.duplicates;
            gaps += s.gaps;
            serverErrors += s.serverErrors;
            if (s.lastServerError != null) {
                lastServerError = s.lastServerError;
            }
            lastDelivery = Math.max(lastDelivery, s.lastDeliveryNanos);
            latency.add(s.latency);
            tickDelay.add(s.tickDelay);
            holdTickDelay.add(s.holdTickDelay);
            ids.add(s.tickIds());
        }
        Map<String, Integer> closedLastLines = new TreeMap<>();
        int closed = 0;
        for (LoadConnection c : connections) {
            if (c.closedByServer && c.welcomed) {
                closed++;
                String last = c.lastNotable != null ? c.lastNotable : "(EOF without BYE or ERROR)";
                String reason = leaveReasons.get(c.clientId);
                closedLastLines.merge(reason == null ? last : last + ", LEAVE reason " + reason, 1, Integer::sum);
            }
        }
        long expected = sent * options.clients();
        long unique = received - duplicates;

        LoadReport.Outcome outcome;
        String problem;
        if (connectFailure.get() != null) {
            outcome = LoadReport.Outcome.CANNOT_CONNECT;
            problem = "cannot connect to " + options.host() + ":" + options.port() + ": " + connectFailure.get();
        } else if (setupFailure.get() != null) {
            outcome = LoadReport.Outcome.SETUP_FAILED;
            problem = setupFailure.get();
        } else if (timedOutIn != null) {
            outcome = LoadReport.Outcome.TIMEOUT;
            problem = "--timeout " + Units.format(options.timeout()) + " passed during " + timedOutIn;
        } else {
            outcome = LoadReport.Outcome.COMPLETED;
            problem = null;
        }

        LoadReport.Ticks ticks = null;
        if (options.ticks() && phases.publishStartNanos != 0) {
            long interval = options.tickInterval().toNanos();
            long holdEnd = Math.min(holdEndNanos, phases.stopNanos); // a timeout may cut the hold short
            long received0 = 0;
            long expected0 = 0;
            int missing = 0;
            for (LoadConnection c : connections) {
                if (c.role == LoadConnection.Role.SUBSCRIBER && c.welcomed) {
                    long want = Math.max(0, (holdEnd - c.welcomeNanos) / interval - 1);
                    received0 += c.ticks;
                    expected0 += want;
                    if (c.ticks < want) {
                        missing++;
                    }
                }
            }
            ticks = new LoadReport.Ticks(options.tickInterval().toMillis(), received0, expected0, missing,
                    duplicates(ids), LoadReport.Delay.of(tickDelay), LoadReport.Delay.of(holdTickDelay));
        }

        long publishEnd = lastPublishNanos.get();
        double publishSeconds = phases.publishStartNanos == 0 || publishEnd == Long.MIN_VALUE ? 0
                : seconds(publishEnd - phases.publishStartNanos);
        double deliverySeconds = phases.publishStartNanos == 0 || lastDelivery == Long.MIN_VALUE ? 0
                : seconds(lastDelivery - phases.publishStartNanos);
        int readyCount = readyAtSetupFailure >= 0 ? readyAtSetupFailure : ready.get();
        return new LoadReport(options, readyCount, phases.publishStartNanos != 0,
                phases.readyNanos == 0 ? 0 : seconds(phases.readyNanos - phases.runStart),
                phases.settledNanos == 0 ? 0 : seconds(phases.settledNanos - phases.readyNanos),
                sent, publishSeconds, expected, received, duplicates, gaps, Math.max(0, expected - unique),
                deliverySeconds, LoadReport.Latency.of(latency), serverErrors, lastServerError, closed,
                closedLastLines, ticks, outcome, problem);
    }

    /** Occurrences of an ID value beyond its first, over all clients. */
    private static long duplicates(List<int[]> parts) {
        int[] all = parts.stream().flatMapToInt(Arrays::stream).toArray();
        Arrays.sort(all);
        long dups = 0;
        for (int i = 1; i < all.length; i++) {
            if (all[i] == all[i - 1]) {
                dups++;
            }
        }
        return dups;
    }

    private static double seconds(long nanos) {
        return nanos / (double) NANOS_PER_SECOND;
    }

    /** When the phases ended, {@link System#nanoTime()}; 0 for a phase not reached. Main thread only. */
    private static final class Phases {
        final long runStart;
        long readyNanos;
        long settledNanos;
        long publishStartNanos;
        long stopNanos;

        Phases(long runStart) {
            this.runStart = runStart;
        }
    }

    /** Says when a once-a-second progress line is due. */
    private static final class Ticker {
        private long next;

        Ticker(long start) {
            next = start + NANOS_PER_SECOND;
        }

        boolean due(long now) {
            if (now - next < 0) {
                return false;
            }
            next += NANOS_PER_SECOND * Math.max(1, (now - next) / NANOS_PER_SECOND + 1);
            return true;
        }
    }
}
