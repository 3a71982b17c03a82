package io.hermesnet.server.cli;

import io.hermesnet.handler.WireLogHandler;
import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.internal.Jit;
import io.hermesnet.server.HermesServer;
import io.hermesnet.state.ClusterBackend;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.hermesnet.telemetry.HermesMarkers;
import io.hermesnet.telemetry.HermesMetrics;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * hermes-server's JIT warm-up (docs/server.md "Warm-up"): after the server has bound its port and before it
 * accepts its first client, a thread runs a private copy of it (its own hub and loopback listener, on the
 * server's own event loops) and fans chat lines out to {@link #SUBSCRIBERS} clients of its own
 * ({@link Clients}: plain sockets, new ones every round) in rounds of {@link #LINES_PER_ROUND}, until a
 * round finds the JIT compiler (nearly) idle, then stops it.
 *
 * <p>Why: the JIT compiles the fan-out path only after it has run hot for a while, and C2 compiles on the
 * same cores as the event loops. Measured on one pinned core ({@code fanout -s 10 -m 200000}), a fresh server
 * needs about 800,000 chat lines before it runs at its speed and spends 2–5× the CPU per line until then.
 * Before accepting rather than beside the first clients: on one core the warm-up would otherwise compete
 * with them.
 *
 * <p>What the first real flood meets must be what the warm-up compiled for, or the JIT throws the compiled
 * code away when the first different case comes (an uncommon trap) and compiles it again during that flood.
 * So the copy has the server's pipeline stage for stage and its kind of log gate, its log calls run as the
 * server's will (and log4j writes them the whole way, into {@code /dev/null}), it runs on the server's
 * threads, its clients' writes end anywhere in a line, every round ends with all clients gone, and it ends
 * without a client left to say goodbye to (docs/performance.md "The first flood").
 *
 * <p>Nothing of it is visible: its clients are not the server's (ids, counts, {@code /who} and metrics
 * are the real hub's), and the log lines of its threads and of the event loops go to {@code /dev/null} until its
 * clients have left ({@link ServerLogging#silence}; the server has no client to log about meanwhile).
 * One STATE line reports it. Bounded: at most {@link #BOUND} from start to stop (a cluster node's own path then
 * at most {@link #CLUSTER_BOUND} more: {@link ClusterBackend#warmUp}); {@link #close()} ends it
 * at once (a shutdown during the warm-up does not wait for it). A JVM without an optimizing compiler (e.g.
 * {@code -XX:TieredStopAtLevel=1}, as the project's process tests run) has nothing to warm: no warm-up.
 */
final class WarmUp implements AutoCloseable {
    private static final Logger log = LogManager.getLogger(WarmUp.class);

    /** Subscribers of the warm-up fan-out. */
    static final int SUBSCRIBERS = 10;
    /** Chat lines of one warm-up round (each delivered to every subscriber). */
    static final long LINES_PER_ROUND = 20_000;
    /** Chat lines the publisher writes at once. */
    static final int LINES_PER_BLOCK = 100;
    /** Fewest rounds, however quiet the JIT looks. */
    static final int MIN_ROUNDS = 8;
    /** Rounds in a row in which the JIT must look (nearly) idle before the warm-up ends. */
    static final int QUIET_ROUNDS = 2;
    /** Most rounds: the warm-up ends earlier once {@link #QUIET_ROUNDS} rounds find the JIT (nearly) idle. */
    static final int MAX_ROUNDS = 100;
    /** The tick interval of the warm-up's copy, when the server ticks. */
    static final Duration WARM_UP_TICK = Duration.ofMillis(10);
    /**
     * Longest a warm-up runs, setup and drain included: the longest a start-up is delayed. It binds only
     * on a busy machine (alone on an idle 2-core box the warm-up ends after 5–8 s): with 10 s, two servers
     * warming up on one core (the fan-out matrix) both stopped at the bound with C2 still compiling, and the
     * first floods met that compiler (docs/performance.md "The warm-up's bound").
     */
    static final Duration BOUND = Duration.ofSeconds(20);
    /** Longest pause after a round for C2 to empty its queue, in ms (one check per ms or so). */
    static final int C2_CATCH_UP_MS = 200;
    /**
     * The budget of the warm-up's per-message log lines, a second: ten times the server's, so that log4j's
     * thread formats {@link #LOG_LINES} of them within a few rounds (the log queue's room still bounds it).
     */
    static final long WARM_UP_LOG_LINES_PER_SECOND = 100_000;
    /**
     * Per-message log lines log4j's background thread must have formatted before the warm-up may end, when
     * the server logs them: its path reached C2 after about 20,000 (LogCompilation).
     */
    static final long LOG_LINES = 40_000;
    /** A cluster node's warm-up of its own path, after the server's rounds: at most this much longer. */
    static final Duration CLUSTER_BOUND = Duration.ofSeconds(10);

    private final ThreadGroup group = new ThreadGroup("hermes-warm-up");
    private final Thread thread;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile HermesServer server;
    private volatile boolean closed;

    private WarmUp(HermesServer host, ClusterBackend cluster) {
        thread = new Thread(group, () -> {
            try {
                run(host, cluster);
            } finally {
                done.complete(null);
            }
        }, "hermes-warm-up");
        thread.setDaemon(true);
    }

    /**
     * Starts a warm-up on a thread of its own; {@link #done()} completes when it has ended. Call from the
     * main thread while the server does not accept clients yet.
     *
     * @param host the server, bound and not accepting: the warm-up runs on its event loops with its
     *             configuration (one global room, no echo, limits that would stop its clients relaxed)
     * @return the running warm-up, or null when this JVM has no optimizing JIT to warm
     */
    static WarmUp start(HermesServer host) {
        return start(host, null);
    }

    /**
     * {@link #start(HermesServer)} for a cluster node: after the server's rounds, the same thread runs
     * {@link ClusterBackend#warmUp} (at most {@link #CLUSTER_BOUND}, its log lines silenced as the rest).
     *
     * @param cluster the node's backend, or null for a lone server
     */
    static WarmUp start(HermesServer host, ClusterBackend cluster) {
        if (!optimizingJit()) {
            log.debug(HermesMarkers.STATE, "Warm-up skipped: this JVM has no optimizing JIT compiler");
            return null;
        }
        WarmUp w = new WarmUp(host, cluster);
        w.thread.start();
        return w;
    }

    /** The threads of {@code loops}, each asked on its own loop (which starts it if it has not started). */
    private static List<Thread> threads(EventLoopGroup loops)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Thread> threads = new ArrayList<>();
        for (EventExecutor loop : loops) {
            threads.add(loop.submit(Thread::currentThread).get(1, TimeUnit.SECONDS));
        }
        return threads;
    }

    /** Whether C2 compiles here: not with tiered compilation stopped below level 4, not interpreted only. */
    static boolean optimizingJit() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            boolean tiered = Boolean.parseBoolean(vm.getVMOption("TieredCompilation").getValue());
            int stopAt = Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue());
            return Boolean.parseBoolean(vm.getVMOption("UseCompiler").getValue()) && (!tiered || stopAt >= 4);
        } catch (RuntimeException e) {
            return true; // not HotSpot: warm up, it cannot hurt
        }
    }

    private void run(HermesServer host, ClusterBackend cluster) {
        HermesConfig config = host.hub().config();
        long started = System.nanoTime();
        long published = 0;
        long clusterLines = 0;
        long clusterMs = 0;
        int rounds = 0;
        Throwable failure = null;
        ServerLogging.Silence silence;
        try {
            silence = ServerLogging.silence(group, threads(host.eventLoops()));
        } catch (ExecutionException | TimeoutException e) {
            log.warn(HermesMarkers.STATE, "Warm-up skipped: {}",
                    String.valueOf(e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            // The server's pipeline, stage for stage (ticks, idle clock, rate limit when configured): a stage the
            // warm-up lacked changes the handler types the compiled fan-out has seen, and the first real client
            // threw that code away (PrintCompilation: a dozen methods made not entrant when IdTickerHandler
            // loaded). Only what would stop the warm-up's clients is relaxed.
            HermesConfig warm = config.toBuilder()
                    // a round starts when the last one's clients have left
                    .maxClients(Math.max(config.maxClients(), 2 * (SUBSCRIBERS + 1)))
                    .roomSize(0).turns(false).maxPerIp(0).echo(false) // the publisher reads nothing
                    // ticks often enough for the JIT to see them: one a second left the tick's branch of the
                    // line formatter compiled away, and the first real tick made C2 compile it again
                    .tickInterval(config.tickInterval().isZero() ? Duration.ZERO : WARM_UP_TICK)
                    .maxRate(config.maxRate() > 0 ? Integer.MAX_VALUE : 0)
                    // the subscribers never send a line
                    .idleTimeout(config.idleTimeout().isZero() ? Duration.ZERO : BOUND.multipliedBy(2))
                    .build();
            // the server's kind of gate (its own budget, ten times the server's): the log calls compile as
            // they will run
            HermesHub hub = new HermesHub(warm, ServerLogging.gate(WARM_UP_LOG_LINES_PER_SECOND), HermesMetrics.NOOP);
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            // on the server's own event loops: their threads, thread-local caches and buffer pools are the ones
            // the clients will meet (on loops of its own, the first real log line, a thread-local seen empty,
            // threw the compiled wire log handler away: LogCompilation, null_check in log4j's message factory)
            server = host.startBeside(hub, List.of(HermesServer.Listener.plain(loopback)));
            if (closed) {
                return;
            }
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            // log4j's background thread compiles its path (layout, encoder) only after tens of thousands of
            // lines, later still while C2 is busy with the fan-out: the JIT looked idle after a few rounds
            // while that path was still interpreted, and C2 compiled it during the first flood
            boolean logsEachLine = !config.quiet()
                    && LogManager.getLogger(WireLogHandler.class).isInfoEnabled(HermesMarkers.RX);
            long deadline = started + BOUND.toNanos();
            long lastRound = 0;
            int quietRounds = 0;
            // A round is started only when one more at the last one's pace ends before the deadline: a round
            // cut short leaves clients whose server closes on them with BYE, and the first BYE or reset a hot
            // method meets throws its compiled code away (LogCompilation: class_check in ProtocolFormatter,
            // unstable_if in AdmissionHandler, both recompiled during the first real flood).
            for (int round = 1; !closed && round <= MAX_ROUNDS && System.nanoTime() + lastRound < deadline; round++) {
                long jitBefore = jit.getTotalCompilationTime();
                long roundStart = System.nanoTime();
                // new clients each round, as a real flood comes: joins (the first one alone), presence lines
                // and leaves run while the chat path is hot, so its compiled code has seen them (a branch the
                // compiled code never took makes the JIT throw that code away when it is first taken)
                try (Clients clients = new Clients(server.localAddress().getPort())) {
                    published += clients.round(LINES_PER_ROUND, deadline);
                }
                // every client gone before the next round: the last leave (presence to nobody) and the first
                // join (to itself alone) take branches of the fan-out a round's overlap never would
                while (hub.clientCount() > 0 && !closed && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                rounds = round;
                // the compiler shares the cores with the rounds: give it the time to catch up before the next
                // round queues more (on one core it otherwise ran behind to the bound)
                for (int i = 0; i < C2_CATCH_UP_MS && !closed && !Jit.c2Idle(); i++) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                lastRound = System.nanoTime() - roundStart;
                long roundMs = TimeUnit.NANOSECONDS.toMillis(lastRound);
                // done once the JIT compiled for less than a tenth of a round in two rounds in a row, after a few
                // rounds: the compiler counts a compilation when it has finished, so the first rounds look quiet;
                // and a rare case met in a round throws compiled code away (an uncommon trap), which compiles
                // again only when it is hot again, in the next round
                quietRounds = jit.getTotalCompilationTime() - jitBefore < roundMs / 10 ? quietRounds + 1 : 0;
                if (round >= MIN_ROUNDS && quietRounds >= QUIET_ROUNDS && Jit.c2Idle()
                        && (!logsEachLine || !silence.writesThrough() || silence.linesWritten() >= LOG_LINES)) {
                    break;
                }
            }
            if (cluster != null && !closed) {
                // still silenced: the scratch nodes' lines (joined, caught up) are not this node's
                long clusterStart = System.nanoTime();
                clusterLines = cluster.warmUp(CLUSTER_BOUND, () -> closed);
                clusterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - clusterStart);
            }
        } catch (Exception | LinkageError e) {
            failure = e; // a warm-up that cannot run costs speed for a moment, never the server
        } finally {
            HermesServer s = server;
            if (s != null) {
                s.close(); // still silenced: its clients' leaves and its shutdown are not the server's
                // the loops are shared: what its clients' closes queued on them (their leaves) runs before this
                for (EventExecutor loop : host.eventLoops()) {
                    loop.submit(() -> { }).awaitUninterruptibly(1, TimeUnit.SECONDS);
                }
            }
            silence.end();
        }
        if (failure != null) {
            log.warn(HermesMarkers.STATE, "Warm-up cut short: {}", String.valueOf(failure));
        }
        if (failure == null && rounds > 0 && !closed) {
            log.info(HermesMarkers.STATE, "Warm-up done: {} chat lines to {} clients in {} rounds, {} ms{}",
                    published, SUBSCRIBERS, rounds, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    cluster == null ? "" : "; cluster path: " + clusterLines + " lines through Redis in " + clusterMs + " ms");
        }
    }

    /**
     * The warm-up's own clients, as small as a client can be so that the JIT compiles the server's path, not
     * theirs: {@link #SUBSCRIBERS} sockets read (and thrown away) by one selector thread, one publisher
     * writing chat lines in blocks with blocking writes, which TCP's backpressure paces.
     */
    private static final class Clients implements AutoCloseable {
        private static final byte[] BLOCK = ("warm-up line 0123456789 0123456789 0123456789 0123456789 01234\n")
                .repeat(LINES_PER_BLOCK).getBytes(StandardCharsets.US_ASCII);

        /**
         * Write sizes, in bytes. With a line of 63 bytes (odd), reads of the server's power-of-two buffers
         * and these writes end at every offset of a line.
         */
        private static final int[] CHUNKS = {4093, 1021, 8191, 509, 2039, 127, 16381, 61, 3, 1, 7, 5};

        private final Selector selector = Selector.open();
        private final List<SocketChannel> subscribers = new ArrayList<>();
        private final SocketChannel publisher;
        private final Thread reader;
        private final AtomicLong received = new AtomicLong();
        private final CompletableFuture<Void> drained = new CompletableFuture<>();
        private volatile long readTarget = Long.MAX_VALUE;
        private volatile boolean stopped;

        Clients(int port) throws IOException {
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            try {
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    SocketChannel c = SocketChannel.open(server);
                    subscribers.add(c);
                    c.configureBlocking(false);
                    c.register(selector, SelectionKey.OP_READ);
                }
                publisher = SocketChannel.open(server);
            } catch (IOException e) {
                close();
                throw e;
            }
            reader = new Thread(this::read, "hermes-warm-up-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * Publishes {@code lines} chat lines (rounded up to whole blocks), then waits until the subscribers
         * have read at least their payload bytes, all bounded by the deadline; returns the lines sent.
         */
        long round(long lines, long deadline) throws IOException, InterruptedException, ExecutionException {
            long sent = 0;
            ByteBuffer block = ByteBuffer.wrap(BLOCK);
            int chunk = 0;
            while (sent < lines && System.nanoTime() < deadline) {
                block.clear();
                while (block.position() < BLOCK.length) {
                    // writes that end inside a line, at every offset: a real client's reads end anywhere, and
                    // a line split across reads takes branches of the frame decoder that whole lines never do
                    // (the first real flood threw the decoder's compiled code away: unstable_if in
                    // ByteBufUtil.unrolledFirstIndexOf, the search of the last few bytes of a read)
                    block.limit(Math.min(BLOCK.length, block.position() + CHUNKS[chunk++ % CHUNKS.length]));
                    while (block.hasRemaining()) {
                        publisher.write(block);
                    }
                }
                sent += LINES_PER_BLOCK;
            }
            // every MSG line carries at least the payload: the fan-out is done when that much has arrived
            readTarget = sent * (BLOCK.length / LINES_PER_BLOCK) * SUBSCRIBERS;
            if (received.get() < readTarget) {
                try {
                    drained.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // the bound of the whole warm-up: stop here
                }
            }
            return sent;
        }

        private void read() {
            ByteBuffer sink = ByteBuffer.allocateDirect(64 * 1024);
            try {
                while (!stopped) {
                    selector.select(100);
                    for (SelectionKey k : selector.selectedKeys()) {
                        sink.clear();
                        int n = ((SocketChannel) k.channel()).read(sink);
                        if (n < 0) {
                            k.cancel();
                        } else if (received.addAndGet(n) >= readTarget) {
                            drained.complete(null);
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException | ClosedSelectorException e) {
                // closed: the warm-up is over
            }
        }

        @Override
        public void close() throws IOException {
            // the reader first: a selector closed under its loop changes the key set it iterates
            stopped = true;
            selector.wakeup();
            if (reader != null) { // null when the constructor failed
                try {
                    reader.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            selector.close();
            for (SocketChannel c : subscribers) {
                c.close();
            }
            if (publisher != null) {
                publisher.close();
            }
        }
    }

    /** Completes when the warm-up has ended, whether it ran to its end, failed or was closed. */
    CompletableFuture<Void> done() {
        return done;
    }

    /** Ends the warm-up now (its server closed, its thread joined for at most a second). */
    @Override
    public void close() {
        closed = true;
        HermesServer s = server;
        try {
            if (s != null) {
                // on a thread of the warm-up's group: the lines its server logs as it closes ("sent BYE to 11
                // clients", its dropped lines) are the warm-up's, and the silence keeps only that group's lines out
                Thread closer = new Thread(group, s::close, "hermes-warm-up-close");
                closer.start();
                closer.join(1000);
            }
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
