package io.hermesnet.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ByteProcessor;

import java.util.List;

/**
 * The outbound half of the WebSocket framing (docs/protocol.md §6.3): each buffer of server lines, a
 * whole batch of the write coalescer or one line, goes on as one {@link TextWebSocketFrame} per line,
 * without its CRLF (a bare LF ends a line too; bytes after the last line end make a frame of their own).
 * The frames are slices of the buffer, not copies. An empty buffer goes on as it is: it carries a promise
 * that says when what was written before it is flushed.
 *
 * <p>Sits between the write coalescer and the WebSocket encoder (toward the socket), so the fan-out's
 * direct append into the coalescer stays on: every stage after the coalescer sees whole batches.
 *
 * <p>Sharable and stateless: use {@link #INSTANCE}.
 */
@Sharable
public final class TextFrameEncoder extends MessageToMessageEncoder<ByteBuf> {
    /** The shared instance. */
    public static final TextFrameEncoder INSTANCE = new TextFrameEncoder();

    private TextFrameEncoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf lines, List<Object> out) {
        int i = lines.readerIndex();
        int end = lines.writerIndex();
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
            out.add(new TextWebSocketFrame(lines.retainedSlice(i, lineEnd - i)));
            i = next;
        }
        if (out.isEmpty()) {
            out.add(lines.retain());
        }
    }
}
