package io.hermesnet.tools.load;

import io.hermesnet.websocket.TextFrameEncoder;
import io.hermesnet.websocket.WebSocketSettings;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.URI;

/**
 * The client side of {@code hermes-load --ws} (docs/protocol.md §6.3): Netty's WebSocket client
 * handshake to {@code /ws}; then each line the load connections write goes out as a masked text frame
 * (hermes-core's {@link TextFrameEncoder#CLIENT} and Netty's encoder), and the server's frames are read
 * by a {@link ServerFrameReader} in place of Netty's frame decoder, so the load connections read and
 * write the same line bytes as over TCP. No {@code Origin} is sent: this is a program, not a browser.
 */
final class WebSocketStages {
    /** The longest frame the server sends: a line of {@link LoadOptions#MAX_PAYLOAD_BYTES} and its prefix. */
    private static final int MAX_FRAME_BYTES = LoadOptions.MAX_PAYLOAD_BYTES + 4096;
    private static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    private WebSocketStages() {
    }

    /** Adds the stages (after any TLS stage, before the load connection's) to {@code p}. */
    static void add(ChannelPipeline p, String host, int port, boolean tls) {
        URI uri = URI.create((tls ? "wss://" : "ws://") + host + ":" + port + WebSocketSettings.DEFAULT_PATH);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS)
                .generateOriginHeader(false)
                .build();
        p.addLast("http", new HttpClientCodec());
        p.addLast("httpAggregator", new HttpObjectAggregator(8192));
        p.addLast("ws", new WebSocketClientProtocolHandler(config));
        p.addLast("wsUpgraded", new UpgradedHandler());
        p.addLast("wsFrameEncoder", TextFrameEncoder.CLIENT);
    }

    /** Puts the {@link ServerFrameReader} in place of Netty's frame decoder once the handshake is done. */
    private static final class UpgradedHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                ChannelPipeline p = ctx.pipeline();
                p.replace(WebSocketFrameDecoder.class, "wsFrameReader", new ServerFrameReader());
                p.remove(this);
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
