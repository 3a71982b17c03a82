package io.hermesnet.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TextFrameEncoder}: a batch of CRLF lines becomes one text frame per line. */
class TextFrameEncoderTest {
    private final EmbeddedChannel server = new EmbeddedChannel(TextFrameEncoder.SERVER);
    private final EmbeddedChannel client = new EmbeddedChannel(TextFrameEncoder.CLIENT);
    /** What a browser does with the server's bytes: Netty's decoder of unmasked frames. */
    private final EmbeddedChannel browser = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));

    @AfterEach
    void release() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
        browser.finishAndReleaseAll();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, UTF_8);
    }

    /** The texts of the frames in the server's next outbound buffer, which must hold whole frames only. */
    private List<String> nextServerWrite() {
        ByteBuf bytes = server.readOutbound();
        browser.writeInbound(bytes);
        List<String> texts = new ArrayList<>();
        for (WebSocketFrame f; (f = browser.readInbound()) != null; ) {
            assertTrue(f instanceof TextWebSocketFrame && f.isFinalFragment(), f.toString());
            texts.add(((TextWebSocketFrame) f).text());
            f.release();
        }
        return texts;
    }

    private String nextClientFrame() {
        TextWebSocketFrame f = client.readOutbound();
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
    void aBatchOfLinesIsOneBufferOfOneFramePerLineWithoutCrLf() {
        ByteBuf batch = text("MSG 1 alice hi there\r\nCLIENTS 2\r\nJOIN 3 bob\r\n");
        server.writeAndFlush(batch, server.voidPromise());
        assertEquals(List.of("MSG 1 alice hi there", "CLIENTS 2", "JOIN 3 bob"), nextServerWrite());
        assertNull(server.readOutbound(), "one write for the batch");
        assertEquals(0, batch.refCnt());
    }

    @Test
    void linesOf126AndOf65536BytesOrMoreGetTheLongerLengthFields() {
        String medium = "m".repeat(126);
        String large = "l".repeat(70_000);
        server.writeOutbound(text("x".repeat(125) + "\r\n" + medium + "\r\n" + large + "\r\n"));
        assertEquals(List.of("x".repeat(125), medium, large), nextServerWrite());
    }

    @Test
    void utf8TextABareLineFeedAndAnUnendedTail() {
        server.writeOutbound(text("MSG 1 a grüße ✓\nMSG 2 b tail"));
        assertEquals(List.of("MSG 1 a grüße ✓", "MSG 2 b tail"), nextServerWrite());
        client.writeOutbound(text("MSG 1 a grüße ✓\nMSG 2 b tail"));
        assertEquals("MSG 1 a grüße ✓", nextClientFrame());
        assertEquals("MSG 2 b tail", nextClientFrame());
        assertNull(client.readOutbound());
    }

    @Test
    void theClientFormIsOneFrameObjectPerLineForNettysEncoderToMask() {
        ByteBuf batch = text("/nick bob\r\nhello\r\n");
        ChannelFuture f = client.writeAndFlush(batch);
        assertTrue(f.isSuccess(), "the write's promise completes when every frame is written");
        assertEquals("/nick bob", nextClientFrame());
        assertEquals("hello", nextClientFrame());
        assertNull(client.readOutbound());
        assertEquals(0, batch.refCnt(), "the batch is released once its frames are");
    }

    @Test
    void anEmptyWriteGoesOnAsItIsForItsPromise() {
        for (EmbeddedChannel ch : List.of(server, client)) {
            ChannelFuture f = ch.writeAndFlush(Unpooled.EMPTY_BUFFER);
            assertTrue(f.isSuccess());
            ByteBuf empty = ch.readOutbound();
            assertEquals(0, empty.readableBytes());
            empty.release();
            assertNull(ch.readOutbound());
        }
    }
}
