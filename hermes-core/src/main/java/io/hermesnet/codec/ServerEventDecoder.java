package io.hermesnet.codec;

import io.hermesnet.protocol.ProtocolParser;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;

/**
 * Client side: parses each server line into a {@link io.hermesnet.protocol.ServerEvent} with
 * {@link ProtocolParser#parseEvent}. Never fails: unknown lines become {@link io.hermesnet.protocol.ServerEvent.Unparsed}.
 * Stateless and {@link Sharable}.
 */
@Sharable
public final class ServerEventDecoder extends MessageToMessageDecoder<String> {
    /** The shared instance. */
    public static final ServerEventDecoder INSTANCE = new ServerEventDecoder();

    private ServerEventDecoder() {
        super(String.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, String line, List<Object> out) {
        out.add(ProtocolParser.parseEvent(line));
    }
}
