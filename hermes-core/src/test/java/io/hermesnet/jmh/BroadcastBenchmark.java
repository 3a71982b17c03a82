package io.hermesnet.jmh;

import io.hermesnet.hub.HermesConfig;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.hub.Session;
import io.hermesnet.server.HermesPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The chat broadcast path end to end: one client's 64-byte chat line read by its channel, decoded,
 * relayed by the {@link HermesHub} as {@code MSG} to the {@code clients - 1} others, and written and
 * flushed out of each of their channels. Every channel is an {@link EmbeddedChannel} configured by
 * {@link HermesPipeline#configure}, so the whole server pipeline runs, without sockets.
 *
 * <p>One op is one chat line fanned out to {@code clients - 1} recipients: divide ns/op by
 * {@code clients - 1} for ns per delivery. Each op also runs every recipient's pending tasks (the
 * fan-out's flushes run there) and takes and releases what it wrote, so memory stays flat; an op that
 * did not deliver the line to every recipient fails the run.
 *
 * <p>The hub: {@code --tick-interval 0} (no {@code ID} lines), {@code --quiet} (no wire log stage),
 * one global room, no echo, the default limits otherwise.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class BroadcastBenchmark {
    /** Connected clients, the sender included. */
    @Param({"10", "100", "1000"})
    public int clients;

    private HermesHub hub;
    private EmbeddedChannel[] channels;
    private EmbeddedChannel sender;
    private ByteBuf chatLine;
    private long expectedBytes;

    @Setup
    public void setup() {
        BenchLines.check(clients >= 2, "clients must be at least 2: " + clients);
        hub = new HermesHub(HermesConfig.builder()
                .maxClients(clients)
                .tickInterval(Duration.ZERO)
                .quiet(true)
                .build());
        HermesPipeline pipeline = new HermesPipeline(hub);
        channels = new EmbeddedChannel[clients];
        for (int i = 0; i < clients; i++) {
            channels[i] = new EmbeddedChannel(pipeline.initializer()); // active: the hub admits it
            for (int j = 0; j <= i; j++) { // WELCOME, JOIN, CLIENTS: drop them as they come
                BenchLines.drain(channels[j]);
            }
        }
        BenchLines.check(hub.clientCount() == clients, "hub admitted " + hub.clientCount() + " of " + clients);
        sender = channels[0];
        chatLine = BenchLines.wire(BenchLines.CHAT, 1);

        // One pass outside the measurement: every other client gets exactly the MSG line, the sender nothing.
        Session from = hub.sessions().get(0);
        String msg = "MSG " + from.id() + ' ' + from.name() + ' ' + BenchLines.CHAT + "\r\n";
        sender.writeInbound(chatLine.retainedDuplicate());
        for (int i = 1; i < clients; i++) {
            String got = BenchLines.drainText(channels[i]);
            BenchLines.check(got.equals(msg), "client " + i + " got [" + got + "], expected [" + msg + "]");
        }
        String echoed = BenchLines.drainText(sender);
        BenchLines.check(echoed.isEmpty(), "the sender got [" + echoed + "]");
        expectedBytes = (long) msg.length() * (clients - 1);
    }

    @TearDown
    public void tearDown() {
        hub.shutdown("benchmark done"); // no LEAVE broadcasts while the channels close
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
        chatLine.release();
    }

    /** One chat line in, {@code clients - 1} MSG lines out; returns the bytes delivered. */
    @Benchmark
    public long fanOut() {
        sender.writeInbound(chatLine.retainedDuplicate());
        long bytes = 0;
        for (int i = 1; i < channels.length; i++) {
            bytes += BenchLines.drain(channels[i]);
        }
        BenchLines.check(bytes == expectedBytes, "delivered " + bytes + " bytes, expected " + expectedBytes);
        return bytes;
    }
}
