package io.hermesnet.handler;

import io.hermesnet.server.HermesAttributes;
import io.hermesnet.server.HermesMarkers;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.charset.StandardCharsets;

/**
 * The RX and TX log lines of SPEC §3.10: each received line at INFO ({@code [Client 3] hello}), each
 * sent line at DEBUG. Sits between the line decoder and the command decoder, so it sees decoded
 * {@code String}s inbound and encoded buffers outbound. Left out of the pipeline with {@code --quiet}.
 */
@Sharable
public final class WireLogHandler extends ChannelDuplexHandler {
    private static final Logger log = LogManager.getLogger(WireLogHandler.class);

    /** The shared instance. */
    public static final WireLogHandler INSTANCE = new WireLogHandler();

    private WireLogHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof String line && log.isInfoEnabled(HermesMarkers.RX)) {
            log.info(HermesMarkers.RX, "[{}] {}", Sessions.describe(ctx), line);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf && log.isDebugEnabled(HermesMarkers.TX)) {
            int n = buf.readableBytes();
            int end = n >= 2 && buf.getByte(buf.readerIndex() + n - 2) == '\r' ? n - 2 : n;
            log.debug(HermesMarkers.TX, "[{}] {}", Sessions.describe(ctx), buf.toString(buf.readerIndex(), end, StandardCharsets.UTF_8));
        }
        ctx.write(msg, promise);
    }

}
