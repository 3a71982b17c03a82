package io.hermesnet.handler;

import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.telemetry.HermesMarkers;
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
 * Cuts slow consumers (docs/server.md, {@code --max-pending} and {@code --write-timeout}): a client that still has more than
 * {@code maxPendingBytes} queued, not yet taken by its socket, when more is written to it, or whose
 * channel stays unwritable (above the high water mark) for {@code writeTimeout}, is closed with reason
 * {@code sendq}. What one slow peer can pin in memory is thereby bounded by {@code maxPendingBytes} plus
 * one write (a batch of at most {@link io.hermesnet.codec.WriteCoalescingHandler#DEFAULT_MAX_BATCH_BYTES} from the
 * coalescer), and its backlog never delays the others: their writes go to their own channels.
 *
 * <p>Why the write being made does not count: it is what the server has batched and is about to hand
 * to the socket, not what the client has failed to read. Counting it cut a reader that kept up as soon
 * as a burst filled one 64 KiB batch with {@code --max-pending 64KiB} or less (issue #12).
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
     * @param maxPendingBytes most outbound bytes the channel may have queued when more is written, at least 1
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
        if (pending > maxPendingBytes) { // the bytes already queued, not msg: see the class comment
            ReferenceCountUtil.release(msg);
            promise.tryFailure(new ClosedChannelException());
            cut(ctx, pending + " bytes queued, limit " + maxPendingBytes);
            return;
        }
        ctx.write(msg, promise);
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
        log.info(HermesMarkers.STATE, Sessions.event(ctx, "slow consumer cut ({})", why));
        ctx.close();
    }
}
