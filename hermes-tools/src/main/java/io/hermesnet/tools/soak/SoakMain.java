package io.hermesnet.tools.soak;

import io.hermesnet.config.Units;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

/**
 * A soak and stress tool for a running HermesNet server; not part of the test suite (see
 * {@code bench/soak.sh} and {@code docs/soak.md}). It keeps {@code --clients} connections open for
 * {@code --duration}, with the server's ID ticks on; sends chat at {@code --chat-rate} lines/s in total
 * from random clients; resets a random client ({@code SO_LINGER 0}, so the server sees a TCP RST) at
 * {@code --churn-rate} per second and reconnects it after 50–500 ms. It then reports:
 * <ul>
 * <li>disconnects by reason, from the {@code LEAVE} lines (distinct client ids), and how many were
 *     unexpected: anything but {@code closed} for a client this tool reset, a connection the server
 *     closed on its own, or a refusal ({@code ERROR FULL}); such clients are replaced;</li>
 * <li>the tick delay: per client, the interval between consecutive {@code ID} lines (the first one
 *     from {@code WELCOME}) minus {@code --tick-interval}, as p50/p99/max in ms;</li>
 * <li>the chat latency (send to receipt, same clock) p50/p99/max;</li>
 * <li>both of these over the whole run and over the steady state, after {@code --warmup}: the first
 *     seconds, when all the clients connect at once, say little about a server that runs for days;</li>
 * <li>the server's RSS from {@code /proc/<pid>/status} with {@code --server-pid}: per half of the run,
 *     and the slope of the second half in MiB/min;</li>
 * <li>the number of lines holding {@code LEAK:} in {@code --server-log}.</li>
 * </ul>
 * Everything is bounded: connections (clients + resets in flight), rates, and the run time.
 * Loopback only by default; exit code 0 when the run had no unexpected disconnect and no leak line.
 *
 * <p>Threading: all connections run on one Netty event loop group of {@code --io-threads} threads; the
 * statistics are concurrent counters; the main thread only schedules and reports.
 */
public final class SoakMain {
    private final Options o;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Set<Channel> live = ConcurrentHashMap.newKeySet();
    private final List<Channel> liveList = new ArrayList<>(); // guarded by itself; for random picks
    private final Set<Long> resetIds = ConcurrentHashMap.newKeySet();
    private final Map<Long, String> leaves = new ConcurrentHashMap<>();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong failedConnects = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private final AtomicLong serverCloses = new AtomicLong();
    private final AtomicLong linesIn = new AtomicLong();
    private final AtomicLong chatsSent = new AtomicLong();
    private final AtomicLong chatsReceived = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final Histogram tickDelay = new Histogram();
    private final Histogram chatLatency = new Histogram();
    private final Histogram steadyTickDelay = new Histogram(); // after the warm-up
    private final Histogram steadyChatLatency = new Histogram();
    private final List<long[]> rss = new ArrayList<>(); // {elapsed ms, kB}; main thread only
    private final long startNanos = System.nanoTime();
    private final long steadyFromNanos;
    private volatile boolean stopping;

    private SoakMain(Options o) {
        this.o = o;
        this.steadyFromNanos = startNanos + o.warmup().toNanos();
        this.group = new MultiThreadIoEventLoopGroup(o.ioThreads, NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LineBasedFrameDecoder(64 * 1024),
                                new StringDecoder(StandardCharsets.UTF_8), new SoakClient());
                    }
                });
    }

    /**
     * Runs the soak and prints the report; exits 0 when the run was clean, 1 when it was not, 2 for
     * bad arguments.
     */
    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new SoakMain(o).run(System.out) ? 0 : 1);
    }

    private boolean run(PrintStream out) throws Exception {
        out.printf("soak: %d clients to %s:%d for %s (warm-up %s), chat %.1f lines/s, churn %.2f resets/s, tick %d ms%n",
                o.clients, o.host, o.port, o.duration, o.warmup(), o.chatRate, o.churnRate, o.tickMs);
        try {
            long connectDeadline = System.nanoTime() + o.connectWait.toNanos();
            while (true) { // the server may still be starting
                ChannelFuture first = bootstrap.connect(o.host, o.port).awaitUninterruptibly();
                if (first.isSuccess()) {
                    connects.incrementAndGet();
                    break;
                }
                if (System.nanoTime() > connectDeadline) {
                    out.println("soak: cannot connect to the server: " + first.cause());
                    return false;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            for (int i = 1; i < o.clients; i++) {
                connect();
            }
            if (o.chatRate > 0) {
                long period = (long) (1e9 / o.chatRate);
                group.next().scheduleAtFixedRate(this::chat, period, period, TimeUnit.NANOSECONDS);
            }
            if (o.churnRate > 0) {
                long period = (long) (1e9 / o.churnRate);
                group.next().scheduleAtFixedRate(this::churn, period, period, TimeUnit.NANOSECONDS);
            }
            long end = startNanos + o.duration.toNanos();
            long nextReport = System.nanoTime() + o.reportEvery.toNanos();
            while (System.nanoTime() < end) {
                // the main thread samples RSS and prints progress; the work runs on the event loops
                long wait = Math.min(end, Math.min(nextReport, System.nanoTime() + TimeUnit.SECONDS.toNanos(5)));
                TimeUnit.NANOSECONDS.sleep(Math.max(0, wait - System.nanoTime()));
                sampleRss();
                if (System.nanoTime() >= nextReport) {
                    nextReport += o.reportEvery.toNanos();
                    out.printf("  %4ds: %d connected, %d resets, tick delay p99 %d ms (steady %d), chat p99 %d ms (steady %d),"
                                    + " rss %s%n", elapsedMs() / 1000, live.size(), resets.get(), tickDelay.percentile(99),
                            steadyTickDelay.percentile(99), chatLatency.percentile(99), steadyChatLatency.percentile(99),
                            rss.isEmpty() ? "-" : (rss.get(rss.size() - 1)[1] / 1024) + " MiB");
                }
            }
            stopping = true;
            report(out);
            return unexpectedDisconnects() == 0 && leakLines() == 0;
        } finally {
            stopping = true;
            for (Channel ch : live) {
                ch.close();
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    /** Connects one more client; a failed attempt is counted and retried after a second. */
    private void connect() {
        bootstrap.connect(o.host, o.port).addListener(done -> {
            if (done.isSuccess()) {
                connects.incrementAndGet();
            } else {
                failedConnects.incrementAndGet();
                reconnectLater(1000);
            }
        });
    }

    private void reconnectLater(long delayMs) {
        if (!stopping) {
            group.next().schedule(() -> {
                if (!stopping) {
                    connect();
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    private void chat() {
        Channel ch = randomLive();
        if (ch != null && ch.isWritable()) {
            String line = "soak " + System.nanoTime() + " " + chatsSent.incrementAndGet() + "\n";
            ch.writeAndFlush(ByteBufUtil.writeUtf8(ch.alloc(), line), ch.voidPromise());
        }
    }

    private void churn() {
        Channel ch = randomLive();
        SoakClient c = ch == null ? null : ch.pipeline().get(SoakClient.class);
        if (c == null || c.id == 0) {
            return;
        }
        resetIds.add(c.id);
        c.resetByUs = true;
        resets.incrementAndGet();
        ch.config().setOption(ChannelOption.SO_LINGER, 0); // close sends a TCP RST
        ch.close();
        reconnectLater(ThreadLocalRandom.current().nextLong(50, 500));
    }

    private Channel randomLive() {
        synchronized (liveList) {
            return liveList.isEmpty() ? null : liveList.get(ThreadLocalRandom.current().nextInt(liveList.size()));
        }
    }

    private long elapsedMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private void sampleRss() {
        if (o.serverPid <= 0) {
            return;
        }
        try (Stream<String> lines = Files.lines(Path.of("/proc/" + o.serverPid + "/status"))) {
            lines.filter(l -> l.startsWith("VmRSS:")).findFirst().ifPresent(l ->
                    rss.add(new long[] {elapsedMs(), Long.parseLong(l.replaceAll("[^0-9]", ""))}));
        } catch (IOException | RuntimeException e) {
            // the server is gone: the report says so through the missing samples
        }
    }

    private long leakLines() {
        if (o.serverLog == null) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(o.serverLog, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains("LEAK:")).count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + o.serverLog + ": " + e);
        }
    }

    private long unexpectedDisconnects() {
        long unexpected = serverCloses.get() + refusals.get();
        for (Map.Entry<Long, String> e : leaves.entrySet()) {
            if (!("closed".equals(e.getValue()) && resetIds.contains(e.getKey()))) {
                unexpected++;
            }
        }
        return unexpected;
    }

    private void report(PrintStream out) {
        Map<String, Integer> byReason = new TreeMap<>();
        leaves.values().forEach(r -> byReason.merge(r, 1, Integer::sum));
        out.println();
        out.printf("duration                 %d s%n", elapsedMs() / 1000);
        out.printf("connections              %d made, %d failed, %d refused (ERROR FULL), %d connected at the end%n",
                connects.get(), failedConnects.get(), refusals.get(), live.size());
        out.printf("resets (RST) by the soak %d%n", resets.get());
        out.printf("disconnects by reason    %s (LEAVE lines, distinct clients)%n", byReason);
        out.printf("unexpected disconnects   %d (LEAVE other than closed-after-our-reset, plus %d connections the"
                        + " server closed, plus %d refusals)%n", unexpectedDisconnects(), serverCloses.get(), refusals.get());
        out.printf("lines received           %d; chat sent %d, MSG received %d%n", linesIn.get(), chatsSent.get(),
                chatsReceived.get());
        out.printf("tick delay (ms)          all:   %s (interval between ID lines minus %d ms)%n", tickDelay, o.tickMs);
        out.printf("                         after the %d s warm-up: %s%n", o.warmup().toSeconds(), steadyTickDelay);
        out.printf("chat latency (ms)        all:   %s%n", chatLatency);
        out.printf("                         after the %d s warm-up: %s%n", o.warmup().toSeconds(), steadyChatLatency);
        if (rss.size() >= 4) {
            int half = rss.size() / 2;
            List<long[]> first = rss.subList(0, half);
            List<long[]> second = rss.subList(half, rss.size());
            out.printf("server RSS (MiB)         first half min/max %d/%d, second half min/max %d/%d, "
                            + "second-half slope %.2f MiB/min (%d samples)%n",
                    min(first) / 1024, max(first) / 1024, min(second) / 1024, max(second) / 1024, slope(second), rss.size());
        } else {
            out.println("server RSS               not sampled (no --server-pid, or too short)");
        }
        out.printf("LEAK: lines in log       %s%n", o.serverLog == null ? "no --server-log" : String.valueOf(leakLines()));
    }

    private static long min(List<long[]> s) {
        return s.stream().mapToLong(v -> v[1]).min().orElse(0);
    }

    private static long max(List<long[]> s) {
        return s.stream().mapToLong(v -> v[1]).max().orElse(0);
    }

    /** Least-squares slope of RSS over time, in MiB per minute. */
    private static double slope(List<long[]> s) {
        double n = s.size();
        double mx = s.stream().mapToDouble(v -> v[0]).sum() / n;
        double my = s.stream().mapToDouble(v -> v[1]).sum() / n;
        double num = 0;
        double den = 0;
        for (long[] v : s) {
            num += (v[0] - mx) * (v[1] - my);
            den += (v[0] - mx) * (v[0] - mx);
        }
        return den == 0 ? 0 : num / den * 60_000 / 1024;
    }

    /** One connection: tracks its id, ticks, and what it hears about the others. Event loop only. */
    private final class SoakClient extends SimpleChannelInboundHandler<String> {
        long id;
        long lastTick;
        volatile boolean resetByUs;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            live.add(ctx.channel());
            synchronized (liveList) {
                liveList.add(ctx.channel());
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            live.remove(ctx.channel());
            synchronized (liveList) {
                liveList.remove(ctx.channel());
            }
            if (!resetByUs && !stopping) {
                if (id != 0) {
                    serverCloses.incrementAndGet();
                }
                reconnectLater(1000); // keep the population
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            linesIn.incrementAndGet();
            long now = System.nanoTime();
            if (line.startsWith("ID ")) {
                if (lastTick != 0) {
                    record(tickDelay, steadyTickDelay, TimeUnit.NANOSECONDS.toMillis(now - lastTick) - o.tickMs, now);
                }
                lastTick = now;
            } else if (line.startsWith("MSG ")) {
                chatsReceived.incrementAndGet();
                String[] f = line.split(" ", 6);
                if (f.length >= 5 && f[3].equals("soak")) {
                    record(chatLatency, steadyChatLatency, TimeUnit.NANOSECONDS.toMillis(now - Long.parseLong(f[4])), now);
                }
            } else if (line.startsWith("LEAVE ")) {
                String[] f = line.split(" ");
                if (f.length == 4) {
                    leaves.putIfAbsent(Long.parseLong(f[1]), f[3]);
                }
            } else if (line.startsWith("WELCOME ")) {
                id = Long.parseLong(line.split(" ")[1]);
                lastTick = now; // the first ID comes one interval after WELCOME
            } else if (line.startsWith("ERROR FULL")) {
                refusals.incrementAndGet();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // counted in channelInactive
        }
    }

    /** Records {@code ms} in {@code all}, and in {@code steady} too once the warm-up is over at {@code now}. */
    private void record(Histogram all, Histogram steady, long ms, long now) {
        all.record(ms);
        if (now - steadyFromNanos >= 0) {
            steady.record(ms);
        }
    }

    /** Milliseconds in 1-ms buckets up to a minute; negative values count as 0. Thread-safe. */
    static final class Histogram {
        private static final int MAX = 60_000;
        private final AtomicLongArray buckets = new AtomicLongArray(MAX + 1);
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong max = new AtomicLong(Long.MIN_VALUE);

        void record(long ms) {
            buckets.incrementAndGet((int) Math.max(0, Math.min(MAX, ms)));
            count.incrementAndGet();
            max.accumulateAndGet(ms, Math::max);
        }

        long count() {
            return count.get();
        }

        /** {@code n=… p50=… p99=… max=…}. */
        @Override
        public String toString() {
            return "n=" + count() + " p50=" + percentile(50) + " p99=" + percentile(99) + " max=" + max();
        }

        long max() {
            return count.get() == 0 ? 0 : max.get();
        }

        /** The smallest value at or above which lie no more than {@code 100 - p} percent of the samples. */
        long percentile(double p) {
            long n = count.get();
            if (n == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(n * p / 100);
            long seen = 0;
            for (int i = 0; i <= MAX; i++) {
                seen += buckets.get(i);
                if (seen >= rank) {
                    return i;
                }
            }
            return MAX;
        }
    }

    /** The command line. */
    static final class Options {
        static final String USAGE = "usage: SoakMain [--host 127.0.0.1] [--port 9000] [--clients 500] [--duration 10m]"
                + " [--warmup 60s (at most a quarter of the duration)] [--chat-rate 10] [--churn-rate 1] [--tick-interval 1s] [--io-threads 2] [--report-every 30s]"
                + " [--server-pid PID] [--server-log FILE] [--connect-wait 30s]";
        String host = "127.0.0.1";
        int port = 9000;
        int clients = 500;
        Duration duration = Duration.ofMinutes(10);
        /** Excluded from the steady-state statistics; null: 60 s or a quarter of the duration, the shorter. */
        Duration warmup;
        double chatRate = 10;
        double churnRate = 1;
        long tickMs = 1000;
        int ioThreads = 2;
        Duration reportEvery = Duration.ofSeconds(30);
        long serverPid;
        Path serverLog;
        Duration connectWait = Duration.ofSeconds(30);

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--host" -> o.host = v;
                    case "--port" -> o.port = Integer.parseInt(v);
                    case "--clients" -> o.clients = Integer.parseInt(v);
                    case "--duration" -> o.duration = Units.parseDuration(v);
                    case "--warmup" -> o.warmup = Units.parseDuration(v);
                    case "--chat-rate" -> o.chatRate = Double.parseDouble(v);
                    case "--churn-rate" -> o.churnRate = Double.parseDouble(v);
                    case "--tick-interval" -> o.tickMs = Units.parseDuration(v).toMillis();
                    case "--io-threads" -> o.ioThreads = Integer.parseInt(v);
                    case "--report-every" -> o.reportEvery = Units.parseDuration(v);
                    case "--server-pid" -> o.serverPid = Long.parseLong(v);
                    case "--server-log" -> o.serverLog = Path.of(v);
                    case "--connect-wait" -> o.connectWait = Units.parseDuration(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.clients < 1 || o.duration.isNegative() || o.duration.isZero() || o.reportEvery.isZero()) {
                throw new IllegalArgumentException("clients, duration and report interval must be positive");
            }
            if (o.warmup != null && (o.warmup.isNegative() || o.warmup.compareTo(o.duration) >= 0)) {
                throw new IllegalArgumentException("the warm-up must be at least 0 and shorter than the duration");
            }
            return o;
        }

        /** The warm-up: {@code --warmup}, else 60 s or a quarter of the duration, whichever is shorter. */
        Duration warmup() {
            if (warmup != null) {
                return warmup;
            }
            Duration quarter = duration.dividedBy(4);
            return quarter.compareTo(Duration.ofSeconds(60)) < 0 ? quarter : Duration.ofSeconds(60);
        }
    }
}
