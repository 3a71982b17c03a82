package io.hermesnet.hub;

import io.hermesnet.server.HermesPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Test support for hermes-core's own tests (hermes-core cannot use hermes-testkit, which depends on
 * it): one client connection as an {@link EmbeddedChannel} whose pipeline is built by the real
 * {@link HermesPipeline#configure}, so the tests exercise exactly what the server runs. Several
 * clients of one {@link HermesHub} see each other's broadcasts.
 *
 * <p>Time on the channel is Netty's {@link MockTicker}, frozen from before the channel becomes active
 * (so before the {@code ID} ticker is scheduled); it moves only when a test calls {@link #advance}.
 * ({@link EmbeddedChannel#freezeTime()} cannot be used for this: it needs a registered channel, and
 * registering an {@code EmbeddedChannel} makes it active at once.)
 * Public only because the handler tests live in another package; not part of any API.
 */
public final class TestClient implements AutoCloseable {
    private final EmbeddedChannel channel;
    private final MockTicker ticker;

    private TestClient(EmbeddedChannel channel, MockTicker ticker) {
        this.channel = channel;
        this.ticker = ticker;
    }

    /** Connects a new client to {@code hub}: the channel is active and admitted (or refused) on return. */
    public static TestClient connect(HermesHub hub) {
        return connect(hub, ch -> { });
    }

    /**
     * Connects a new client; {@code beforeActive} runs on the channel before it is registered and
     * active (for example to set its {@code WriteBufferWaterMark}).
     */
    public static TestClient connect(HermesHub hub, Consumer<EmbeddedChannel> beforeActive) {
        HermesPipeline factory = new HermesPipeline(hub);
        MockTicker ticker = Ticker.newMockTicker();
        EmbeddedChannel ch = EmbeddedChannel.builder()
                .register(false)
                .ticker(ticker)
                .handlers(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        factory.configure(c.pipeline());
                    }
                })
                .build();
        beforeActive.accept(ch);
        try {
            ch.register();
        } catch (Exception e) {
            throw new AssertionError("register failed", e);
        }
        return new TestClient(ch, ticker);
    }

    /** The client's channel. */
    public EmbeddedChannel channel() {
        return channel;
    }

    /** The admitted client's session, or {@code null} for a refused one. */
    public Session session() {
        return channel.attr(HermesAttributes.SESSION).get();
    }

    /** Sends {@code line} in UTF-8 followed by LF, as one inbound read. */
    public void send(String line) {
        sendBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends raw bytes as one inbound read. */
    public void sendBytes(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    /** Sends raw bytes as one inbound read for each chunk. */
    public void sendBytes(byte[]... chunks) {
        for (byte[] chunk : chunks) {
            sendBytes(chunk);
        }
    }

    /**
     * Every line written to this client so far, in order, without CRLF; the buffers are released.
     * Fails if a written message is not a ByteBuf of whole CRLF-terminated lines (or empty).
     */
    public List<String> lines() {
        // writes from other channels' handlers (broadcasts) may be queued as tasks on this channel's loop
        channel.runPendingTasks();
        List<String> out = new ArrayList<>();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            if (!(msg instanceof ByteBuf buf)) {
                fail("outbound message is not a ByteBuf: " + msg);
                return out;
            }
            try {
                String text = buf.toString(StandardCharsets.UTF_8);
                if (text.isEmpty()) {
                    continue; // the empty write a half-close flushes with (docs/protocol.md §2.3) carries no line
                }
                assertTrue(text.endsWith("\r\n"), () -> "not CRLF-terminated: " + text);
                for (String line : text.substring(0, text.length() - 2).split("\r\n", -1)) {
                    out.add(line);
                }
            } finally {
                buf.release();
            }
        }
        return out;
    }

    /** {@link #lines()} without the {@code ID} ticks. */
    public List<String> linesWithoutTicks() {
        List<String> out = lines();
        out.removeIf(l -> l.startsWith("ID "));
        return out;
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Advances this channel's frozen clock and runs the timers that became due. */
    public void advance(long amount, TimeUnit unit) {
        ticker.advance(amount, unit);
        channel.runScheduledPendingTasks();
    }

    /** Closes the connection, as a peer's EOF or reset would, and runs what the close scheduled. */
    public void disconnect() {
        channel.close();
        channel.runPendingTasks();
    }

    /** Closes the channel if needed and releases everything still queued in it. */
    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
