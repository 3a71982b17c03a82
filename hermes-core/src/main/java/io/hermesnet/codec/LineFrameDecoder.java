package io.hermesnet.codec;

import io.hermesnet.telemetry.HermesMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * The server's frame decoder (docs/protocol.md §2 Framing, §3.11 {@code --max-line}): bytes to lines at LF or CRLF,
 * terminator removed. A line over {@code maxLineBytes} bytes, terminator excluded, is discarded without
 * being buffered and reported at once with a {@link TooLongFrameException}, so memory stays bounded
 * however long the line.
 *
 * <p>Netty's {@link LineBasedFrameDecoder} in fail-fast mode alone would refuse a line of exactly
 * {@code maxLineBytes} bytes whose CR has arrived but whose LF has not (it counts the CR as line
 * content), so whether such a line passed depended on where TCP split the stream. This decoder lets
 * Netty's decoder buffer one byte more and applies the exact limit to each whole frame.
 *
 * <p>Counts the lines it passes on for {@link HermesMetrics#linesReceived}, once per read loop.
 *
 * <p>Not sharable: holds the channel's partial line; runs on the channel's event loop.
 */
public final class LineFrameDecoder extends LineBasedFrameDecoder {
    private final int maxLineBytes;
    private final HermesMetrics metrics;
    private long uncountedLines;

    /** @param maxLineBytes longest accepted line in bytes, terminator excluded; at least 1 */
    public LineFrameDecoder(int maxLineBytes) {
        this(maxLineBytes, HermesMetrics.NOOP);
    }

    /**
     * @param maxLineBytes longest accepted line in bytes, terminator excluded; at least 1
     * @param metrics      where the lines passed on are counted
     */
    public LineFrameDecoder(int maxLineBytes, HermesMetrics metrics) {
        super(maxLineBytes == Integer.MAX_VALUE ? maxLineBytes : maxLineBytes + 1, true, true);
        this.maxLineBytes = maxLineBytes;
        this.metrics = metrics;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        Object frame = super.decode(ctx, buffer);
        if (frame instanceof ByteBuf line && line.readableBytes() > maxLineBytes) {
            int length = line.readableBytes();
            line.release();
            ctx.fireExceptionCaught(new TooLongFrameException(
                    "frame length (" + length + ") exceeds the allowed maximum (" + maxLineBytes + ")"));
            return null;
        }
        if (frame != null) {
            uncountedLines++;
        }
        return frame;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        countLines();
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx); // may decode a last line
        countLines();
    }

    private void countLines() {
        if (uncountedLines != 0) {
            metrics.linesReceived(uncountedLines);
            uncountedLines = 0;
        }
    }
}
