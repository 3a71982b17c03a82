package io.hermesnet.handler;

import io.hermesnet.hub.HermesHub;
import io.hermesnet.protocol.ClientCommand;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

/**
 * Chat relay (docs/protocol.md §3.4, §3.7): each chat line goes as {@code MSG} to every other member of the
 * sender's room, and back as {@code ECHO} with {@code --echo}; rooms and turns may refuse it with
 * {@code ERROR NOT_READY} or {@code ERROR NOT_YOUR_TURN}. The text was sanitized by the parser.
 */
@Sharable
public final class ChatRelayHandler extends SimpleChannelInboundHandler<ClientCommand.Chat> {
    private final HermesHub hub;

    /** A chat relay for the clients of {@code hub}. */
    public ChatRelayHandler(HermesHub hub) {
        super(ClientCommand.Chat.class);
        this.hub = hub;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientCommand.Chat msg) {
        hub.chat(Sessions.of(ctx), msg.text());
    }
}
