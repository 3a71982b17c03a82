package io.hermesnet.handler;

import io.hermesnet.hub.HermesHub;
import io.hermesnet.protocol.ClientCommand;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * {@code /msg <name> <text>} (docs/protocol.md §2.5): a private {@code DM <id> <name> <text>} to one
 * client, found by name ignoring case; {@code ERROR NO_SUCH_NAME} when nobody (in the sender's room,
 * with rooms on) has the name, {@code ERROR BAD_ARGS} to oneself. Turns do not apply; the rate limit
 * does, since it counts lines before they are decoded.
 */
@Sharable
public final class MsgHandler extends SimpleChannelInboundHandler<ClientCommand.Msg> {
    private final HermesHub hub;

    /** A private-line handler for the clients of {@code hub}. */
    public MsgHandler(HermesHub hub) {
        super(ClientCommand.Msg.class);
        this.hub = hub;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientCommand.Msg msg) {
        hub.directMessage(Sessions.of(ctx), msg.name(), msg.text());
    }
}
