package io.hermesnet.websocket;

import io.hermesnet.codec.LineFrameDecoder;
import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.protocol.LeaveReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TextFrameDecoder}: text messages become the lines a TCP client's line stages read. */
class TextFrameDecoderTest {
    private EmbeddedChannel ch = new EmbeddedChannel(new TextFrameDecoder(), new LineFrameDecoder(16));

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    private String nextLine() {
        ByteBuf line = ch.readInbound();
        if (line == null) {
            return null;
        }
        try {
            return line.toString(UTF_8);
        } finally {
            line.release();
        }
    }

    @Test
    void oneTextFrameIsOneLine() {
        ch.writeInbound(new TextWebSocketFrame("hello"));
        assertEquals("hello", nextLine());
        assertNull(ch.readInbound());
    }

    @Test
    void aFrameHoldingLineFeedsIsSeveralLines() {
        ch.writeInbound(new TextWebSocketFrame("a\nb\r\nc"));
        assertEquals("a", nextLine());
        assertEquals("b", nextLine());
        assertEquals("c", nextLine());
        assertNull(ch.readInbound());
    }

    @Test
    void aFragmentedMessageIsOneLine() {
        ch.writeInbound(new TextWebSocketFrame(false, 0, "ab"));
        assertNull(ch.readInbound(), "no line before the last fragment");
        ch.writeInbound(new ContinuationWebSocketFrame(false, 0, "cd"));
        ch.writeInbound(new ContinuationWebSocketFrame(true, 0, "ef"));
        assertEquals("abcdef", nextLine());
        assertNull(ch.readInbound());
    }

    @Test
    void aLineOverTheLimitIsRefusedAsOnTcpAndTheNextOneGoesThrough() {
        TooLongFrameException e = assertThrows(TooLongFrameException.class,
                () -> ch.writeInbound(new TextWebSocketFrame("x".repeat(17))));
        assertTrue(e.getMessage().contains("17"), e.getMessage());
        ch.writeInbound(new TextWebSocketFrame("ok"));
        assertEquals("ok", nextLine());
        assertTrue(ch.isOpen());
    }

    @Test
    void otherFramesPassOn() {
        EmbeddedChannel only = new EmbeddedChannel(new TextFrameDecoder());
        only.writeInbound(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1})));
        WebSocketFrame ping = only.readInbound();
        assertInstanceOf(PingWebSocketFrame.class, ping);
        ping.release();
        only.finishAndReleaseAll();
    }

    @Test
    void aBinaryMessageIsAnsweredWithClose1003AndNothingElse() {
        ch.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'h', 'i', '\n'})));
        CloseWebSocketFrame close = ch.readOutbound();
        assertEquals(1003, close.statusCode());
        close.release();
        assertFalse(ch.isOpen());
        assertNull(ch.readInbound(), "nothing of the binary message reaches the line stages");
        assertEquals(LeaveReason.ERROR, ch.attr(HermesAttributes.LEAVE_REASON).get());
    }

    @Test
    void aFramePastThePayloadLimitIsAnsweredWithClose1009() {
        ch = new EmbeddedChannel(
                new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(16).build()),
                new TextFrameDecoder(), new LineFrameDecoder(16));
        ch.writeInbound(maskedFrames(new TextWebSocketFrame("x".repeat(16)), new TextWebSocketFrame("y".repeat(17))));
        assertEquals("x".repeat(16), nextLine(), "a frame at the limit passes");
        CloseWebSocketFrame close = ch.readOutbound();
        assertEquals(1009, close.statusCode());
        close.release();
        assertFalse(ch.isOpen());
        assertNull(ch.readInbound());
        assertEquals(LeaveReason.ERROR, ch.attr(HermesAttributes.LEAVE_REASON).get());
        ch.checkException(); // the refusal does not reach the line stages as an error
    }

    /** The bytes a browser sends for {@code frames}: masked, as RFC 6455 requires of a client. */
    static ByteBuf maskedFrames(WebSocketFrame... frames) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
        CompositeByteBuf all = Unpooled.compositeBuffer();
        for (WebSocketFrame f : frames) {
            client.writeOutbound(f);
            ByteBuf b;
            while ((b = client.readOutbound()) != null) {
                all.addComponent(true, b);
            }
        }
        client.finishAndReleaseAll();
        return all;
    }
}
