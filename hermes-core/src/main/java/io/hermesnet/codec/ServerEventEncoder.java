package io.hermesnet.codec;

import io.hermesnet.protocol.ServerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes {@link ServerEvent}s as CRLF-terminated UTF-8 lines. Buffers already encoded (broadcast
 * lines from another event loop) pass through untouched. Stateless and {@link Sharable}.
 */
@Sharable
public final class ServerEventEncoder extends MessageToByteEncoder<ServerEvent> {
    /** The shared instance. */
    public static final ServerEventEncoder INSTANCE = new ServerEventEncoder();

    private ServerEventEncoder() {
        super(ServerEvent.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerEvent event, ByteBuf out) {
        LineEncoding.encodeTo(event, out);
    }
}
