package io.hermesnet.websocket;

import io.hermesnet.hub.HermesAttributes;
import io.hermesnet.hub.Session;
import io.netty.channel.Channel;

/** How the browser listener names a connection in its log lines: the client once admitted, else its address. */
final class WebSocketLog {
    private WebSocketLog() {
    }

    static String describe(Channel channel) {
        Session s = channel.attr(HermesAttributes.SESSION).get();
        return s != null ? "Client " + s.id() : Session.formatAddress(channel.remoteAddress());
    }
}
