package io.hermesnet.client;

import io.hermesnet.protocol.ServerEvent;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Keeps the channel's {@link ClientState} (under {@link ClientState#KEY}) up to date with every
 * {@link ServerEvent} that passes, then passes the event on unchanged. The state is created when the
 * handler is added, so it exists before the first line arrives.
 *
 * <p>Stateless itself (the state lives in the channel attribute) and {@link Sharable}; runs on the
 * channel's event loop.
 */
@Sharable
public final class ClientStateHandler extends ChannelInboundHandlerAdapter {
    /** The shared instance. */
    public static final ClientStateHandler INSTANCE = new ClientStateHandler();

    private ClientStateHandler() {
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().attr(ClientState.KEY).setIfAbsent(new ClientState());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ServerEvent event) {
            ClientState state = ctx.channel().attr(ClientState.KEY).get();
            if (state != null) {
                state.apply(event);
            }
        }
        ctx.fireChannelRead(msg);
    }
}
