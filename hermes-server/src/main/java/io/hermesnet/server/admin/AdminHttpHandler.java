package io.hermesnet.server.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Routes the requests of one operations-endpoint connection (docs/operations.md):
 * <pre>
 * GET /metrics  200 Prometheus text format
 * GET /healthz  200 "ok" when every event loop ran a no-op within 1 s, else 503
 * GET /readyz   200 "ready" while the server admits clients, 503 while it shuts down or a cluster node is cut off
 * GET /clients  200 JSON array, the /who list
 * GET /info     200 JSON object: version, uptime, settings
 * </pre>
 * {@code HEAD} is answered as {@code GET} without the body. Any other path: 404; a known path with
 * another method: 405 with {@code Allow: GET, HEAD}; a request the codec could not parse: 400, then close.
 *
 * <p>{@code /healthz} answers asynchronously, never blocking this loop while the others are checked;
 * requests pipelined behind it wait in a queue, so responses keep the order of the requests
 * (HTTP/1.1 pipelining). Keep-alive and {@code Connection: close} are left to Netty's
 * {@code HttpServerKeepAliveHandler} before this handler; an idle connection is closed on the
 * {@link IdleStateEvent} of the stage before it.
 *
 * <p>Not sharable: holds the connection's queue. Event loop only.
 */
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String ALLOW = "GET, HEAD";
    private static final Logger log = LogManager.getLogger(AdminHttpHandler.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";

    private final AdminEndpoints endpoints;
    private final Queue<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean answering; // a /healthz answer is outstanding

    AdminHttpHandler(AdminEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (answering) {
            waiting.add(request.retain());
            return;
        }
        handle(ctx, request);
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            FullHttpResponse bad = text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
            HttpUtil.setKeepAlive(bad, false);
            ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        boolean head = HttpMethod.HEAD.equals(method);
        if (!isKnown(path)) {
            respond(ctx, request, text(HttpResponseStatus.NOT_FOUND, "no such path: try /metrics /healthz /readyz /clients /info\n"));
        } else if (!head && !HttpMethod.GET.equals(method)) {
            FullHttpResponse notAllowed = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD\n");
            notAllowed.headers().set(HttpHeaderNames.ALLOW, ALLOW);
            respond(ctx, request, notAllowed);
        } else if (path.equals("/healthz")) {
            answering = true;
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpVersion version = request.protocolVersion();
            endpoints.checkLoops(ctx.executor()).addListener(f -> {
                int behind = f.isSuccess() ? (Integer) f.getNow() : -1;
                FullHttpResponse r = behind == 0 ? text(HttpResponseStatus.OK, "ok\n")
                        : text(HttpResponseStatus.SERVICE_UNAVAILABLE,
                                behind + " event loop(s) did not run a task within 1 s\n");
                answering = false;
                respond(ctx, version, keepAlive, head, r);
                drainWaiting(ctx);
            });
        } else {
            respond(ctx, request, answer(path));
        }
    }

    private static boolean isKnown(String path) {
        return switch (path) {
            case "/metrics", "/healthz", "/readyz", "/clients", "/info" -> true;
            default -> false;
        };
    }

    /** The synchronous answers. */
    private FullHttpResponse answer(String path) {
        return switch (path) {
            case "/metrics" -> response(HttpResponseStatus.OK, PROMETHEUS_TEXT,
                    Unpooled.wrappedBuffer(endpoints.scrape().getBytes(StandardCharsets.UTF_8)));
            case "/readyz" -> endpoints.ready() ? text(HttpResponseStatus.OK, "ready\n")
                    : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "not accepting clients: " + endpoints.notReadyReason() + "\n");
            case "/clients" -> response(HttpResponseStatus.OK, JSON, Unpooled.wrappedBuffer(endpoints.clientsJson()));
            case "/info" -> response(HttpResponseStatus.OK, JSON, Unpooled.wrappedBuffer(endpoints.infoJson()));
            default -> throw new IllegalArgumentException(path);
        };
    }

    private void drainWaiting(ChannelHandlerContext ctx) {
        FullHttpRequest next;
        while (!answering && (next = waiting.poll()) != null) {
            try {
                handle(ctx, next);
            } finally {
                next.release();
            }
        }
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        respond(ctx, request.protocolVersion(), HttpUtil.isKeepAlive(request), HttpMethod.HEAD.equals(request.method()),
                response);
    }

    private static void respond(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, boolean head,
            FullHttpResponse response) {
        if (!ctx.channel().isActive()) {
            response.release();
            return;
        }
        FullHttpResponse r = response;
        if (head) {
            // HEAD: the GET's headers (Content-Length included), no body
            r = response.replace(Unpooled.EMPTY_BUFFER);
            response.release();
        }
        r.setProtocolVersion(version);
        HttpUtil.setKeepAlive(r, keepAlive);
        ctx.writeAndFlush(r);
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return response(status, TEXT, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, ByteBuf body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return r;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (FullHttpRequest r; (r = waiting.poll()) != null; ) {
            r.release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
