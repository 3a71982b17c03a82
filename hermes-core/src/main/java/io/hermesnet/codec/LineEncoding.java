package io.hermesnet.codec;

import io.hermesnet.protocol.ProtocolFormatter;
import io.hermesnet.protocol.ServerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;

/**
 * Encodes server lines: UTF-8 text followed by CRLF (docs/protocol.md §2 Framing). Used by
 * {@link ServerEventEncoder} for single writes and by broadcasts, which encode a line once and hand
 * the one buffer to every recipient (each copies it into its write batch).
 */
public final class LineEncoding {
    private static final short CRLF = ('\r' << 8) | '\n';

    private LineEncoding() {
    }

    /** A new buffer from {@code alloc} holding {@code event}'s line and CRLF; the caller owns it. */
    public static ByteBuf encode(ByteBufAllocator alloc, ServerEvent event) {
        return encode(alloc, ProtocolFormatter.format(event));
    }

    /** A new buffer from {@code alloc} holding {@code line} in UTF-8 and CRLF; the caller owns it. */
    public static ByteBuf encode(ByteBufAllocator alloc, CharSequence line) {
        if (line instanceof String s) {
            // String.getBytes is vectorized for the common all-ASCII line; writeUtf8 goes char by char
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            return alloc.buffer(bytes.length + 2).writeBytes(bytes).writeShort(CRLF);
        }
        ByteBuf buf = alloc.buffer(ByteBufUtil.utf8MaxBytes(line) + 2);
        ByteBufUtil.writeUtf8(buf, line);
        buf.writeShort(CRLF);
        return buf;
    }

    /** Appends {@code event}'s line and CRLF to {@code out}. */
    public static void encodeTo(ServerEvent event, ByteBuf out) {
        String line = ProtocolFormatter.format(event);
        out.ensureWritable(ByteBufUtil.utf8MaxBytes(line) + 2);
        ByteBufUtil.writeUtf8(out, line);
        out.writeShort(CRLF);
    }
}
