package io.hermesnet.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ByteProcessor;

import java.util.List;

/**
 * The outbound half of the WebSocket framing (docs/protocol.md §6.3): each buffer of lines, a whole
 * batch of the write coalescer or one line, goes on as one text frame per line, without its CRLF (a
 * bare LF ends a line too; bytes after the last line end make a frame of their own). An empty buffer
 * goes on as it is: it carries a promise that says when what was written before it is flushed.
 *
 * <p>Two forms:
 * <ul>
 * <li>{@link #SERVER}: writes the frames of a whole batch, unmasked as a server's are (RFC 6455 §5.2:
 *     FIN and opcode 1, the 7-, 16- or 64-bit length, the line), into one buffer, so a batch stays one
 *     write and one socket call, as on TCP, with no object and no buffer per line (docs/performance.md,
 *     WebSocket). Netty's WebSocket encoder passes such a buffer on and still encodes the control
 *     frames (close, pong).</li>
 * <li>{@link #CLIENT}: one {@link TextWebSocketFrame} per line (a slice of the buffer, not a copy), for
 *     Netty's WebSocket encoder, which masks each frame as a client must.</li>
 * </ul>
 *
 * <p>Sits between the write coalescer and the WebSocket encoder (toward the socket), so the fan-out's
 * direct append into the coalescer stays on: every stage after the coalescer sees whole batches.
 *
 * <p>Sharable and stateless.
 */
@Sharable
public final class TextFrameEncoder extends MessageToMessageEncoder<ByteBuf> {
    /** Writes a server's unmasked frames itself, a whole batch into one buffer. */
    public static final TextFrameEncoder SERVER = new TextFrameEncoder(true);
    /** One {@link TextWebSocketFrame} per line, for Netty's encoder to mask and frame (a client). */
    public static final TextFrameEncoder CLIENT = new TextFrameEncoder(false);

    private static final int FIN_TEXT = 0x81;
    private static final int MAX_HEADER_BYTES = 10;

    private final boolean writesFrames;

    private TextFrameEncoder(boolean writesFrames) {
        super(ByteBuf.class);
        this.writesFrames = writesFrames;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf lines, List<Object> out) {
        int i = lines.readerIndex();
        int end = lines.writerIndex();
        if (i == end) {
            out.add(lines.retain());
            return;
        }
        // a CRLF line of n bytes becomes a frame of n - 2 + 2 bytes: the batch's size is the frames' size
        // unless lines are 124 bytes or longer
        ByteBuf frames = writesFrames ? ctx.alloc().ioBuffer(end - i + 2 * MAX_HEADER_BYTES) : null;
        while (i < end) {
            int lf = lines.forEachByte(i, end - i, ByteProcessor.FIND_LF);
            int lineEnd;
            int next;
            if (lf < 0) {
                lineEnd = end;
                next = end;
            } else {
                lineEnd = lf > i && lines.getByte(lf - 1) == '\r' ? lf - 1 : lf;
                next = lf + 1;
            }
            int n = lineEnd - i;
            if (frames == null) {
                out.add(new TextWebSocketFrame(lines.retainedSlice(i, n)));
            } else {
                frames.ensureWritable(MAX_HEADER_BYTES + n);
                frames.writeByte(FIN_TEXT);
                if (n < 126) {
                    frames.writeByte(n);
                } else if (n < 65536) {
                    frames.writeByte(126).writeShort(n);
                } else {
                    frames.writeByte(127).writeLong(n);
                }
                frames.writeBytes(lines, i, n);
            }
            i = next;
        }
        if (frames != null) {
            out.add(frames);
        }
    }
}
