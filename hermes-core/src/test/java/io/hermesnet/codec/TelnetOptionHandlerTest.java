package io.hermesnet.codec;

import io.hermesnet.protocol.ClientCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TelnetOptionHandler}: docs/protocol.md §2.2, byte by byte. */
class TelnetOptionHandlerTest {
    private static final int IAC = 255, DO = 253, DONT = 254, WILL = 251, WONT = 252, SB = 250, SE = 240;
    private static final int IP = 244, BRK = 243, TM = 6, ECHO = 1, SGA = 3, NAWS = 31;

    private final EmbeddedChannel ch = new EmbeddedChannel(new TelnetOptionHandler());

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    private static ByteBuf bytes(int... b) {
        ByteBuf buf = Unpooled.buffer(b.length);
        for (int x : b) {
            buf.writeByte(x);
        }
        return buf;
    }

    private String inboundText() {
        StringBuilder sb = new StringBuilder();
        for (Object m; (m = ch.readInbound()) != null; ) {
            ByteBuf buf = (ByteBuf) m;
            sb.append(buf.toString(StandardCharsets.ISO_8859_1));
            buf.release();
        }
        return sb.toString();
    }

    private String outboundHex() {
        StringBuilder sb = new StringBuilder();
        for (Object m; (m = ch.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) m;
            sb.append(ByteBufUtil.hexDump(buf));
            buf.release();
        }
        return sb.toString();
    }

    @Test
    void inputWithoutIacPassesOnUntouchedAndIsNeverAnswered() {
        ByteBuf in = Unpooled.copiedBuffer("hello\r\n", StandardCharsets.UTF_8);
        ch.writeInbound(in);
        Object out = ch.readInbound();
        assertSame(in, out, "the same buffer, not a copy");
        ((ByteBuf) out).release();
        assertNull(ch.readOutbound());
    }

    @Test
    void doIsAnsweredWontAndWillDontEachOptionOnce() {
        ch.writeInbound(bytes(IAC, DO, ECHO, IAC, WILL, NAWS, 'h', 'i', IAC, DO, SGA));
        assertEquals("hi", inboundText());
        assertEquals("fffc01" + "fffe1f" + "fffc03", outboundHex());
        ch.writeInbound(bytes(IAC, DO, ECHO, IAC, WILL, NAWS, IAC, DONT, ECHO, IAC, WONT, NAWS));
        assertEquals("", outboundHex(), "answered once per option; refusals need no answer");
    }

    @Test
    void sequencesSplitAcrossReadsAndSubnegotiationAreRemoved() {
        ch.writeInbound(bytes('a', IAC));
        ch.writeInbound(bytes(DO));
        ch.writeInbound(bytes(ECHO, 'b', IAC, SB, NAWS, 0, 80, IAC));
        ch.writeInbound(bytes(SE, 'c', IAC, IAC, 'd'));
        assertEquals("abcd", inboundText());
        assertEquals("fffc01", outboundHex());
    }

    @Test
    void interruptOrBreakIsALogoutAndTheTimingMarkIsAnsweredFirst() {
        // telnet's Ctrl-C: IAC IP IAC DO TIMING-MARK, no line end
        ch.writeInbound(bytes('x', IAC, IP, IAC, DO, TM));
        assertEquals("fffc06", outboundHex(), "the timing mark's answer is written at once");
        ByteBuf data = ch.readInbound();
        assertEquals("x", data.toString(StandardCharsets.ISO_8859_1));
        data.release();
        assertTrue(ch.readInbound() instanceof ClientCommand.Logout, "then the logout");
        EmbeddedChannel other = new EmbeddedChannel(new TelnetOptionHandler());
        other.writeInbound(bytes(IAC, BRK));
        assertTrue(other.readInbound() instanceof ClientCommand.Logout);
        assertFalse(other.finishAndReleaseAll());
    }
}
