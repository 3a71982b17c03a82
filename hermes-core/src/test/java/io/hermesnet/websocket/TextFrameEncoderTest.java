package io.hermesnet.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TextFrameEncoder}: a batch of CRLF lines becomes one text frame per line. */
class TextFrameEncoderTest {
    private final EmbeddedChannel ch = new EmbeddedChannel(TextFrameEncoder.INSTANCE);

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    private String nextFrame() {
        TextWebSocketFrame f = ch.readOutbound();
        if (f == null) {
            return null;
        }
        try {
            assertTrue(f.isFinalFragment());
            return f.text();
        } finally {
            f.release();
        }
    }

    @Test
    void aBatchOfLinesIsOneFramePerLineWithoutCrLf() {
        ByteBuf batch = Unpooled.copiedBuffer("MSG 1 alice hi there\r\nCLIENTS 2\r\nJOIN 3 bob\r\n", UTF_8);
        ch.writeAndFlush(batch, ch.voidPromise());
        assertEquals("MSG 1 alice hi there", nextFrame());
        assertEquals("CLIENTS 2", nextFrame());
        assertEquals("JOIN 3 bob", nextFrame());
        assertNull(ch.readOutbound());
        assertEquals(0, batch.refCnt(), "the batch is released once its frames are");
    }

    @Test
    void utf8TextAndABareLineFeedAndAnUnendedTail() {
        ch.writeOutbound(Unpooled.copiedBuffer("MSG 1 a grüße ✓\nMSG 2 b tail", UTF_8));
        assertEquals("MSG 1 a grüße ✓", nextFrame());
        assertEquals("MSG 2 b tail", nextFrame());
        assertNull(ch.readOutbound());
    }

    @Test
    void theWritesPromiseCompletesWhenEveryFrameIsWritten() {
        ChannelFuture f = ch.writeAndFlush(Unpooled.copiedBuffer("BYE Goodbye\r\nX\r\n", UTF_8));
        assertTrue(f.isSuccess());
        assertEquals("BYE Goodbye", nextFrame());
        assertEquals("X", nextFrame());
    }

    @Test
    void anEmptyWriteGoesOnAsItIsForItsPromise() {
        ChannelFuture f = ch.writeAndFlush(Unpooled.EMPTY_BUFFER);
        assertTrue(f.isSuccess());
        ByteBuf empty = ch.readOutbound();
        assertEquals(0, empty.readableBytes());
        empty.release();
        assertNull(ch.readOutbound());
    }
}
