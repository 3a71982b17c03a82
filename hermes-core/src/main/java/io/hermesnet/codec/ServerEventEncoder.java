package io.hermesnet.codec;

import io.hermesnet.protocol.ServerEvent;
import io.hermesnet.telemetry.HermesMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Encodes {@link ServerEvent}s as CRLF-terminated UTF-8 lines. Buffers already encoded (broadcast
 * lines from another event loop) pass through untouched. Every event it encodes is counted as a
 * delivered line ({@link HermesMetrics#linesDelivered}), and an {@code ERROR} also by its code
 * ({@link HermesMetrics#error}); broadcast lines are counted by the fan-out, once per broadcast.
 * Stateless and {@link Sharable}.
 */
@Sharable
public final class ServerEventEncoder extends MessageToByteEncoder<ServerEvent> {
    /** The shared instance, which counts nothing. */
    public static final ServerEventEncoder INSTANCE = new ServerEventEncoder(HermesMetrics.NOOP);

    private final HermesMetrics metrics;

    /** An encoder that counts what it encodes in {@code metrics}; share one per server. */
    public ServerEventEncoder(HermesMetrics metrics) {
        super(ServerEvent.class);
        this.metrics = metrics;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ServerEvent event, ByteBuf out) {
        LineEncoding.encodeTo(event, out);
        metrics.linesDelivered(1);
        if (event instanceof ServerEvent.Error error) {
            metrics.error(error.code());
        }
    }
}
