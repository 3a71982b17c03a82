package io.hermesnet.client;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.Objects;

/**
 * Hands every decoded server line, exactly as it arrived (terminator removed, UTF-8 decoded, not yet
 * parsed), to {@link ClientListener#onLine}, then passes it on unchanged. This is what lets a client
 * print the wire lines verbatim ({@code hermes-client --raw}), which re-formatting a parsed
 * {@link io.hermesnet.protocol.ServerEvent} could not promise (leading zeros, trailing blanks).
 *
 * <p>Holds only the listener; {@link Sharable} among the channels of one {@link HermesClientPipeline}.
 * Runs on the channel's event loop.
 */
@Sharable
final class RawLineTap extends ChannelInboundHandlerAdapter {
    private final ClientListener listener;

    RawLineTap(ClientListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof String line) {
            listener.onLine(line);
        }
        ctx.fireChannelRead(msg);
    }
}
