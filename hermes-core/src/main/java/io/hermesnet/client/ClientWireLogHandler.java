package io.hermesnet.client;

import io.hermesnet.hub.Session;
import io.hermesnet.telemetry.HermesMarkers;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The client's log lines of docs/protocol.md §3.10, all at INFO: {@code STATE} when the connection starts and ends
 * (with the server's {@code ip:port}), {@code RX} for each line received and {@code TX} for each line
 * sent. Sits where it sees decoded {@code String}s in both directions: after the line decoder inbound,
 * before the line encoder outbound. Logging is log4j-api only; the application decides where it goes.
 *
 * <p>Stateless and {@link Sharable}.
 */
@Sharable
public final class ClientWireLogHandler extends ChannelDuplexHandler {
    private static final Logger log = LogManager.getLogger(ClientWireLogHandler.class);

    /** The shared instance. */
    public static final ClientWireLogHandler INSTANCE = new ClientWireLogHandler();

    private ClientWireLogHandler() {
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        log.info(HermesMarkers.STATE, "Connected to {} from {}", Session.formatAddress(ctx.channel().remoteAddress()),
                Session.formatAddress(ctx.channel().localAddress()));
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        log.info(HermesMarkers.STATE, "Disconnected from {}", Session.formatAddress(ctx.channel().remoteAddress()));
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof String line) {
            log.info(HermesMarkers.RX, "{}", line);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof CharSequence line) {
            log.info(HermesMarkers.TX, "{}", line);
        }
        ctx.write(msg, promise);
    }
}
