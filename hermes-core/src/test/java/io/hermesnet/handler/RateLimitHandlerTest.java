package io.hermesnet.handler;

import io.hermesnet.codec.ServerEventEncoder;
import io.hermesnet.hub.ClientConnection;
import io.hermesnet.telemetry.HermesMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitHandlerTest {

    @Test
    void dropsLinesOverTheRateWithOneErrorPerBurstAndPausesReading() {
        EmbeddedChannel ch = newChannel(2);
        ch.writeInbound(frame("a"), frame("b"), frame("c"), frame("d"));

        assertEquals("a", readFrame(ch));
        assertEquals("b", readFrame(ch));
        assertNull(ch.readInbound(), "c and d are over the 2 lines/s budget");
        assertEquals("ERROR RATE_LIMITED more than 2 lines per second; lines dropped\r\n", readOutbound(ch));
        assertNull(ch.readOutbound(), "one ERROR per burst");
        assertFalse(ch.config().isAutoRead(), "reading pauses until a token is due");

        ch.advanceTimeBy(500, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.config().isAutoRead());

        ch.writeInbound(frame("e"));
        assertEquals("e", readFrame(ch));
        ch.writeInbound(frame("f"));
        assertNull(ch.readInbound());
        assertEquals("ERROR RATE_LIMITED more than 2 lines per second; lines dropped\r\n", readOutbound(ch),
                "a new burst gets a new ERROR");
        ch.finishAndReleaseAll();
    }

    @Test
    void aSenderWithinTheRateIsNeverLimited() {
        EmbeddedChannel ch = newChannel(10);
        for (int i = 0; i < 50; i++) {
            ch.writeInbound(frame("line" + i));
            assertEquals("line" + i, readFrame(ch));
            ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        }
        assertNull(ch.readOutbound());
        assertTrue(ch.config().isAutoRead());
        ch.finishAndReleaseAll();
    }

    private static EmbeddedChannel newChannel(int rate) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime(); // before the handler reads its first refill time
        ch.pipeline().addLast(new RateLimitHandler(rate), ServerEventEncoder.INSTANCE);
        ClientConnection.attach(ch, HermesMetrics.NOOP, 0); // the handler answers through it
        return ch;
    }

    private static ByteBuf frame(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static String readFrame(EmbeddedChannel ch) {
        ByteBuf b = ch.readInbound();
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }

    private static String readOutbound(EmbeddedChannel ch) {
        ch.runPendingTasks(); // the connection writes on the event loop
        ByteBuf b = ch.readOutbound();
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }
}
