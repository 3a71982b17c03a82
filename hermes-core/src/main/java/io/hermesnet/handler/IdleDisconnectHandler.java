package io.hermesnet.handler;

import io.hermesnet.hub.ClientConnection;
import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.hub.Session;
import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.telemetry.HermesMarkers;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Disconnects idle clients (docs/protocol.md §3.11 {@code --idle-timeout}): on a reader-idle event (from
 * {@link LineIdleStateHandler}: no complete line for the timeout) the client leaves with
 * reason {@code idle}, gets {@code BYE Idle timeout} and is closed.
 */
@Sharable
public final class IdleDisconnectHandler extends ChannelInboundHandlerAdapter {
    /** The text of the goodbye line. */
    public static final String IDLE_TIMEOUT = "Idle timeout";

    private static final Logger log = LogManager.getLogger(IdleDisconnectHandler.class);

    private final HermesHub hub;

    /** An idle handler for the clients of {@code hub}. */
    public IdleDisconnectHandler(HermesHub hub) {
        this.hub = hub;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof IdleStateEvent)) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        log.info(HermesMarkers.STATE, Sessions.event(ctx, "idle for {}, disconnecting", hub.config().idleTimeout()));
        ctx.channel().attr(HermesAttributes.LEAVE_REASON).setIfAbsent(LeaveReason.IDLE);
        Session session = Sessions.of(ctx);
        if (session != null) {
            hub.leave(session, LeaveReason.IDLE);
        }
        ClientConnection connection = ClientConnection.of(ctx.channel());
        if (connection != null) {
            connection.closeWith(new ServerEvent.Bye(IDLE_TIMEOUT));
        } else {
            ctx.close(); // never active: nothing to say
        }
    }
}
