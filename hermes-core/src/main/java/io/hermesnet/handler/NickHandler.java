package io.hermesnet.handler;

import io.hermesnet.hub.HermesHub;
import io.hermesnet.protocol.ClientCommand;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * {@code /nick <name>} (docs/protocol.md §2): {@code NAME} to the client, {@code RENAME} to the others, or
 * {@code ERROR NAME_TAKEN}. Malformed and reserved names never get here: the parser answers them
 * with {@code ERROR BAD_ARGS}.
 */
@Sharable
public final class NickHandler extends SimpleChannelInboundHandler<ClientCommand.Nick> {
    private final HermesHub hub;

    /** A nick handler for the clients of {@code hub}. */
    public NickHandler(HermesHub hub) {
        super(ClientCommand.Nick.class);
        this.hub = hub;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientCommand.Nick msg) {
        hub.rename(Sessions.of(ctx), msg.name());
    }
}
