package io.hermesnet.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/** The HTTP answers of the browser listener: plain-text refusals and the page's files. */
final class HttpAnswers {
    static final String TEXT = "text/plain; charset=utf-8";

    private HttpAnswers() {
    }

    /** A short plain-text answer; the body ends with a line break. */
    static FullHttpResponse text(HttpResponseStatus status, String body) {
        return response(status, TEXT, Unpooled.copiedBuffer(body + "\n", StandardCharsets.UTF_8));
    }

    static FullHttpResponse response(HttpResponseStatus status, String contentType, ByteBuf body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set("X-Content-Type-Options", "nosniff");
        return r;
    }

    /**
     * Sends {@code response} to the request's HTTP version, keeping the connection open when the request
     * allows it and {@code keepOpen} is set; a HEAD request gets the headers only.
     */
    static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean keepOpen) {
        FullHttpResponse r = response;
        if (HttpMethod.HEAD.equals(request.method())) {
            r = response.replace(Unpooled.EMPTY_BUFFER); // Content-Length stays the GET's
            response.release();
        }
        r.setProtocolVersion(request.protocolVersion());
        boolean keepAlive = keepOpen && HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(r, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(r, ctx.voidPromise());
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
