package io.hermesnet.client;

import io.hermesnet.codec.ProtocolException;
import io.hermesnet.protocol.ServerEvent;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.ReferenceCountUtil;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.util.Objects;

/**
 * The last stage of a client pipeline: hands every {@link ServerEvent}, the connection's start and end,
 * {@link ExecAnswered} events and undecodable lines to a {@link ClientListener}, and handles every
 * exception. Codec refusals (a line longer than the limit, invalid UTF-8) drop only that line and keep
 * the connection; I/O errors and anything unexpected close it, and the error is reported to
 * {@link ClientListener#onDisconnected}.
 *
 * <p>One instance per channel (it remembers what ended its connection); runs on the channel's event loop.
 */
public final class ClientEventHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger(ClientEventHandler.class);

    private final ClientListener listener;
    private Throwable cause;
    private boolean disconnected;

    /** A handler that reports to {@code listener}. */
    public ClientEventHandler(ClientListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        listener.onConnected(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ServerEvent event) {
            listener.onEvent(event);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ExecAnswered answered) {
            listener.onExecAnswered(answered.request(), answered.result());
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
        if (t instanceof ProtocolException bad) {
            listener.onBadLine(bad.getMessage());
        } else if (t instanceof TooLongFrameException) {
            // LineBasedFrameDecoder has dropped the line and discards the rest of it as it arrives.
            listener.onBadLine("line longer than the limit was dropped");
        } else {
            if (cause == null) {
                cause = t;
            }
            if (!(t instanceof IOException)) {
                log.warn("unexpected error on {}, closing the connection", ctx.channel(), t);
            }
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!disconnected) {
            disconnected = true;
            listener.onDisconnected(ctx.channel(), cause);
        }
        ctx.fireChannelInactive();
    }
}
