package io.hermesnet.testkit;

import io.hermesnet.hub.HermesHub;
import io.hermesnet.server.HermesPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Ticker;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@link EmbeddedChannel} helpers for handler tests: a channel built by the real
 * {@link HermesPipeline} (the same factory the server uses), client lines in as bytes, server lines
 * out as strings.
 *
 * <pre>{@code
 * HermesPipeline pipeline = new HermesPipeline(new HermesHub(HermesConfig.DEFAULT));
 * EmbeddedChannel a = EmbeddedHermes.open(pipeline);       // admitted: WELCOME is queued outbound
 * assertEquals("WELCOME 1 client1 0 Welcome to HermesNet!", EmbeddedHermes.readLines(a).get(0));
 * EmbeddedHermes.writeLine(a, "/rank");
 * assertEquals(List.of("RANK 0"), EmbeddedHermes.readLines(a));
 * a.finishAndReleaseAll();
 * }</pre>
 *
 * <p>Time: pass a shared {@link Ticker#newMockTicker() MockTicker} to {@link #open(HermesPipeline, Ticker)}
 * and advance it, then call {@link EmbeddedChannel#runScheduledPendingTasks()} on each channel, to
 * drive the {@code ID} ticker of several channels without waiting; or use one channel's
 * {@code freezeTime()}/{@code advanceTimeBy()}.
 *
 * <p>Every channel of one hub may be used from the test thread only: an {@code EmbeddedChannel}
 * runs its handlers on the caller's thread, so a broadcast from one channel is queued on the others
 * at once. Remote addresses are Netty's {@code embedded} placeholder, so all channels count as one
 * IP for {@code --max-per-ip}. Finish every channel with {@link EmbeddedChannel#finishAndReleaseAll()}.
 */
public final class EmbeddedHermes {
    private EmbeddedHermes() {
    }

    /** {@link #open(HermesPipeline)} with a new pipeline for {@code hub}. */
    public static EmbeddedChannel open(HermesHub hub) {
        return open(new HermesPipeline(hub));
    }

    /**
     * A registered, active channel whose pipeline {@code pipeline} configured before activation, as
     * for an accepted connection: the hub has admitted it (or refused it) and its first lines are
     * queued outbound.
     */
    public static EmbeddedChannel open(HermesPipeline pipeline) {
        return EmbeddedChannel.builder().handlers(pipeline.initializer()).build();
    }

    /**
     * {@link #open(HermesPipeline)} on a channel whose scheduled tasks follow {@code ticker}: share one
     * {@link io.netty.util.concurrent.MockTicker} among channels to advance their time together.
     */
    public static EmbeddedChannel open(HermesPipeline pipeline, Ticker ticker) {
        Objects.requireNonNull(ticker, "ticker");
        return EmbeddedChannel.builder().ticker(ticker).handlers(pipeline.initializer()).build();
    }

    /**
     * Writes {@code text} in UTF-8 followed by LF into the channel as one inbound buffer, and runs the
     * pipeline on it.
     *
     * @throws RuntimeException whatever reached the end of the pipeline ({@link EmbeddedChannel#checkException()})
     */
    public static void writeLine(EmbeddedChannel ch, String text) {
        writeBytes(ch, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} exactly as given into the channel as one inbound buffer. */
    public static void writeBytes(EmbeddedChannel ch, byte[] bytes) {
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    /**
     * Reads every outbound buffer queued so far, releases it, and returns its server lines without
     * their CRLF. Runs pending tasks first, so writes scheduled by other threads are included.
     *
     * @throws AssertionError if a line does not end with CRLF, is not valid UTF-8, or the outbound
     *                        queue holds something that is not a {@link ByteBuf} (it is released)
     */
    public static List<String> readLines(EmbeddedChannel ch) {
        ch.runPendingTasks();
        ByteBuf all = Unpooled.buffer();
        try {
            for (Object msg; (msg = ch.readOutbound()) != null; ) {
                try {
                    if (!(msg instanceof ByteBuf buf)) {
                        throw new AssertionError("outbound message is not a ByteBuf: " + msg.getClass().getName()
                                + " (is the event encoder in the pipeline?)");
                    }
                    all.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }
            return split(all);
        } finally {
            all.release();
        }
    }

    /**
     * The next server line in the channel's outbound queue, or {@code null} if there is none; every
     * other line that was queued with it in the same buffer is lost, so prefer {@link #readLines}.
     *
     * @throws AssertionError as {@link #readLines}
     */
    public static String readLine(EmbeddedChannel ch) {
        ch.runPendingTasks();
        Object msg = ch.readOutbound();
        if (msg == null) {
            return null;
        }
        try {
            if (!(msg instanceof ByteBuf buf)) {
                throw new AssertionError("outbound message is not a ByteBuf: " + msg.getClass().getName());
            }
            List<String> lines = split(buf);
            if (lines.size() != 1) {
                throw new AssertionError("expected one line in the outbound buffer, got " + lines);
            }
            return lines.get(0);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private static List<String> split(ByteBuf bytes) {
        List<String> lines = new ArrayList<>();
        int start = bytes.readerIndex();
        int end = bytes.writerIndex();
        for (int i = start; i < end; i++) {
            if (bytes.getByte(i) != '\n') {
                continue;
            }
            if (i == start || bytes.getByte(i - 1) != '\r') {
                throw new AssertionError("server line without CRLF: " + bytes.toString(start, i - start + 1,
                        StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n"));
            }
            lines.add(decodeStrict(bytes, start, i - 1 - start));
            start = i + 1;
        }
        if (start < end) {
            throw new AssertionError("server output ends inside a line (no CRLF): "
                    + bytes.toString(start, end - start, StandardCharsets.UTF_8));
        }
        return lines;
    }

    private static String decodeStrict(ByteBuf bytes, int index, int length) {
        ByteBuffer nio = bytes.nioBuffer(index, length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(nio).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("server line is not valid UTF-8: " + bytes.toString(index, length, StandardCharsets.UTF_8), e);
        }
    }
}
