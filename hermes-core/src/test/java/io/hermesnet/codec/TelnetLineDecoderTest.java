package io.hermesnet.codec;

import io.hermesnet.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link TelnetLineDecoder}: frame → String, telnet IAC sequences removed, strict UTF-8 (docs/protocol.md §2, §3.11). */
class TelnetLineDecoderTest {
    private static final int IAC = 255;
    private static final int WILL = 251;
    private static final int WONT = 252;
    private static final int DO = 253;
    private static final int DONT = 254;
    private static final int SB = 250;
    private static final int SE = 240;
    private static final int NOP = 241;
    private static final int AYT = 246;
    private static final int ECHO_OPTION = 1;
    private static final int TERMINAL_TYPE = 24;

    private final EmbeddedChannel ch = new EmbeddedChannel(TelnetLineDecoder.INSTANCE);

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    private static byte[] bytes(Object... parts) {
        ByteBuf b = Unpooled.buffer();
        for (Object p : parts) {
            if (p instanceof String s) {
                b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else {
                b.writeByte((Integer) p);
            }
        }
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    private String decode(byte[] frame) {
        ch.writeInbound(Unpooled.wrappedBuffer(frame));
        String line = ch.readInbound();
        assertNull(ch.readInbound());
        return line;
    }

    private ProtocolException refused(byte[] frame) {
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        ProtocolException e = assertThrows(ProtocolException.class, () -> ch.writeInbound(buf));
        assertEquals(0, buf.refCnt(), "the refused frame is released");
        assertNull(ch.readInbound(), "a refused line goes no further");
        return e;
    }

    @Test
    void plainLine() {
        assertEquals("hello world", decode(bytes("hello world")));
        assertEquals("", decode(bytes("")));
    }

    @Test
    void validMultiByteTextPasses() {
        String text = "héllo ☃ 日本語 😀 \u0080-free";
        assertEquals(text, decode(bytes(text)));
    }

    @Test
    void negotiationsAreRemoved() {
        assertEquals("hi", decode(bytes(IAC, WILL, ECHO_OPTION, "hi")));
        assertEquals("hi", decode(bytes("h", IAC, DO, TERMINAL_TYPE, "i")));
        assertEquals("hi", decode(bytes("hi", IAC, WONT, ECHO_OPTION, IAC, DONT, ECHO_OPTION)));
        assertEquals("", decode(bytes(IAC, DO, 3, IAC, WILL, 31, IAC, WILL, 32)));
    }

    @Test
    void subnegotiationIsRemovedUpToIacSe() {
        assertEquals("ab", decode(bytes("a", IAC, SB, TERMINAL_TYPE, 0, "xterm", IAC, SE, "b")));
        assertEquals("a", decode(bytes("a", IAC, SB, TERMINAL_TYPE, 0, "xterm")), "unterminated: the rest goes");
    }

    @Test
    void twoByteCommandsAreRemoved() {
        assertEquals("ab", decode(bytes("a", IAC, NOP, "b")));
        assertEquals("ab", decode(bytes("a", IAC, AYT, "b")));
    }

    @Test
    void escapedIacDataByteIsRemoved() {
        assertEquals("ab", decode(bytes("a", IAC, IAC, "b")));
    }

    @Test
    void loneTrailingIacIsRemoved() {
        assertEquals("ab", decode(bytes("ab", IAC)));
        assertEquals("ab", decode(bytes("ab", IAC, WILL)));
        assertEquals("", decode(bytes(IAC)));
    }

    @Test
    void iacRemovalKeepsMultiByteText() {
        assertEquals("☃x", decode(bytes("☃", IAC, WILL, ECHO_OPTION, "x")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "80",           // lone continuation byte
        "61bf62",       // continuation byte inside ASCII
        "c080",         // overlong NUL
        "c1bf",         // overlong
        "e08080",       // overlong 3-byte
        "f0808080",     // overlong 4-byte
        "eda080",       // UTF-16 surrogate D800
        "edbfbf",       // surrogate DFFF
        "f4908080",     // above U+10FFFF
        "f5808080",     // invalid lead byte
        "fe",           // never valid
        "c3",           // truncated 2-byte sequence at the end
        "e298",         // truncated 3-byte sequence at the end
        "f09f98",       // truncated 4-byte sequence at the end
        "e29861",       // truncated sequence followed by ASCII
        "c328"          // lead byte followed by a non-continuation
    })
    void invalidUtf8IsRefusedWithBadEncoding(String hex) {
        ProtocolException e = refused(HexFormat.of().parseHex(hex));
        assertEquals(ErrorCode.BAD_ENCODING, e.code());
    }

    @Test
    void invalidUtf8AfterIacRemovalIsRefused() {
        assertEquals(ErrorCode.BAD_ENCODING, refused(bytes("a", IAC, WILL, 1, 0xc0, 0x80)).code());
    }

    @Test
    void staticDecodeDoesNotReleaseTheFrame() {
        ByteBuf frame = Unpooled.copiedBuffer("abc", StandardCharsets.UTF_8);
        try {
            assertEquals("abc", TelnetLineDecoder.decodeLine(frame));
            assertEquals(1, frame.refCnt());
        } finally {
            frame.release();
        }
    }
}
