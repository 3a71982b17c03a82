package io.hermesnet.websocket;

import io.hermesnet.hub.Session;
import io.hermesnet.telemetry.HermesMarkers;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Checks every request for the WebSocket endpoint before Netty's handshaker sees it (docs/protocol.md
 * §6.3), and answers what it refuses with an HTTP status, one {@link HermesMarkers#STATE} log line, and
 * a close: a request the HTTP decoder could not read, 400; another method than GET, 405; no
 * {@code Upgrade: websocket} with {@code Connection: Upgrade}, or no {@code Sec-WebSocket-Key}, 400; a
 * {@code Sec-WebSocket-Version} other than 13, 426 naming 13 (RFC 6455 §4.4); an {@code Origin} the
 * {@link WebSocketSettings} do not allow, 403. Everything else, and every request for another path, is
 * passed on.
 *
 * <p>Sharable: holds only the settings. Event loop only.
 */
@Sharable
public final class UpgradeGate extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger(UpgradeGate.class);

    /** Set on a connection once it has sent a request: its idle close is then a kept-alive page connection's. */
    static final AttributeKey<Boolean> REQUESTED = AttributeKey.valueOf(UpgradeGate.class, "requested");

    private final WebSocketSettings settings;

    /** A gate for the endpoint of {@code settings}. */
    public UpgradeGate(WebSocketSettings settings) {
        this.settings = settings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ctx.channel().attr(REQUESTED).set(Boolean.TRUE);
        String refusal = null;
        FullHttpResponse answer = null;
        HttpHeaders h = request.headers();
        if (!request.decoderResult().isSuccess()) {
            refusal = "bad HTTP request";
            answer = HttpAnswers.text(HttpResponseStatus.BAD_REQUEST, "bad request");
        } else if (!request.uri().equals(settings.path())) {
            ctx.fireChannelRead(msg);
            return;
        } else if (!HttpMethod.GET.equals(request.method())) {
            refusal = "WebSocket upgrade with method " + request.method().name();
            answer = HttpAnswers.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "a WebSocket upgrade is a GET");
            answer.headers().set(HttpHeaderNames.ALLOW, "GET");
        } else if (!h.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                || !h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            refusal = "request for " + settings.path() + " without a WebSocket upgrade";
            answer = HttpAnswers.text(HttpResponseStatus.BAD_REQUEST,
                    settings.path() + " is the WebSocket endpoint; the chat page is at /");
        } else if (!"13".equals(h.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            refusal = "WebSocket version " + quoted(h.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION));
            answer = HttpAnswers.text(HttpResponseStatus.UPGRADE_REQUIRED, "WebSocket version 13 only");
            answer.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
        } else if (h.get(HttpHeaderNames.SEC_WEBSOCKET_KEY, "").isBlank()) {
            refusal = "WebSocket upgrade without Sec-WebSocket-Key";
            answer = HttpAnswers.text(HttpResponseStatus.BAD_REQUEST, "no Sec-WebSocket-Key");
        } else if (!settings.allows(h.get(HttpHeaderNames.ORIGIN), h.get(HttpHeaderNames.HOST),
                ctx.pipeline().get(SslHandler.class) != null)) {
            refusal = "WebSocket upgrade from origin " + quoted(h.get(HttpHeaderNames.ORIGIN)) + " refused (--ws-origin)";
            answer = HttpAnswers.text(HttpResponseStatus.FORBIDDEN, "this origin may not open the chat");
        }
        if (answer == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        log.info(HermesMarkers.STATE, "{}: {}, answered {}", Session.formatAddress(ctx.channel().remoteAddress()),
                refusal, answer.status().code());
        try {
            HttpAnswers.respond(ctx, request, answer, false);
        } finally {
            request.release();
        }
    }

    private static String quoted(String headerValue) {
        if (headerValue == null) {
            return "(none)";
        }
        String v = headerValue.length() > 200 ? headerValue.substring(0, 200) + "…" : headerValue;
        return '"' + v + '"';
    }
}
