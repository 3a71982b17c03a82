package io.hermesnet.tools.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;

class LineFramerTest {

    /** Collects the lines as strings. */
    private static final class Collect extends LineFramer {
        final List<String> lines = new ArrayList<>();

        Collect(int max) {
            super(max);
        }

        @Override
        protected void onLine(byte[] buf, int from, int to) {
            lines.add(new String(buf, from, to - from, StandardCharsets.UTF_8));
        }
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void linesEndWithLfOrCrlfAndMayBeSplitAnywhere() {
        Collect c = new Collect(100);
        EmbeddedChannel ch = new EmbeddedChannel(c);

        ch.writeInbound(bytes("ID 1\r\nCLIENTS 2\nMSG 1 a he"));
        assertEquals(List.of("ID 1", "CLIENTS 2"), c.lines);
        ch.writeInbound(bytes("llo\r"));
        ch.writeInbound(bytes("\nJOIN 3 c\r\n\r\nBYE "));
        ch.writeInbound(bytes("Thank"));
        ch.writeInbound(bytes(" you\r\nRANK 0\r\n"));

        assertEquals(List.of("ID 1", "CLIENTS 2", "MSG 1 a hello", "JOIN 3 c", "", "BYE Thank you", "RANK 0"), c.lines);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void indexOfFindsTheFirstMatchInRange() {
        byte[] a = "0123456789abcdef\nxyz\n0123456789\n".getBytes(StandardCharsets.US_ASCII);
        for (int from = 0; from <= a.length; from++) {
            for (int to = from; to <= a.length; to++) {
                int expected = -1;
                for (int i = from; i < to; i++) {
                    if (a[i] == '\n') {
                        expected = i;
                        break;
                    }
                }
                assertEquals(expected, LineFramer.indexOf(a, from, to, (byte) '\n'), from + ".." + to);
            }
        }
        byte[] high = {(byte) 0x80, (byte) 0xFF, 0x0A, (byte) 0x8A, 0, 0, 0, 0, (byte) 0xFF, 0x0A};
        assertEquals(1, LineFramer.indexOf(high, 0, high.length, (byte) 0xFF));
        assertEquals(8, LineFramer.indexOf(high, 2, high.length, (byte) 0xFF));
        assertEquals(4, LineFramer.indexOf(high, 0, high.length, (byte) 0));
        assertEquals(2, LineFramer.indexOf(high, 0, high.length, (byte) '\n'));
        assertEquals(9, LineFramer.indexOf(high, 3, high.length, (byte) '\n'));
    }

    @Test
    void aPartialLineLongerThanTheLimitIsAnError() {
        Collect c = new Collect(8);
        EmbeddedChannel ch = new EmbeddedChannel(c);

        ch.writeInbound(bytes("ok\n12345"));
        assertThrows(TooLongFrameException.class, () -> ch.writeInbound(bytes("67890")));
        assertEquals(List.of("ok"), c.lines);
        ch.finishAndReleaseAll();
    }
}
