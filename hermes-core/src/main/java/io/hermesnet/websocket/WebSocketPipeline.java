package io.hermesnet.websocket;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The stages of a browser connection (docs/protocol.md §6.3), after any TLS stages. While HTTP:
 *
 * <pre>
 * HTTP_CODEC       HttpServerCodec                  bytes ↔ HTTP/1.1 (becomes Netty's WebSocket decoder/encoder)
 * HTTP_AGGREGATOR  HttpObjectAggregator             one FullHttpRequest per request (the page's requests have no body)
 * HTTP_TIMEOUT     ReadTimeoutHandler               closes a connection silent for the handshake timeout
 * UPGRADE_GATE     UpgradeGate                      method, upgrade headers, version 13, Origin (400/405/426/403)
 * PAGE             ChatPageHandler                  GET / and the page's files; 404, 405
 * WS_PROTOCOL      WebSocketServerProtocolHandler   the RFC 6455 handshake, ping/pong, close frames
 * WS_UPGRADE       WebSocketUpgradeHandler          on the finished handshake: the stages below
 * </pre>
 *
 * Once upgraded: {@code WS_PROTOCOL}, {@link #WS_FRAME_DECODER} ({@link TextFrameDecoder}),
 * {@link #WS_FRAME_ENCODER} ({@link TextFrameEncoder}), then the line stages of a TCP client.
 *
 * <p>Netty's WebSocket decoder is configured with the payload limit {@code maxFramePayloadBytes} (close
 * 1009 over it), without its UTF-8 check (a text message that is not UTF-8 gets {@code ERROR BAD_ENCODING}
 * from the line stages, as on TCP), and a close frame 1000 on every close the server starts; a close frame
 * that cannot be written within {@link #CLOSE_TIMEOUT_MS} does not hold the connection open.
 */
public final class WebSocketPipeline {
    public static final String HTTP_CODEC = "httpCodec";
    public static final String HTTP_AGGREGATOR = "httpAggregator";
    public static final String HTTP_TIMEOUT = "httpTimeout";
    public static final String UPGRADE_GATE = "upgradeGate";
    public static final String PAGE = "page";
    public static final String WS_PROTOCOL = "wsProtocol";
    public static final String WS_UPGRADE = "wsUpgrade";
    public static final String WS_FRAME_DECODER = "wsFrameDecoder";
    public static final String WS_FRAME_ENCODER = "wsFrameEncoder";

    /** Longest request of the page, headers excluded, in bytes: its requests have no body. */
    static final int MAX_REQUEST_BODY_BYTES = 8192;
    /** Longest the server's close frame may take to be written before the connection closes anyway, in ms. */
    public static final long CLOSE_TIMEOUT_MS = 1000;

    private final WebSocketSettings settings;
    private final UpgradeGate gate;
    private final ChatPageHandler page;
    private final WebSocketUpgradeHandler upgrade;
    private final WebSocketServerProtocolConfig protocol;

    /**
     * @param settings             the endpoint's path, origins and handshake timeout
     * @param maxFramePayloadBytes the longest frame payload, in bytes: {@code --max-line}
     * @param lineStages           adds the line stages of a client at the end of a pipeline
     */
    public WebSocketPipeline(WebSocketSettings settings, ChatPage chatPage, int maxFramePayloadBytes,
            Consumer<ChannelPipeline> lineStages) {
        this.settings = settings;
        this.gate = new UpgradeGate(settings);
        this.page = new ChatPageHandler(chatPage, settings.path());
        this.upgrade = new WebSocketUpgradeHandler(lineStages, HTTP_TIMEOUT, UPGRADE_GATE, PAGE);
        this.protocol = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(settings.path())
                .checkStartsWith(false)
                .handshakeTimeoutMillis(settings.handshakeTimeout().toMillis())
                .forceCloseTimeoutMillis(CLOSE_TIMEOUT_MS)
                .sendCloseFrame(WebSocketCloseStatus.NORMAL_CLOSURE)
                .decoderConfig(WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(maxFramePayloadBytes)
                        .allowExtensions(false)
                        .withUTF8Validator(false)
                        .closeOnProtocolViolation(true)
                        .build())
                .build();
    }

    /** The settings the stages serve. */
    public WebSocketSettings settings() {
        return settings;
    }

    /** Adds the HTTP stages at the end of {@code p} (after any TLS stages). Call before the channel is active. */
    public void addHttpStages(ChannelPipeline p) {
        p.addLast(HTTP_CODEC, new HttpServerCodec());
        p.addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BODY_BYTES));
        p.addLast(HTTP_TIMEOUT, new ReadTimeoutHandler(settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast(UPGRADE_GATE, gate);
        p.addLast(PAGE, page);
        p.addLast(WS_PROTOCOL, new ProtocolHandler(protocol));
        p.addLast(WS_UPGRADE, upgrade);
    }
}
