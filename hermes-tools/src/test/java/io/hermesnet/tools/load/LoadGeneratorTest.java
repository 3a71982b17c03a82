package io.hermesnet.tools.load;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.server.HermesPipeline;
import io.hermesnet.server.HermesServer;
import io.hermesnet.server.Transport;
import io.hermesnet.testkit.HermesServerExtension;
import io.hermesnet.testkit.LeakDetection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LoadGenerator} against real servers over loopback sockets. */
@Timeout(60)
class LoadGeneratorTest {

    @RegisterExtension
    final HermesServerExtension server = HermesServerExtension.builder()
            .config(c -> c.maxClients(20).tickInterval(Duration.ZERO))
            .build();

    private final StringWriter progress = new StringWriter();

    private LoadOptions.Builder options(int port) {
        return LoadOptions.builder().port(port).transport(Transport.nio()).ioThreads(2).connectRate(0)
                .timeout(Duration.ofSeconds(30));
    }

    private LoadReport run(LoadOptions.Builder options) {
        return LoadGenerator.run(options.build(), new PrintWriter(progress, true));
    }

    @Test
    void flatOutDeliversEveryLineToEveryClient() {
        LoadReport r = run(options(server.port()).clients(5).publishers(1).messages(2000));

        assertEquals(LoadReport.Outcome.COMPLETED, r.outcome(), r::toText);
        assertEquals(0, r.exitCode(), r::toText);
        assertEquals(6, r.ready());
        assertEquals(2000, r.sent());
        assertEquals(10_000, r.expected());
        assertEquals(10_000, r.received());
        assertEquals(0, r.lost());
        assertEquals(0, r.duplicates());
        assertEquals(0, r.gaps());
        assertEquals(0, r.closedByServer());
        assertEquals(0, r.serverErrors());
        // the numbers agree with each other
        assertEquals(r.received(), r.latency().count());
        LoadReport.Latency l = r.latency();
        assertTrue(l.p50() <= l.p90() && l.p90() <= l.p99() && l.p99() <= l.p999() && l.p999() <= l.max(), r::toText);
        assertTrue(r.deliverySeconds() > 0 && r.publishSeconds() > 0, r::toText);
        assertEquals(r.received() / r.deliverySeconds(), r.deliveredPerSecond(), 1e-6);
        assertEquals(r.sent() / r.publishSeconds(), r.publishedPerSecond(), 1e-6);
        assertTrue(r.failures().isEmpty(), r::toText);
        assertTrue(r.toText().contains("expected       10000, received 10000, lost 0, dups 0, gaps 0"), r::toText);
    }

    @Test
    void severalPublishersSplitTheMessagesAndEachIsCheckedForGaps() {
        LoadReport r = run(options(server.port()).clients(3).publishers(3).messages(1000).payloadBytes(200));

        assertEquals(0, r.exitCode(), r::toText);
        assertEquals(1000, r.sent());
        assertEquals(3000, r.received());
        assertEquals(0, r.gaps());
    }

    @Test
    void rateModePacesThePublishers() {
        // 2 publishers at 500 lines/s each: their 300th line is due 598 ms after the start
        LoadReport r = run(options(server.port()).clients(3).publishers(2).messages(600).rate(1000));

        assertEquals(0, r.exitCode(), r::toText);
        assertEquals(1800, r.received());
        assertTrue(r.publishSeconds() >= 0.55, "published 600 lines at 1000/s in " + r.publishSeconds() + " s");
        assertTrue(r.publishedPerSecond() <= 1100, r::toText);
        assertTrue(r.toText().contains("600 messages, 1000 msgs/s"), r::toText);
    }

    @Test
    void durationModePublishesUntilTheEnd() {
        LoadReport r = run(options(server.port()).clients(2).publishers(1).duration(Duration.ofMillis(500)).rate(200));

        assertEquals(0, r.exitCode(), r::toText);
        assertTrue(r.sent() >= 90 && r.sent() <= 101, "sent " + r.sent() + " lines in 500 ms at 200/s");
        assertEquals(2 * r.sent(), r.received());
    }

    @Test
    void ticksArriveAtEveryClient() {
        server.configure(c -> c.tickInterval(Duration.ofMillis(100)));

        LoadReport r = run(options(server.port()).clients(5).ticks(true).tickInterval(Duration.ofMillis(100))
                .duration(Duration.ofSeconds(1)));

        assertEquals(0, r.exitCode(), r::toText);
        assertEquals(0, r.options().publishers(), "no publishers by default with ticks");
        LoadReport.Ticks t = r.ticks();
        assertEquals(0, t.clientsMissing(), r::toText);
        assertEquals(0, t.duplicateIds(), r::toText);
        assertTrue(t.expected() >= 5 * 8, r::toText); // held at least 1 s + the settle: 9 whole intervals, minus 1
        assertTrue(t.received() >= t.expected(), r::toText);
        LoadReport.Delay d = t.delay();
        assertTrue(d.p50Ms() <= d.p99Ms() && d.p99Ms() <= d.maxMs(), r::toText);
        assertEquals(t.received(), d.count());
        assertTrue(t.holdDelay().count() >= 5 * 7 && t.holdDelay().count() < d.count(), r::toText);
        assertEquals(0, r.sent());
    }

    @Test
    void ticksSlowerThanExpectedAreReportedAsMissed() {
        server.configure(c -> c.tickInterval(Duration.ofMillis(100)));

        // told 40 ms, the server ticks every 100 ms: every client gets fewer than half the ticks it expects
        LoadReport r = run(options(server.port()).clients(3).ticks(true).tickInterval(Duration.ofMillis(40))
                .duration(Duration.ofMillis(800)));

        assertEquals(LoadReport.EXIT_LOSS, r.exitCode(), r::toText);
        assertEquals(3, r.ticks().clientsMissing(), r::toText);
        assertTrue(r.ticks().delay().p50Ms() >= 40, "each tick is ~60 ms late: " + r.toText());
        assertTrue(r.toText().contains("3 clients missed ticks"), r::toText);
    }

    @Test
    void connectionsTheServerClosesAreCountedWithTheirLastLine() {
        // subscribers send nothing: the server says goodbye to them after 1 s; the publisher talks for 2 s,
        // then falls idle too while the run waits (2 s) for the lines the subscribers never got
        server.configure(c -> c.idleTimeout(Duration.ofSeconds(1)));

        LoadReport r = run(options(server.port()).clients(3).publishers(1).duration(Duration.ofMillis(2000)).rate(20));

        assertEquals(LoadReport.EXIT_LOSS, r.exitCode(), r::toText);
        assertEquals(4, r.closedByServer(), r::toText);
        assertEquals(4, r.closedLastLines().values().stream().mapToInt(Integer::intValue).sum(), r::toText);
        assertTrue(r.closedLastLines().keySet().stream().allMatch(last -> last.startsWith("BYE Idle timeout")), r::toText);
        assertTrue(r.lost() > 0 && r.received() > 0, r::toText);
        assertTrue(r.toText().contains("4 connections closed by the server"), r::toText);
    }

    @Test
    void aFullServerFailsTheSetupWithItsErrorLine() {
        server.configure(c -> c.maxClients(3));

        LoadReport r = run(options(server.port()).clients(5).publishers(1).messages(10));

        assertEquals(LoadReport.Outcome.SETUP_FAILED, r.outcome(), r::toText);
        assertEquals(LoadReport.EXIT_SETUP_FAILED, r.exitCode());
        assertTrue(r.problem().contains("ERROR FULL server is full (3/3)"), r.problem());
        assertEquals(0, r.sent());
    }

    @Test
    void lostAndDuplicatedLinesAreCounted() throws Exception {
        // a relay that drops the line with sequence number 5 and passes number 7 on twice
        HermesHub hub = new HermesHub(HermesConfig.builder().maxClients(10).tickInterval(Duration.ZERO).build());
        HermesPipeline pipeline = new HermesPipeline(hub);
        HermesServer lossy = HermesServer.start(hub, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Transport.nio(), 1, new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        pipeline.configure(ch.pipeline());
                        ch.pipeline().addBefore(HermesPipeline.CHAT, "lossy", new LossyRelay());
                    }
                });
        try {
            LoadReport r = run(options(lossy.localAddress().getPort()).clients(2).publishers(1).messages(20));

            assertEquals(LoadReport.EXIT_LOSS, r.exitCode(), r::toText);
            assertEquals(40, r.expected());
            assertEquals(40, r.received(), r::toText); // 19 distinct lines and one twice, per client
            assertEquals(2, r.duplicates(), r::toText);
            assertEquals(2, r.gaps(), r::toText);
            assertEquals(2, r.lost(), r::toText);
            assertTrue(r.toText().contains("loss: 2 lines lost, 2 duplicate lines (exit 1)"), r::toText);
        } finally {
            lossy.close();
            LeakDetection.flush();
        }
    }

    /** Drops the chat line whose marker has sequence number 5, and passes 7 on twice. */
    private static final class LossyRelay extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ClientCommand.Chat chat) {
                String seq = chat.text().split("\\|")[3];
                if (seq.equals("5")) {
                    return;
                }
                if (seq.equals("7")) {
                    ctx.fireChannelRead(msg);
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    @Test
    void aServerThatNeverWelcomesTimesOut() throws Exception {
        // the kernel completes the connects into the listen backlog; nobody ever reads or writes
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            LoadReport r = run(options(silent.getLocalPort()).clients(2).timeout(Duration.ofMillis(700)));

            assertEquals(LoadReport.Outcome.TIMEOUT, r.outcome(), r::toText);
            assertEquals(LoadReport.EXIT_TIMEOUT, r.exitCode());
            assertTrue(r.problem().contains("setup (0 of 3 connections ready)"), r.problem());
        }
    }

    @Test
    void aRefusedConnectionIsCannotConnect() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        LoadReport r = run(options(port).clients(1));

        assertEquals(LoadReport.Outcome.CANNOT_CONNECT, r.outcome(), r::toText);
        assertEquals(LoadReport.EXIT_CANNOT_CONNECT, r.exitCode(), r::toText);
        assertEquals("cannot connect to 127.0.0.1:" + port + ": connection refused", r.problem());
        assertEquals("cannot-connect", r.result());
        assertNull(r.ticks());
    }
}
