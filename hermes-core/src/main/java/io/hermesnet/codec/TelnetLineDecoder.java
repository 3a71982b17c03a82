package io.hermesnet.codec;

import io.hermesnet.protocol.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.util.ByteProcessor;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns one frame (a line without its terminator, from a {@link io.netty.handler.codec.LineBasedFrameDecoder})
 * into a {@code String}: telnet IAC sequences are removed (docs/protocol.md §2 Framing) and the rest must be strict
 * UTF-8, or the line is dropped with a {@link ProtocolException} of {@link ErrorCode#BAD_ENCODING}.
 *
 * <p>Stateless and {@link Sharable}: IAC sequences are removed per frame, which covers what telnet
 * sends (negotiations and commands such as IP or AYT; none of them contains a line feed).
 */
@Sharable
public final class TelnetLineDecoder extends MessageToMessageDecoder<ByteBuf> {
    /** The telnet "interpret as command" byte. */
    static final int IAC = 0xFF;
    private static final int SE = 240;
    private static final int SB = 250;
    private static final int WILL = 251;
    private static final int DONT = 254;

    /** The shared instance. */
    public static final TelnetLineDecoder INSTANCE = new TelnetLineDecoder();

    private static final ByteProcessor ASCII = b -> b >= 0;

    private TelnetLineDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        out.add(decodeLine(frame));
    }

    /**
     * Decodes one frame; does not release it.
     *
     * @throws ProtocolException with {@link ErrorCode#BAD_ENCODING} if what is left after removing IAC
     *                           sequences is not valid UTF-8
     */
    public static String decodeLine(ByteBuf frame) {
        // Nearly every line is ASCII: one scan proves it (IAC is not ASCII either), and ASCII needs no
        // validation and decodes byte for char.
        if (frame.forEachByte(ASCII) < 0) {
            return frame.toString(StandardCharsets.US_ASCII);
        }
        int iac = frame.indexOf(frame.readerIndex(), frame.writerIndex(), (byte) IAC);
        if (iac >= 0) {
            return toUtf8(withoutIac(frame, iac));
        }
        return toUtf8(frame);
    }

    private static String toUtf8(ByteBuf bytes) {
        // One strict decode over the NIO view: validates and decodes in a single pass, and touches the
        // buffer once (ByteBufUtil.isText reads byte by byte, which paranoid leak detection records
        // one stack trace at a time: ~80 ms for an 8 KiB line).
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes.nioBuffer())
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(ErrorCode.BAD_ENCODING, "line is not valid UTF-8 and was dropped");
        }
    }

    /** The frame's bytes without IAC sequences; {@code first} is the index of the first IAC byte. */
    private static ByteBuf withoutIac(ByteBuf frame, int first) {
        int end = frame.writerIndex();
        byte[] out = new byte[frame.readableBytes()];
        int n = 0;
        for (int i = frame.readerIndex(); i < end; i++) {
            int b = frame.getUnsignedByte(i);
            if (b != IAC) {
                out[n++] = (byte) b;
                continue;
            }
            if (i + 1 >= end) {
                break;
            }
            int cmd = frame.getUnsignedByte(++i);
            if (cmd >= WILL && cmd <= DONT) {
                i++; // skip the option byte
            } else if (cmd == SB) {
                // subnegotiation: skip up to and including IAC SE (or to the end of the frame)
                while (i + 1 < end && !(frame.getUnsignedByte(i) == IAC && frame.getUnsignedByte(i + 1) == SE)) {
                    i++;
                }
                i++;
            }
            // IAC IAC (an escaped 0xFF data byte) is dropped too: 0xFF is never valid UTF-8.
        }
        return io.netty.buffer.Unpooled.wrappedBuffer(out, 0, n);
    }
}
