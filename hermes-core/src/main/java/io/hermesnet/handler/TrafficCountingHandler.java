package io.hermesnet.handler;

import io.hermesnet.telemetry.HermesMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes a client's socket reads and the bytes handed to it for writing, for
 * {@link HermesMetrics#bytesIn} and {@link HermesMetrics#bytesOut}. Sits first in the pipeline (next to
 * the socket), so it sees the batches the write coalescer makes, after the slow-consumer cut: one
 * count per read loop and one per flush, not one per line, and the shared counters are touched
 * once per batch.
 *
 * <p>Not sharable: holds the channel's uncounted bytes. Event loop only.
 */
public final class TrafficCountingHandler extends ChannelDuplexHandler {
    private final HermesMetrics metrics;
    private long readBytes;
    private long writtenBytes;

    /** A counter for one channel that reports into {@code metrics}. */
    public TrafficCountingHandler(HermesMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            readBytes += buf.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        countRead();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            writtenBytes += buf.readableBytes();
        } else if (msg instanceof ByteBufHolder holder) {
            writtenBytes += holder.content().readableBytes();
        }
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        countWritten();
        ctx.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // what was read or written after the last read loop or flush (a final write the close discards
        // was still handed over)
        countRead();
        countWritten();
        ctx.fireChannelInactive();
    }

    private void countRead() {
        if (readBytes != 0) {
            metrics.bytesIn(readBytes);
            readBytes = 0;
        }
    }

    private void countWritten() {
        if (writtenBytes != 0) {
            metrics.bytesOut(writtenBytes);
            writtenBytes = 0;
        }
    }
}
