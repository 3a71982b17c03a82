package io.hermesnet.handler;

import io.hermesnet.hub.ClientConnection;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.hub.Session;
import io.hermesnet.protocol.ServerEvent;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ID} ticker (docs/protocol.md §3.2): every {@code tickInterval}, starting one interval after
 * {@code WELCOME}, the client gets {@code ID <n>} with the next value of the hub's server-wide counter.
 * A client whose outbound buffer is not writable skips the tick instead of queueing it; so does one
 * that is leaving, or every client once a shutdown has begun.
 *
 * <p>Not sharable: holds the channel's timer, which runs on the channel's event loop and is cancelled
 * in {@code channelInactive}.
 */
public final class IdTickerHandler extends ChannelInboundHandlerAdapter {
    private final HermesHub hub;
    private ScheduledFuture<?> timer;

    /** A ticker for one channel of {@code hub}. */
    public IdTickerHandler(HermesHub hub) {
        this.hub = hub;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        long periodNanos = hub.config().tickInterval().toNanos();
        if (periodNanos > 0) {
            Session session = Sessions.of(ctx);
            timer = ctx.executor().scheduleAtFixedRate(() -> tick(session), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelActive();
    }

    private void tick(Session session) {
        ClientConnection c = session.connection();
        if (c.channel().isWritable() && session.isJoined() && !hub.isClosing()) {
            c.send(new ServerEvent.IdTick(hub.nextTick()));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
