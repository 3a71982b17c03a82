package io.hermesnet.handler;

import io.hermesnet.hub.HermesHub;
import io.hermesnet.protocol.ClientCommand;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * EXEC and RESULT (docs/protocol.md §3.6): {@code /exec <rank> <command>} (or the bare {@code EXEC} form) is
 * checked against the issuer's rank and forwarded to the target; the target's
 * {@code /result <execId> <text>} is routed back to the issuer. The server never executes anything.
 */
@Sharable
public final class ExecHandler extends ChannelInboundHandlerAdapter {
    private final HermesHub hub;

    /** An EXEC handler for the clients of {@code hub}. */
    public ExecHandler(HermesHub hub) {
        this.hub = hub;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ClientCommand.Exec exec) {
            hub.exec(Sessions.of(ctx), exec.targetRank(), exec.command());
        } else if (msg instanceof ClientCommand.Result result) {
            hub.result(Sessions.of(ctx), result.execId(), result.text());
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
