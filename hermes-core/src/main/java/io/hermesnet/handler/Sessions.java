package io.hermesnet.handler;

import io.hermesnet.server.HermesAttributes;
import io.hermesnet.server.Session;
import io.netty.channel.Channel;
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
        return describe(ctx.channel());
    }

    /** {@link #describe(ChannelHandlerContext)} for a channel. */
    static String describe(Channel channel) {
        Session s = channel.attr(HermesAttributes.SESSION).get();
        return s != null ? "Client " + s.id() : Session.formatAddress(channel.remoteAddress());
    }
}
