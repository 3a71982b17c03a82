package io.hermesnet.handler;

import io.hermesnet.hub.HermesHub;
import io.hermesnet.protocol.ClientCommand;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * {@code /rank} (docs/protocol.md §2): answers {@code RANK <rank>}. Rank changes themselves are pushed by the
 * hub when someone above leaves (docs/protocol.md §3.5).
 */
@Sharable
public final class RankHandler extends SimpleChannelInboundHandler<ClientCommand.RankQuery> {
    private final HermesHub hub;

    /** A rank handler for the clients of {@code hub}. */
    public RankHandler(HermesHub hub) {
        super(ClientCommand.RankQuery.class);
        this.hub = hub;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientCommand.RankQuery msg) {
        hub.rank(Sessions.of(ctx));
    }
}
