package io.hermesnet.handler;

import io.hermesnet.protocol.ClientCommand;
import io.hermesnet.protocol.ServerEvent;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

import java.util.List;

/**
 * {@code /help} (docs/protocol.md §2.5): one {@code HELP <command> <text>} per command the server
 * understands, then {@code END HELP <count>}. Needs no server state. {@link Sharable}.
 */
@Sharable
public final class HelpHandler extends SimpleChannelInboundHandler<ClientCommand.Help> {
    /** The shared instance. */
    public static final HelpHandler INSTANCE = new HelpHandler();

    /** The entries, in the order {@code /help} lists them. */
    public static final List<ServerEvent.HelpEntry> ENTRIES = List.of(
            new ServerEvent.HelpEntry("/nick", "<name> set your name: 1-32 of A-Za-z0-9_-"),
            new ServerEvent.HelpEntry("/who", "list the connected clients"),
            new ServerEvent.HelpEntry("/msg", "<name> <text> a private line to one client"),
            new ServerEvent.HelpEntry("/rank", "show your rank (0 is the highest)"),
            new ServerEvent.HelpEntry("/exec", "<rank> <command> ask the client of a lower rank to run a command"),
            new ServerEvent.HelpEntry("/result", "<execId> <text> answer an EXEC you received"),
            new ServerEvent.HelpEntry("/logout", "leave (also /quit, logout, exit, quit)"),
            new ServerEvent.HelpEntry("/quit", "leave"),
            new ServerEvent.HelpEntry("/help", "this list"),
            new ServerEvent.HelpEntry("chat", "any other line goes to everyone else in your room"));

    private HelpHandler() {
        super(ClientCommand.Help.class);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientCommand.Help msg) {
        for (ServerEvent.HelpEntry e : ENTRIES) {
            Sessions.reply(ctx, e);
        }
        Sessions.reply(ctx, new ServerEvent.HelpEnd(ENTRIES.size()));
    }
}
