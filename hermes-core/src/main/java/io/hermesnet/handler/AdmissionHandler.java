package io.hermesnet.handler;

import io.hermesnet.codec.ProtocolException;
import io.hermesnet.hub.ClientConnection;
import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.hub.Session;
import io.hermesnet.protocol.LeaveReason;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;

/**
 * Admission and departure (docs/protocol.md §3.1, §3.3): on {@code channelActive} the client joins the
 * {@link HermesHub}, which sends {@code WELCOME}, {@code JOIN}, {@code CLIENTS} and room lines; a
 * refused client gets {@code ERROR FULL <why>} and is closed. Only admitted channels pass
 * {@code channelActive} on, and only clients that have not begun to leave (nor been sent a shutdown's
 * {@code BYE}) pass their commands and codec refusals on, so every handler after this one has a
 * session and nothing is answered after a {@code BYE}. On
 * {@code channelInactive} the client leaves with the reason in {@link HermesAttributes#LEAVE_REASON}.
 *
 * <p>Half-close (docs/protocol.md §2.3): on a channel with {@code ALLOW_HALF_CLOSURE}, the client's end
 * of input ({@link ChannelInputShutdownEvent}) comes after every line read before it was handled, so
 * their answers are already written: they are flushed, and the connection is closed once they are on
 * the wire (reason {@code closed}).
 *
 * <p>{@link Sharable}: all state is in the hub and the channel's attributes.
 */
@Sharable
public final class AdmissionHandler extends ChannelInboundHandlerAdapter {
    private final HermesHub hub;

    /** An admission handler for the clients of {@code hub}. */
    public AdmissionHandler(HermesHub hub) {
        this.hub = hub;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ClientConnection connection = hub.attach(ctx.channel());
        if (!hub.stateLog().appliesInline()) {
            // admitted only when the join comes back from the log: nothing is read before WELCOME
            ctx.channel().config().setAutoRead(false);
            hub.join(connection, () -> {
                ctx.channel().config().setAutoRead(true);
                ctx.fireChannelActive();
            });
        } else {
            hub.join(connection, ctx::fireChannelActive);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (pastLastLine(ctx)) {
            // a refused client's input while its ERROR FULL flushes, or a leaving client's input after
            // its BYE (logout, idle, shutdown): nothing may be answered after the last line
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if ((cause instanceof ProtocolException || cause instanceof TooLongFrameException) && pastLastLine(ctx)) {
            return; // a codec refusal would be answered with an ERROR line after the last line
        }
        ctx.fireExceptionCaught(cause);
    }

    /** Whether the channel has been sent, or is being sent, its last line. */
    private boolean pastLastLine(ChannelHandlerContext ctx) {
        Session session = Sessions.of(ctx);
        return session == null || !session.isJoined() || hub.isClosing() || session.connection().isClosing();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.channel().attr(HermesAttributes.LEAVE_REASON).setIfAbsent(LeaveReason.CLOSED);
            ClientConnection connection = ClientConnection.of(ctx.channel());
            if (connection != null) {
                connection.closeWith(null); // what was answered goes out, then the close
            } else {
                ctx.close();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Session session = Sessions.of(ctx);
        if (session != null) {
            LeaveReason reason = ctx.channel().attr(HermesAttributes.LEAVE_REASON).get();
            hub.leave(session, reason != null ? reason : LeaveReason.CLOSED);
            ctx.fireChannelInactive();
        }
    }
}
