package io.hermesnet.websocket;

import io.hermesnet.hub.Session;
import io.hermesnet.telemetry.HermesMarkers;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.util.ReferenceCountUtil;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The last stage of a browser connection while it speaks HTTP (docs/protocol.md §6.3). When the
 * WebSocket handshake is done it turns the connection into a chat client: the HTTP stages go, the
 * {@link TextFrameDecoder} and {@link TextFrameEncoder} come right after Netty's WebSocket protocol
 * handler, the line stages of a TCP client after them, and then {@code channelActive} is fired through
 * those stages, so the client is admitted (or refused with {@code ERROR FULL}) only now, as a TLS client
 * is only after its TLS handshake.
 *
 * <p>Before that it ends what nothing else took: a connection that sends no request within the
 * handshake timeout is closed with a log line (one that went quiet after its requests, as a browser's
 * page connection does, at DEBUG; an upgrade that does not finish is Netty's handshake timeout, logged
 * here too); an I/O error closes it.
 *
 * <p>Sharable: holds only the settings. Event loop only.
 */
@Sharable
public final class WebSocketUpgradeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger(WebSocketUpgradeHandler.class);

    private final Consumer<ChannelPipeline> lineStages;
    private final String[] httpStages;

    /**
     * @param lineStages adds the stages of a line client at the end of a pipeline (HermesPipeline's
     *                   {@code addLineStages})
     * @param httpStages names of the HTTP stages to remove once upgraded (those the handshaker leaves)
     */
    public WebSocketUpgradeHandler(Consumer<ChannelPipeline> lineStages, String... httpStages) {
        this.lineStages = lineStages;
        this.httpStages = httpStages.clone();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            upgraded(ctx);
        } else if (evt == WebSocketServerProtocolHandler.ServerHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            log.info(HermesMarkers.STATE, "{}: WebSocket handshake timed out, closing",
                    Session.formatAddress(ctx.channel().remoteAddress()));
        } else if (evt != WebSocketServerProtocolHandler.ServerHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            ctx.fireUserEventTriggered(evt);
        }
    }

    private void upgraded(ChannelHandlerContext ctx) {
        ChannelPipeline p = ctx.pipeline();
        for (String name : httpStages) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
        p.addAfter(ctx.name(), WebSocketPipeline.WS_FRAME_DECODER, new TextFrameDecoder());
        p.addAfter(WebSocketPipeline.WS_FRAME_DECODER, WebSocketPipeline.WS_FRAME_ENCODER, TextFrameEncoder.SERVER);
        lineStages.accept(p);
        p.remove(this);
        if (ctx.channel().isActive()) {
            // to the stages just added: the admission and the idle and slow-consumer timers start now
            p.context(WebSocketPipeline.WS_FRAME_DECODER).fireChannelActive();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // nothing reaches here before the upgrade but what another stage passed on by mistake
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String who = Session.formatAddress(ctx.channel().remoteAddress());
        if (cause instanceof ReadTimeoutException && ctx.channel().hasAttr(UpgradeGate.REQUESTED)) {
            // a browser keeps its page connection open after the page: closing it is routine
            log.debug(HermesMarkers.STATE, "{}: HTTP connection idle, closing", who);
        } else if (cause instanceof ReadTimeoutException) {
            log.info(HermesMarkers.STATE, "{}: no request within the handshake timeout, closing", who);
        } else if (cause instanceof IOException) {
            log.debug(HermesMarkers.STATE, "{}: {}", who, String.valueOf(cause.getMessage()));
        } else {
            log.info(HermesMarkers.STATE, "{}: HTTP connection failed ({}), closing", who,
                    String.valueOf(cause.getMessage()));
        }
        ctx.close();
    }
}
