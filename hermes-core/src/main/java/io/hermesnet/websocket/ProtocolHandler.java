package io.hermesnet.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Netty's {@link WebSocketServerProtocolHandler} that sends its close frame only on an upgraded
 * connection: while the connection still speaks HTTP (a refused upgrade, a page request, a timeout) a
 * close is a plain close, not a WebSocket frame written into an HTTP stream.
 *
 * <p>Not sharable: one per channel, as its parent. Event loop only.
 */
final class ProtocolHandler extends WebSocketServerProtocolHandler {
    private boolean upgraded;

    ProtocolHandler(WebSocketServerProtocolConfig config) {
        super(config);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HandshakeComplete) {
            upgraded = true;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        if (upgraded) {
            super.close(ctx, promise);
        } else {
            ctx.close(promise);
        }
    }
}
