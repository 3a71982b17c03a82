package io.hermesnet.websocket;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Serves the {@link ChatPage} of a browser listener (docs/protocol.md §6.3): {@code GET} or {@code HEAD}
 * of {@code /} (the page, also with a query such as {@code ?name=alice}), {@code /chat.css} and
 * {@code /chat.js}, with their content types; {@code Cache-Control: no-cache} and an entity tag, so a
 * revalidation with {@code If-None-Match} gets 304 without the body. Other paths get 404, other methods
 * 405. A request for exactly the WebSocket path is passed on to the handshaker.
 *
 * <p>Every answer carries a Content-Security-Policy that lets the page run only its own script and
 * style and connect only to its own origin: a second line of defence behind the page's rule of
 * rendering every text as text.
 *
 * <p>Sharable: holds only the page. Event loop only.
 */
@Sharable
public final class ChatPageHandler extends ChannelInboundHandlerAdapter {
    /** The page's Content-Security-Policy. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

    private final ChatPage page;
    private final String webSocketPath;

    /** Serves {@code page}; requests for exactly {@code webSocketPath} are passed on. */
    public ChatPageHandler(ChatPage page, String webSocketPath) {
        this.page = page;
        this.webSocketPath = webSocketPath;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || request.uri().equals(webSocketPath)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            HttpAnswers.respond(ctx, request, answer(request), true);
        } finally {
            request.release();
        }
    }

    private FullHttpResponse answer(FullHttpRequest request) {
        ChatPage.File file = page.file(new QueryStringDecoder(request.uri()).path());
        if (file == null) {
            return HttpAnswers.text(HttpResponseStatus.NOT_FOUND, "no such page: the chat is at /");
        }
        HttpMethod method = request.method();
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            FullHttpResponse r = HttpAnswers.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return r;
        }
        FullHttpResponse r;
        if (file.etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
            r = HttpAnswers.response(HttpResponseStatus.NOT_MODIFIED, file.contentType(), Unpooled.EMPTY_BUFFER);
            r.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
        } else {
            r = HttpAnswers.response(HttpResponseStatus.OK, file.contentType(), Unpooled.wrappedBuffer(file.bytes()));
        }
        HttpHeaders h = r.headers();
        h.set(HttpHeaderNames.ETAG, file.etag())
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)
                .set("Referrer-Policy", "no-referrer");
        return r;
    }
}
