package io.hermesnet.handler;

import io.hermesnet.codec.LineFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/protocol.md §3.11 {@code --idle-timeout}: idle = no complete line, whatever bytes arrive. */
class LineIdleStateHandlerTest {
    private final List<Object> events = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();

    /** A frame decoder of 8-byte lines, the clock of a 10 s timeout, and a recorder of what passes them. */
    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new LineFrameDecoder(8), new LineIdleStateHandler(TimeUnit.SECONDS.toNanos(10)),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        events.add(evt);
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ((ByteBuf) msg).release();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        errors.add(cause);
                    }
                });
        ch.pipeline().fireChannelActive();
        return ch;
    }

    private static void advance(EmbeddedChannel ch, long seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }

    private static void send(EmbeddedChannel ch, String bytes) {
        ch.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.UTF_8));
    }

    @Test
    void bytesThatNeverEndALineDoNotHoldTheTimeoutOff() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < 4; i++) { // a byte every 2 s: 8 s
            advance(ch, 2);
            send(ch, "x");
        }
        assertEquals(List.of(), events);
        advance(ch, 2); // 10 s after the last complete line (none: since the connection began)
        assertEquals(List.of(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT), events);
        advance(ch, 10);
        assertEquals(List.of(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT, IdleStateEvent.READER_IDLE_STATE_EVENT), events,
                "one more event per further timeout without a line");
        ch.finishAndReleaseAll();
    }

    @Test
    void aCompleteLineRestartsTheClockEvenWhenItsBytesCameEarlier() {
        EmbeddedChannel ch = channel();
        advance(ch, 2);
        send(ch, "hel");
        advance(ch, 7);
        send(ch, "lo\n"); // 9 s: the line ends, the clock restarts
        advance(ch, 9);
        assertEquals(List.of(), events);
        advance(ch, 1);
        assertEquals(List.of(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT), events);
        ch.finishAndReleaseAll();
    }

    @Test
    void anOverlongLineCountsOnceWhenReportedNotAgainForItsTrickledRest() {
        EmbeddedChannel ch = channel();
        advance(ch, 5);
        send(ch, "1234567890"); // over 8 bytes (and the 9th byte is no CR): reported at once
        assertEquals(1, errors.size());
        assertInstanceOf(TooLongFrameException.class, errors.get(0), "the error passes on to the next stage");
        advance(ch, 9);
        send(ch, "more"); // still the discarded line
        assertEquals(List.of(), events, "the over-long line restarted the clock at 5 s");
        advance(ch, 1);
        assertEquals(List.of(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT), events);
        ch.finishAndReleaseAll();
    }

    @Test
    void aClosedChannelIsNotWatched() {
        EmbeddedChannel ch = channel();
        ch.close();
        advance(ch, 30);
        assertTrue(events.isEmpty(), events.toString());
        ch.finishAndReleaseAll();
    }
}
