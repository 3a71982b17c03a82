package io.hermesnet.codec;

import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.protocol.ProtocolParser;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;

/**
 * Parses each decoded client line into a {@link ClientCommand} with {@link ProtocolParser#parseCommand}.
 * Lines that parse to nothing (empty, or chat that is empty once sanitized) are dropped here.
 * Stateless and {@link Sharable}.
 */
@Sharable
public final class CommandDecoder extends MessageToMessageDecoder<String> {
    /** The shared instance. */
    public static final CommandDecoder INSTANCE = new CommandDecoder();

    private CommandDecoder() {
        super(String.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, String line, List<Object> out) {
        ClientCommand command = ProtocolParser.parseCommand(line);
        if (command != null) {
            out.add(command);
        }
    }
}
