package io.hermesnet.handler;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The idle clock of docs/protocol.md §3.11 {@code --idle-timeout}: fires Netty's reader-idle
 * {@link IdleStateEvent} when no complete line has arrived for the timeout, so a client that trickles
 * bytes without ever ending a line is idle. Sits right after the frame decoder, so it sees frames, not
 * bytes; an over-long line counts as a line when the decoder reports it ({@link TooLongFrameException}):
 * its sender is talking, too much, and gets {@code ERROR LINE_TOO_LONG}, not {@code BYE Idle timeout}; the
 * rest of that line, however slow, does not count again.
 *
 * <p>Why not Netty's {@link io.netty.handler.timeout.IdleStateHandler} at this place: it is an outbound
 * handler too, and an outbound handler behind the write coalescer takes the fan-out off its fast path
 * (the coalescer is appended to directly only when no outbound handler follows it). This handler is
 * inbound only and fires the same events, {@link IdleStateEvent#FIRST_READER_IDLE_STATE_EVENT} first, then
 * {@link IdleStateEvent#READER_IDLE_STATE_EVENT} each further timeout without a line.
 *
 * <p>Not sharable: holds the channel's clock. Runs on the channel's event loop; its time is the loop's
 * {@code ticker()}, the one {@code EmbeddedChannel.advanceTimeBy} moves.
 */
public final class LineIdleStateHandler extends ChannelInboundHandlerAdapter {
    private final long timeoutNanos;
    private long lastLineNanos;
    private boolean first = true;
    private boolean stopped;
    private ScheduledFuture<?> check;

    /** @param timeoutNanos how long without a complete line makes a client idle, in ns; more than 0 */
    public LineIdleStateHandler(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos must be more than 0: " + timeoutNanos);
        }
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lineReceived(ctx);
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            lineReceived(ctx);
        }
        ctx.fireExceptionCaught(cause);
    }

    private void lineReceived(ChannelHandlerContext ctx) {
        lastLineNanos = now(ctx);
        first = true;
    }

    private void start(ChannelHandlerContext ctx) {
        if (check != null || stopped) {
            return;
        }
        lastLineNanos = now(ctx);
        check = ctx.executor().schedule(() -> check(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void stop() {
        if (check != null) {
            check.cancel(false);
        }
        stopped = true; // a closed channel or a removed handler is not watched again
    }

    /** Fires the event if the timeout has passed since the last line, and schedules the next check. */
    private void check(ChannelHandlerContext ctx) {
        if (stopped || !ctx.channel().isOpen()) {
            return;
        }
        long next = timeoutNanos - (now(ctx) - lastLineNanos);
        if (next <= 0) {
            next = timeoutNanos;
            lastLineNanos = now(ctx); // the next event, if any, one timeout later
            IdleStateEvent event = first ? IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT : IdleStateEvent.READER_IDLE_STATE_EVENT;
            first = false;
            check = ctx.executor().schedule(() -> check(ctx), next, TimeUnit.NANOSECONDS);
            ctx.fireUserEventTriggered(event);
            return;
        }
        check = ctx.executor().schedule(() -> check(ctx), next, TimeUnit.NANOSECONDS);
    }

    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor().ticker().nanoTime();
    }
}
