package io.hermesnet.tls;

import io.hermesnet.hub.Session;
import io.hermesnet.telemetry.HermesMarkers;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.channels.ClosedChannelException;
import javax.net.ssl.SSLException;

/**
 * The stage right after Netty's {@link SslHandler} on a TLS listener (docs/protocol.md §6.1): holds the
 * channel's {@code channelActive} back until the TLS handshake has succeeded, so no stage after it, and
 * in particular the admission, sees a client before it has finished its handshake: a connection whose
 * handshake fails takes no client id and causes no {@code JOIN} or {@code CLIENTS} line.
 *
 * <p>A failed handshake closes the connection with one {@link HermesMarkers#STATE} line naming the
 * reason (plain text on the TLS port, handshake timeout, alert from the peer, closed mid-handshake),
 * never a stack trace. A TLS error after the handshake (a bad record) closes the connection the same way;
 * the client then leaves as any closed client does.
 *
 * <p>One instance per channel (it remembers whether the handshake is done); runs on the channel's event loop.
 */
public final class TlsHandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LogManager.getLogger(TlsHandshakeHandler.class);

    private boolean active;
    private boolean handshaken;
    private boolean failureLogged;

    /** Whether the handshake has succeeded (and {@code channelActive} has been passed on if the channel is active). */
    public boolean isHandshaken() {
        return handshaken;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        active = true;
        if (handshaken) {
            ctx.fireChannelActive();
        }
        // else passed on when the handshake succeeds
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (handshaken) {
                return; // a TLS 1.2 renegotiation (the JDK provider): the client is already admitted
            }
            if (done.isSuccess()) {
                handshaken = true;
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                if (ssl != null && log.isDebugEnabled()) {
                    log.debug(HermesMarkers.STATE, "TLS handshake with {}: {} {}", remote(ctx),
                            ssl.engine().getSession().getProtocol(), ssl.engine().getSession().getCipherSuite());
                }
                if (active) {
                    ctx.fireChannelActive();
                }
            } else {
                handshakeFailed(ctx, done.cause());
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!handshaken) {
            // SslHandler reports a handshake failure twice: as the completion event (logged there) and as
            // this exception; nothing after this stage knows the connection
            handshakeFailed(ctx, cause);
            return;
        }
        Throwable tls = cause instanceof DecoderException && cause.getCause() instanceof SSLException ? cause.getCause() : cause;
        if (tls instanceof SSLException) {
            log.info(HermesMarkers.STATE, "{}: TLS error, closing: {}", remote(ctx), tls.getMessage());
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshaken) {
            ctx.fireChannelInactive();
        }
        // else the stages after this one never saw the channel active
    }

    private void handshakeFailed(ChannelHandlerContext ctx, Throwable cause) {
        if (!failureLogged) {
            failureLogged = true;
            log.info(HermesMarkers.STATE, "{}: TLS handshake failed, closing: {}", remote(ctx), reason(cause));
        }
        ctx.close();
    }

    /** One line, in our words where the exception's own would dump the peer's bytes. */
    static String reason(Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof NotSslRecordException) {
            return "not TLS (plain text on a TLS port?)";
        }
        if (c instanceof SslHandshakeTimeoutException) {
            return c.getMessage(); // "handshake timed out after 10000ms"
        }
        if (c instanceof ClosedChannelException) {
            return "connection closed before the handshake finished";
        }
        String message = c.getMessage();
        return message != null ? message : c.getClass().getSimpleName();
    }

    private static String remote(ChannelHandlerContext ctx) {
        return Session.formatAddress(ctx.channel().remoteAddress());
    }
}
