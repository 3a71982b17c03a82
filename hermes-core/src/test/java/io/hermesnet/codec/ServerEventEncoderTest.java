package io.hermesnet.codec;

import io.hermesnet.protocol.ErrorCode;
import io.hermesnet.protocol.ServerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link ServerEventEncoder} and {@link LineEncoding}: UTF-8 lines ending in CRLF (docs/protocol.md §2 Framing). */
class ServerEventEncoderTest {
    private final EmbeddedChannel ch = new EmbeddedChannel(ServerEventEncoder.INSTANCE);

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    private String written() {
        ByteBuf buf = ch.readOutbound();
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    @Test
    void eventBecomesOneCrlfLine() {
        ch.writeOutbound(new ServerEvent.Msg(2, "bob", "héllo ☃"));
        ch.writeOutbound(new ServerEvent.IdTick(4_294_967_295L));
        ch.writeOutbound(new ServerEvent.Error(ErrorCode.FULL, "server is full (6/6)"));
        assertEquals("MSG 2 bob héllo ☃\r\n", written());
        assertEquals("ID 4294967295\r\n", written());
        assertEquals("ERROR FULL server is full (6/6)\r\n", written());
        assertNull(ch.readOutbound());
    }

    @Test
    void alreadyEncodedBuffersPassThroughUntouched() {
        ByteBuf line = Unpooled.copiedBuffer("JOIN 1 a\r\n", StandardCharsets.UTF_8);
        ch.writeOutbound(line);
        ByteBuf out = ch.readOutbound();
        try {
            assertSame(line, out);
            assertEquals("JOIN 1 a\r\n", out.toString(StandardCharsets.UTF_8));
        } finally {
            out.release();
        }
    }

    @Test
    void lineEncodingEncodesOnceWithCrlf() {
        ByteBuf a = LineEncoding.encode(ByteBufAllocator.DEFAULT, new ServerEvent.Bye("Goodbye"));
        ByteBuf b = LineEncoding.encode(ByteBufAllocator.DEFAULT, "plain ☃");
        ByteBuf c = Unpooled.buffer(1);
        try {
            assertEquals("BYE Goodbye\r\n", a.toString(StandardCharsets.UTF_8));
            assertEquals("plain ☃\r\n", b.toString(StandardCharsets.UTF_8));
            LineEncoding.encodeTo(new ServerEvent.Turn(true), c);
            LineEncoding.encodeTo(new ServerEvent.Echo(""), c);
            assertEquals("TURN WRITE\r\nECHO\r\n", c.toString(StandardCharsets.UTF_8));
        } finally {
            a.release();
            b.release();
            c.release();
        }
    }
}
