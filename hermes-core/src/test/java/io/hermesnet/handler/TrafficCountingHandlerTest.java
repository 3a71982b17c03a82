package io.hermesnet.handler;

import io.hermesnet.telemetry.HermesCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link TrafficCountingHandler}: bytes in per read loop, bytes out per flush. */
class TrafficCountingHandlerTest {
    private final HermesCounters counters = new HermesCounters();
    private final EmbeddedChannel ch = new EmbeddedChannel(new TrafficCountingHandler(counters));

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void readBytesAreCountedWhenTheReadLoopCompletes() {
        ch.writeOneInbound(bytes("hello\n"));
        ch.writeOneInbound(bytes("hi\r\n"));
        assertEquals(0, counters.bytesIn(), "counted once per read loop, not per buffer");
        ch.pipeline().fireChannelReadComplete();
        assertEquals(10, counters.bytesIn());
        ch.releaseInbound();
        ch.finishAndReleaseAll();
    }

    @Test
    void writtenBytesAreCountedWhenFlushed() {
        ch.write(bytes("MSG 1 a hi\r\n"));
        ch.write(bytes("ID 7\r\n"));
        assertEquals(0, counters.bytesOut(), "nothing counted before the flush");
        ch.flush();
        assertEquals(18, counters.bytesOut());
        ch.writeAndFlush(bytes("BYE Goodbye\r\n"));
        assertEquals(31, counters.bytesOut());
        ch.finishAndReleaseAll();
    }

    @Test
    void bytesNotYetCountedAreCountedWhenTheChannelCloses() {
        ch.writeOneInbound(bytes("partial"));
        ch.write(bytes("ERROR FULL x\r\n"));
        ch.close();
        assertEquals(7, counters.bytesIn());
        assertEquals(14, counters.bytesOut());
        ch.finishAndReleaseAll();
    }
}
