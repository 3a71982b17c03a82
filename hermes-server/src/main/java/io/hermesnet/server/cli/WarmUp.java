package io.hermesnet.server.cli;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.server.HermesServer;
import io.hermesnet.server.Transport;
import io.hermesnet.telemetry.HermesMarkers;
import io.hermesnet.telemetry.HermesMetrics;
import io.hermesnet.telemetry.LogGate;
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
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * hermes-server's JIT warm-up (docs/server.md "Warm-up"): after the server has bound its port and before it
 * accepts its first client, a thread runs a private copy of it on a loopback port (its own event loops and
 * hub) and fans chat lines out to {@link #SUBSCRIBERS} clients of its own ({@link Clients}: plain sockets,
 * new ones every round) in rounds of {@link #LINES_PER_ROUND}, until a round finds the JIT compiler (nearly)
 * idle, then stops it.
 *
 * <p>Why: the JIT compiles the fan-out path only after it has run hot for a while, and C2 compiles on the
 * same cores as the event loops. Measured on one pinned core ({@code fanout -s 10 -m 200000}, server CPU
 * per delivered line), a fresh server needs about 800,000 chat lines before it runs at its speed and spends
 * 2–5× the CPU per line until then; after the warm-up the first flood pays about a second of compilation,
 * the next ones none (docs/performance.md). Before accepting rather than beside the first clients: on one
 * core the warm-up would otherwise compete with them.
 *
 * <p>Nothing of it is visible: its clients are not the server's (ids, counts, {@code /who} and metrics
 * are the real hub's), and its log lines are dropped by a filter on its threads' {@link ThreadGroup} until
 * its server is closed (every thread it starts, Netty's included, is in that group). One STATE line reports
 * it. Bounded: at most {@link #BOUND} from start to stop; {@link #close()} ends it at once (a shutdown
 * during the warm-up does not wait for it). A JVM without an optimizing compiler (e.g.
 * {@code -XX:TieredStopAtLevel=1}, as the project's process tests run) has nothing to warm: no warm-up.
 */
final class WarmUp implements AutoCloseable {
    private static final Logger log = LogManager.getLogger(WarmUp.class);

    /** Subscribers of the warm-up fan-out. */
    static final int SUBSCRIBERS = 10;
    /** Chat lines of one warm-up round (each delivered to every subscriber). */
    static final long LINES_PER_ROUND = 50_000;
    /** Chat lines the publisher writes at once. */
    static final int LINES_PER_BLOCK = 100;
    /** Fewest rounds, however quiet the JIT looks. */
    static final int MIN_ROUNDS = 4;
    /** Most rounds: the warm-up ends earlier once a round finds the JIT (nearly) idle. */
    static final int MAX_ROUNDS = 40;
    /** Longest a warm-up runs, setup and drain included: the longest a start-up is delayed. */
    static final Duration BOUND = Duration.ofSeconds(5);

    private final ThreadGroup group = new ThreadGroup("hermes-warm-up");
    private final Thread thread;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile HermesServer server;
    private volatile boolean closed;

    private WarmUp(HermesConfig config, int ioThreads) {
        thread = new Thread(group, () -> {
            try {
                run(config, ioThreads);
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
     * @param config    the server's configuration: the warm-up server has the same pipeline (logging,
     *                  limits) but one global room, no ticks, no echo and no per-client limits that would
     *                  refuse its clients or drop its lines
     * @param ioThreads the server's {@code --io-threads} (0: Netty's default), so that lines cross event loops
     *                  as they will in the real server
     * @return the running warm-up, or null when this JVM has no optimizing JIT to warm
     */
    static WarmUp start(HermesConfig config, int ioThreads) {
        if (!optimizingJit()) {
            log.debug(HermesMarkers.STATE, "Warm-up skipped: this JVM has no optimizing JIT compiler");
            return null;
        }
        WarmUp w = new WarmUp(config, ioThreads);
        w.thread.start();
        return w;
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

    private void run(HermesConfig config, int ioThreads) {
        long started = System.nanoTime();
        long published = 0;
        int rounds = 0;
        Throwable failure = null;
        Runnable unsilence = ServerLogging.silence(group);
        try {
            HermesConfig warm = config.toBuilder()
                    // a round's clients may still be leaving when the next round's connect
                    .maxClients(Math.max(config.maxClients(), MAX_ROUNDS * (SUBSCRIBERS + 1)))
                    .tickInterval(Duration.ZERO).roomSize(0).turns(false)
                    .maxRate(0).maxPerIp(0).idleTimeout(Duration.ZERO).echo(false) // the publisher reads nothing
                    .build();
            HermesHub hub = new HermesHub(warm, LogGate.unbounded(), HermesMetrics.NOOP);
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            server = HermesServer.start(hub, List.of(HermesServer.Listener.plain(loopback)), Transport.best(), ioThreads);
            if (closed) {
                return;
            }
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            long deadline = started + BOUND.toNanos();
            for (int round = 1; !closed && round <= MAX_ROUNDS && System.nanoTime() < deadline; round++) {
                long jitBefore = jit.getTotalCompilationTime();
                long roundStart = System.nanoTime();
                // new clients each round, as a real flood comes: joins (the first one alone), presence lines
                // and leaves run while the chat path is hot, so its compiled code has seen them (a branch the
                // compiled code never took makes the JIT throw that code away when it is first taken)
                try (Clients clients = new Clients(server.localAddress().getPort())) {
                    published += clients.round(LINES_PER_ROUND, deadline);
                }
                rounds = round;
                long roundMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStart);
                // done once the JIT compiled for less than a tenth of a round, after a few rounds: the
                // compiler counts a compilation when it has finished, so the first rounds look quiet
                if (round >= MIN_ROUNDS && jit.getTotalCompilationTime() - jitBefore < roundMs / 10) {
                    break;
                }
            }
        } catch (Exception | LinkageError e) {
            failure = e; // a warm-up that cannot run costs speed for a moment, never the server
        } finally {
            HermesServer s = server;
            if (s != null) {
                s.close(); // still silenced: its clients' leaves and its shutdown are not the server's
            }
            unsilence.run();
        }
        if (failure != null) {
            log.warn(HermesMarkers.STATE, "Warm-up cut short: {}", String.valueOf(failure));
        }
        if (failure == null && rounds > 0 && !closed) {
            log.info(HermesMarkers.STATE, "Warm-up done: {} chat lines to {} clients in {} rounds, {} ms",
                    published, SUBSCRIBERS, rounds, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    /**
     * The warm-up's own clients, as small as a client can be so that the JIT compiles the server's path, not
     * theirs: {@link #SUBSCRIBERS} sockets read (and thrown away) by one selector thread, one publisher
     * writing chat lines in blocks with blocking writes, which TCP's backpressure paces.
     */
    private static final class Clients implements AutoCloseable {
        private static final byte[] BLOCK = ("warm-up line 0123456789 0123456789 0123456789 0123456789 0123\n")
                .repeat(LINES_PER_BLOCK).getBytes(StandardCharsets.US_ASCII);

        private final Selector selector = Selector.open();
        private final List<SocketChannel> subscribers = new ArrayList<>();
        private final SocketChannel publisher;
        private final Thread reader;
        private final AtomicLong received = new AtomicLong();
        private final CompletableFuture<Void> drained = new CompletableFuture<>();
        private volatile long readTarget = Long.MAX_VALUE;

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
            while (sent < lines && System.nanoTime() < deadline) {
                block.clear();
                while (block.hasRemaining()) {
                    publisher.write(block);
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
                while (selector.isOpen()) {
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
        if (s != null) {
            s.close();
        }
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
