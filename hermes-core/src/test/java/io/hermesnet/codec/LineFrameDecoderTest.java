package io.hermesnet.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LineFrameDecoderTest {

    @Test
    void aLineOfExactlyTheLimitPassesWhenItsCrAndLfArriveApart() {
        EmbeddedChannel ch = new EmbeddedChannel(new LineFrameDecoder(4));
        ch.writeInbound(bytes("abcd\r"));
        assertNull(ch.readInbound(), "no frame before the LF");
        ch.writeInbound(bytes("\nef\n"));
        assertEquals("abcd", readFrame(ch));
        assertEquals("ef", readFrame(ch));
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void aLineOneByteOverTheLimitIsRefusedOnceWhateverTheSplit() {
        for (int cut = 0; cut <= 7; cut++) {
            String in = "abcde\r\nok\n";
            EmbeddedChannel ch = new EmbeddedChannel(new LineFrameDecoder(4));
            int refusals = 0;
            for (String part : new String[] {in.substring(0, cut), in.substring(cut)}) {
                try {
                    ch.writeInbound(bytes(part));
                } catch (TooLongFrameException e) {
                    refusals++;
                }
            }
            assertEquals(1, refusals, "split at " + cut);
            assertEquals("ok", readFrame(ch), "the connection stays usable, split at " + cut);
            assertNull(ch.readInbound());
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void anEndlessLineIsRefusedAtOnceAndNotBuffered() {
        EmbeddedChannel ch = new EmbeddedChannel(new LineFrameDecoder(8));
        assertThrows(TooLongFrameException.class, () -> ch.writeInbound(bytes("0123456789")));
        for (int i = 0; i < 100; i++) {
            ch.writeInbound(bytes("x".repeat(1000))); // discarded: no second refusal, nothing kept
        }
        ch.writeInbound(bytes("tail\nnext\n"));
        assertEquals("next", readFrame(ch));
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    private static ByteBuf bytes(String s) {
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
}
