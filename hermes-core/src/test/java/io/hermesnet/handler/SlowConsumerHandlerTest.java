package io.hermesnet.handler;

import io.hermesnet.codec.WriteCoalescingHandler;
import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.protocol.LeaveReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlowConsumerHandlerTest {

    @Test
    void cutsWithSendqWhenMoreIsWrittenWhileTheQueueIsOverTheLimit() {
        // Netty counts its per-write bookkeeping (about 100 bytes) as queued too
        EmbeddedChannel ch = new EmbeddedChannel(new SlowConsumerHandler(200, 0));
        ch.write(Unpooled.wrappedBuffer(new byte[60]));
        ch.write(Unpooled.wrappedBuffer(new byte[60]));
        assertTrue(ch.isOpen(), "one 60-byte write queued when the second came: within the limit");

        ch.write(Unpooled.wrappedBuffer(new byte[1]));

        assertFalse(ch.isOpen(), "two 60-byte writes queued when the third came");
        assertEquals(LeaveReason.SENDQ, ch.attr(HermesAttributes.LEAVE_REASON).get());
        ch.finishAndReleaseAll();
    }

    @Test
    void aBatchBiggerThanTheLimitPassesWhenNothingIsQueued() {
        EmbeddedChannel ch = new EmbeddedChannel(new SlowConsumerHandler(16 * 1024, 0), new WriteCoalescingHandler());
        WriteCoalescingHandler coalescer = ch.pipeline().get(WriteCoalescingHandler.class);
        ByteBuf line = Unpooled.wrappedBuffer(new byte[1000]);
        for (int i = 0; i < 256; i++) { // a 256 KB burst: four full 64 KiB batches, each flushed at once
            coalescer.append(line);
        }
        ch.flush();

        assertTrue(ch.isOpen(), "a reader whose socket takes each batch is never cut");
        assertNull(ch.attr(HermesAttributes.LEAVE_REASON).get());
        long received = 0;
        for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) {
            received += b.readableBytes();
        }
        assertEquals(256 * 1000, received);
        line.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aReaderThatStopsReadingIsCutAtTheFirstWriteOverTheLimit() {
        EmbeddedChannel ch = new EmbeddedChannel(new SlowConsumerHandler(16 * 1024, 0), new WriteCoalescingHandler());
        // written, never flushed: queued, as for a socket that takes nothing
        int writes = 0;
        while (ch.unsafe().outboundBuffer().totalPendingWriteBytes() <= 16 * 1024) {
            ch.write(Unpooled.wrappedBuffer(new byte[1000]));
            writes++;
            assertTrue(ch.isOpen(), "cut at write " + writes + ", queue within the limit before it");
        }
        ch.write(Unpooled.wrappedBuffer(new byte[1000]));

        assertFalse(ch.isOpen(), "more written while over the limit");
        assertEquals(LeaveReason.SENDQ, ch.attr(HermesAttributes.LEAVE_REASON).get());
        ch.finishAndReleaseAll();
    }

    @Test
    void flushedBytesDoNotCountAgainstTheLimit() {
        EmbeddedChannel ch = new EmbeddedChannel(new SlowConsumerHandler(100, 0));
        for (int i = 0; i < 10; i++) {
            ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[60]));
        }
        assertTrue(ch.isOpen(), "a reader that keeps up is never cut");
        assertNull(ch.attr(HermesAttributes.LEAVE_REASON).get());
        ch.finishAndReleaseAll();
    }

    @Test
    void cutsWithSendqWhenUnwritableForTheWriteTimeout() {
        EmbeddedChannel ch = unwritableAfterQueueing(new SlowConsumerHandler(1 << 20, TimeUnit.SECONDS.toNanos(10)));

        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen(), "cut before the deadline");

        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen());
        assertEquals(LeaveReason.SENDQ, ch.attr(HermesAttributes.LEAVE_REASON).get());
        ch.finishAndReleaseAll();
    }

    @Test
    void aChannelThatDrainsBeforeTheDeadlineStays() {
        EmbeddedChannel ch = unwritableAfterQueueing(new SlowConsumerHandler(1 << 20, TimeUnit.SECONDS.toNanos(10)));
        ch.flush();
        ch.runPendingTasks();
        assertTrue(ch.isWritable());

        ch.advanceTimeBy(20, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    private static EmbeddedChannel unwritableAfterQueueing(SlowConsumerHandler handler) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime(); // before the handler can schedule its deadline
        ch.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8, 16));
        ch.pipeline().addLast(handler);
        ch.write(Unpooled.wrappedBuffer(new byte[32]));
        ch.runPendingTasks();
        assertFalse(ch.isWritable(), "32 queued bytes are above the 16-byte high water mark");
        return ch;
    }
}
