package io.hermesnet.handler;

import io.hermesnet.hub.ClientConnection;
import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.hub.Session;
import io.hermesnet.internal.logging.ClientLogMessage;
import io.hermesnet.protocol.ServerEvent;
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

    /**
     * Sends {@code event} to the channel's client through its {@link ClientConnection}, the one way out;
     * dropped when the channel never became active (nothing to answer) or its last line is sent.
     */
    static void reply(ChannelHandlerContext ctx, ServerEvent event) {
        ClientConnection c = ClientConnection.of(ctx.channel());
        if (c != null) {
            c.send(event);
        }
    }

    /** {@code Client <id>} for an admitted channel, else its remote {@code ip:port}: for log lines. */
    static String describe(ChannelHandlerContext ctx) {
        return describe(ctx.channel());
    }

    /**
     * A STATE line about the channel's client: {@code "<describe>: " + format}, with the client's id, name
     * and address (or, before admission, its address) as the structured fields of {@link ClientLogMessage}.
     */
    static ClientLogMessage event(ChannelHandlerContext ctx, String format, Object... args) {
        Channel channel = ctx.channel();
        Session s = channel.attr(HermesAttributes.SESSION).get();
        String address = Session.formatAddress(channel.remoteAddress());
        Object[] all = new Object[args.length + 1];
        all[0] = s != null ? "Client " + s.id() : address;
        System.arraycopy(args, 0, all, 1, args.length);
        return s != null ? ClientLogMessage.of(s.id(), s.name(), s.address(), "{}: " + format, all) : ClientLogMessage.ofAddress(address, "{}: " + format, all);
    }

    /** {@link #describe(ChannelHandlerContext)} for a channel. */
    static String describe(Channel channel) {
        Session s = channel.attr(HermesAttributes.SESSION).get();
        return s != null ? "Client " + s.id() : Session.formatAddress(channel.remoteAddress());
    }
}
