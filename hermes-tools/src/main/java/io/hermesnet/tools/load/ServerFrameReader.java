package io.hermesnet.tools.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;

import java.util.List;

/**
 * The receive side of {@code hermes-load --ws} once the handshake is done: reads the server's
 * unmasked frames (RFC 6455 §5.2) straight into line bytes for {@link LoadConnection}, the payload of
 * each text frame followed by LF, all the frames of one read into one buffer. Netty's frame decoder
 * would make a frame object and a buffer per line, which on a shared machine costs the load generator
 * more CPU than the server spends sending, and the run would measure the generator. A close frame
 * closes the connection; ping and pong frames are skipped (the server sends neither).
 *
 * <p>One per channel; event loop only.
 */
final class ServerFrameReader extends ByteToMessageDecoder {
    private static final int OP_CONTINUATION = 0;
    private static final int OP_TEXT = 1;
    private static final int OP_CLOSE = 8;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ByteBuf lines = null;
        while (in.isReadable(2)) {
            int r = in.readerIndex();
            int b0 = in.getUnsignedByte(r);
            int b1 = in.getUnsignedByte(r + 1);
            if ((b1 & 0x80) != 0) {
                throw new CorruptedFrameException("a masked frame from the server");
            }
            long length = b1 & 0x7F;
            int header = 2;
            if (length == 126) {
                if (!in.isReadable(4)) {
                    break;
                }
                length = in.getUnsignedShort(r + 2);
                header = 4;
            } else if (length == 127) {
                if (!in.isReadable(10)) {
                    break;
                }
                length = in.getLong(r + 2);
                header = 10;
            }
            if (length > Integer.MAX_VALUE - header) {
                throw new CorruptedFrameException("a frame of " + length + " bytes");
            }
            if (!in.isReadable(header + (int) length)) {
                break;
            }
            int opcode = b0 & 0x0F;
            if (opcode == OP_TEXT || opcode == OP_CONTINUATION) {
                if (lines == null) {
                    lines = ctx.alloc().ioBuffer(in.readableBytes());
                }
                lines.writeBytes(in, r + header, (int) length);
                if ((b0 & 0x80) != 0) {
                    lines.writeByte('\n');
                }
            } else if (opcode == OP_CLOSE) {
                in.skipBytes(in.readableBytes());
                ctx.close();
                break;
            }
            in.skipBytes(header + (int) length);
        }
        if (lines != null) {
            out.add(lines);
        }
    }
}
