package io.hermesnet.codec;

import io.hermesnet.hub.TestClient;
import io.hermesnet.hub.TestClients;
import io.hermesnet.server.HermesPipeline;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.LineBasedFrameDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The framing stages exactly as {@link HermesPipeline} configures them (docs/protocol.md §2 Framing, §3.11):
 * LF and CRLF, partial frames, {@code --max-line} in bytes with one {@code ERROR LINE_TOO_LONG} per
 * over-long line and bounded memory, {@code ERROR BAD_ENCODING}. Chat comes back as {@code ECHO}.
 */
class LineFramingTest {
    private static final int MAX_LINE = 16;
    private static final String TOO_LONG = "ERROR LINE_TOO_LONG line longer than the limit was discarded";

    private final TestClients clients = new TestClients(TestClients.quietConfig().echo(true).maxLineBytes(MAX_LINE).build());
    private final TestClient a = clients.connect();

    LineFramingTest() {
        a.lines();
    }

    @AfterEach
    void release() {
        clients.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void frameDecoderIsNettysLineBasedFrameDecoder() {
        assertInstanceOf(LineBasedFrameDecoder.class, a.channel().pipeline().get(HermesPipeline.FRAME_DECODER));
    }

    @Test
    void lfAndCrlfBothEndALine() {
        a.sendBytes(utf8("one\ntwo\r\nthree\n"));
        assertEquals(List.of("ECHO one", "ECHO two", "ECHO three"), a.lines());
    }

    @Test
    void partialFramesAcrossWrites() {
        a.sendBytes(utf8("hel"), utf8("lo wo"), utf8("rld"));
        assertEquals(List.of(), a.lines(), "no line before its terminator");
        a.sendBytes(utf8("\r"));
        assertEquals(List.of(), a.lines());
        a.sendBytes(utf8("\nnext"));
        assertEquals(List.of("ECHO hello world"), a.lines());
        a.sendBytes(utf8("\n"));
        assertEquals(List.of("ECHO next"), a.lines());
    }

    @Test
    void multiByteCharacterSplitAcrossWrites() {
        byte[] snowman = utf8("☃");
        a.sendBytes(new byte[] {snowman[0]}, new byte[] {snowman[1]}, new byte[] {snowman[2], '\n'});
        assertEquals(List.of("ECHO ☃"), a.lines());
    }

    @Test
    void lineOfExactlyMaxBytesIsAccepted() {
        String max = "x".repeat(MAX_LINE);
        a.sendBytes(utf8(max + "\n" + max + "\r\n"));
        assertEquals(List.of("ECHO " + max, "ECHO " + max), a.lines());
    }

    @Test
    void oneByteOverTheLimitIsRefusedOnceAndTheNextLineWorks() {
        a.sendBytes(utf8("x".repeat(MAX_LINE + 1) + "\nok\n"));
        assertEquals(List.of(TOO_LONG, "ECHO ok"), a.lines());
        a.sendBytes(utf8("y".repeat(MAX_LINE + 1) + "\r\nok2\r\n"));
        assertEquals(List.of(TOO_LONG, "ECHO ok2"), a.lines());
        assertTrue(a.isOpen());
    }

    @Test
    void limitCountsBytesNotCharacters() {
        String nine = "☃☃☃☃☃☃"; // 6 characters, 18 bytes
        a.sendBytes(utf8(nine + "\n"));
        assertEquals(List.of(TOO_LONG), a.lines());
    }

    @Test
    void overLongLineIsNotRelayed() {
        TestClient b = clients.connect();
        a.lines();
        b.lines();
        a.sendBytes(utf8("z".repeat(100) + "\n"));
        assertEquals(List.of(), b.lines());
    }

    @Test
    void veryLongLineInManyChunksGetsOneErrorAndBoundedMemory() {
        ByteToMessageDecoder frames = (ByteToMessageDecoder) a.channel().pipeline().get(HermesPipeline.FRAME_DECODER);
        int[] largest = {0};
        frames.setCumulator((alloc, cumulation, in) -> {
            ByteBuf merged = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, cumulation, in);
            largest[0] = Math.max(largest[0], merged.readableBytes());
            return merged;
        });
        int chunk = 1000;
        byte[] filler = new byte[chunk];
        Arrays.fill(filler, (byte) 'a');
        for (int i = 0; i < 2000; i++) { // 2 MB of one line
            a.sendBytes(filler);
        }
        a.sendBytes(utf8("tail\nafter\n"));
        assertEquals(List.of(TOO_LONG, "ECHO after"), a.lines());
        assertTrue(largest[0] <= MAX_LINE + chunk + 1,
                "the frame decoder held " + largest[0] + " bytes of a line it discards");
    }

    @Test
    void invalidUtf8GetsBadEncodingIsNotRelayedAndTheConnectionStays() {
        TestClient b = clients.connect();
        a.lines();
        b.lines();
        a.sendBytes(new byte[] {'a', (byte) 0xc0, (byte) 0x80, '\n'});
        assertEquals(List.of("ERROR BAD_ENCODING line is not valid UTF-8 and was dropped"), a.lines());
        assertEquals(List.of(), b.lines());
        a.sendBytes(utf8("fine\n"));
        assertEquals(List.of("ECHO fine"), a.lines());
        assertEquals(List.of("MSG 1 client1 fine"), b.lines());
    }

    @Test
    void telnetNegotiationIsNeverRelayed() {
        TestClient b = clients.connect();
        a.lines();
        b.lines();
        a.sendBytes(new byte[] {(byte) 255, (byte) 253, 1, (byte) 255, (byte) 251, 3, '\r', '\n'});
        assertEquals(List.of(), b.lines(), "a line of only negotiation is empty and ignored");
        a.sendBytes(new byte[] {(byte) 255, (byte) 251, 1, 'h', 'i', '\n'});
        assertEquals(List.of("MSG 1 client1 hi"), b.lines());
    }
}
