package io.hermesnet.handler;

import io.hermesnet.server.HermesAttributes;
import io.hermesnet.server.Session;
import io.netty.channel.ChannelHandlerContext;

/** Reads the admitted client of a channel. */
final class Sessions {
    private Sessions() {
    }

    /** The channel's session; handlers after {@link AdmissionHandler} only run for admitted channels. */
    static Session of(ChannelHandlerContext ctx) {
        return ctx.channel().attr(HermesAttributes.SESSION).get();
    }

    /** {@code Client <id>} for an admitted channel, else its remote {@code ip:port}: for log lines. */
    static String describe(ChannelHandlerContext ctx) {
        Session s = of(ctx);
        return s != null ? "Client " + s.id() : Session.formatAddress(ctx.channel().remoteAddress());
    }
}
