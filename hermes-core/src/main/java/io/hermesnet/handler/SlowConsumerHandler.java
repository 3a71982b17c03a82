package io.hermesnet.handler;

import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.server.HermesAttributes;
import io.hermesnet.server.HermesMarkers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cuts slow consumers (SPEC §3.11): a client whose queued outbound bytes would exceed
 * {@code maxPendingBytes}, or whose channel stays unwritable (above the high water mark) for
 * {@code writeTimeout}, is closed with reason {@code sendq}. What one slow peer can pin in memory is
 * thereby bounded, and its backlog never delays the others: their writes go to their own channels.
 *
 * <p>Sits first in the pipeline, so it sees every encoded buffer on its way to the socket. Not
 * sharable: holds the channel's write deadline; runs on the channel's event loop.
 */
public final class SlowConsumerHandler extends ChannelDuplexHandler {
    private static final Logger log = LogManager.getLogger(SlowConsumerHandler.class);

    private final long maxPendingBytes;
    private final long writeTimeoutNanos;
    private ScheduledFuture<?> deadline;
    private boolean cut;

    /**
     * @param maxPendingBytes most outbound bytes queued for the channel, at least 1
     * @param writeTimeoutNanos longest the channel may stay unwritable, in nanoseconds; 0 disables
     */
    public SlowConsumerHandler(long maxPendingBytes, long writeTimeoutNanos) {
        this.maxPendingBytes = maxPendingBytes;
        this.writeTimeoutNanos = writeTimeoutNanos;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (cut) {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new ClosedChannelException());
            return;
        }
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        long pending = out == null ? 0 : out.totalPendingWriteBytes();
        if (pending + sizeOf(msg) > maxPendingBytes) {
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new ClosedChannelException());
            cut(ctx, pending + " bytes queued, limit " + maxPendingBytes);
            return;
        }
        ctx.write(msg, promise);
    }

    private static long sizeOf(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        return msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            cancelDeadline();
        } else if (writeTimeoutNanos > 0 && deadline == null) {
            deadline = ctx.executor().schedule(() -> {
                deadline = null;
                if (!ctx.channel().isWritable()) {
                    cut(ctx, "unwritable for " + TimeUnit.NANOSECONDS.toMillis(writeTimeoutNanos) + " ms");
                }
            }, writeTimeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        ctx.fireChannelInactive();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void cut(ChannelHandlerContext ctx, String why) {
        if (cut) {
            return;
        }
        cut = true;
        ctx.channel().attr(HermesAttributes.LEAVE_REASON).setIfAbsent(LeaveReason.SENDQ);
        log.info(HermesMarkers.STATE, "{}: slow consumer cut ({})", Sessions.describe(ctx), why);
        ctx.close();
    }
}
