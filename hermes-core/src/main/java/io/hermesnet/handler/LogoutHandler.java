package io.hermesnet.handler;

import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.hub.HermesHub;
import io.hermesnet.hub.Session;
import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.protocol.LeaveReason;
import io.hermesnet.protocol.ServerEvent;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * Logout (docs/protocol.md §3.8): {@code /logout}, {@code /quit}, {@code logout}, {@code exit}, {@code quit} get
 * {@code BYE Goodbye}, then the connection closes once it is flushed. The client leaves the hub
 * first, so {@code BYE} is its last line and the others see {@code LEAVE … logout} at once; in a cluster
 * {@code BYE} waits for the leave to come back from the shared log, so a client that connects after
 * it, on any server, finds the slot free.
 */
@Sharable
public final class LogoutHandler extends SimpleChannelInboundHandler<ClientCommand.Logout> {
    /** The text of the goodbye line. */
    public static final String GOODBYE = "Goodbye";

    private final HermesHub hub;

    /** A logout handler for the clients of {@code hub}. */
    public LogoutHandler(HermesHub hub) {
        super(ClientCommand.Logout.class);
        this.hub = hub;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientCommand.Logout msg) {
        ctx.channel().attr(HermesAttributes.LEAVE_REASON).set(LeaveReason.LOGOUT);
        Session s = Sessions.of(ctx);
        hub.leave(s, LeaveReason.LOGOUT, () -> s.connection().closeWith(new ServerEvent.Bye(GOODBYE)));
    }
}
