package io.hermesnet.tools.load;

import io.hermesnet.websocket.TextFrameDecoder;
import io.hermesnet.websocket.TextFrameEncoder;
import io.hermesnet.websocket.WebSocketSettings;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.URI;

/**
 * The client side of {@code hermes-load --ws} (docs/protocol.md §6.3): Netty's WebSocket client
 * handshake to {@code /ws}, then hermes-core's own framing adapters, so the load connections read and
 * write the same line bytes as over TCP: each text frame received becomes a line, each line written a
 * masked text frame. No {@code Origin} is sent: this is a program, not a browser.
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
        p.addLast("wsFrameDecoder", new TextFrameDecoder());
        p.addLast("wsFrameEncoder", TextFrameEncoder.INSTANCE);
    }
}
