package io.hermesnet.handler;

import io.hermesnet.hub.HermesHub;
import io.hermesnet.protocol.ClientCommand;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * {@code /who} (docs/protocol.md §2): one {@code WHO <id> <name> <rank> <room> <address>} row per client in rank
 * order, then {@code END WHO <count>}.
 */
@Sharable
public final class WhoHandler extends SimpleChannelInboundHandler<ClientCommand.Who> {
    private final HermesHub hub;

    /** A who handler for the clients of {@code hub}. */
    public WhoHandler(HermesHub hub) {
        super(ClientCommand.Who.class);
        this.hub = hub;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientCommand.Who msg) {
        hub.who(Sessions.of(ctx));
    }
}
