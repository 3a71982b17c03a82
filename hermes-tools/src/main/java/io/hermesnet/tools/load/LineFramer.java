package io.hermesnet.tools.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Line framing the way Netty's {@code LineBasedFrameDecoder} frames (LF or CRLF), without a buffer or
 * a string per line: each read is copied once into a scratch array (behind any partial line left from
 * the read before), and each complete line is handed to {@link #onLine} as a range of that array,
 * valid only during the call. Only the partial line at the end of a read is kept, in a small
 * per-channel array. Scanning an array is what the JIT does best, and one bulk copy per read is one
 * access for Netty's leak detector, where per-byte {@code getByte} calls would each record a trace
 * at the paranoid level the tests run with.
 *
 * <p>Not sharable (the partial line is per channel); runs on the channel's event loop. A line longer
 * than {@code maxLineBytes} fires a {@link TooLongFrameException}.
 */
abstract class LineFramer extends ChannelInboundHandlerAdapter {
    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int maxLineBytes;
    private byte[] scratch = new byte[0];
    private byte[] tail = new byte[0];
    private int tailLength;

    /** @param maxLineBytes the longest line expected, terminator excluded */
    LineFramer(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * One line of {@code buf}, from {@code from} (inclusive) to {@code to} (exclusive), its terminator
     * removed. The array is reused after the call: do not keep it.
     */
    protected abstract void onLine(byte[] buf, int from, int to);

    /**
     * An array of at least {@code length} bytes to copy a read into. By default one per handler; a
     * subclass may share one between all the channels of an event loop, as they read one at a time.
     */
    protected byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, 2 * scratch.length)];
        }
        return scratch;
    }

    /**
     * The index of the first {@code value} in {@code a[from, to)}, or -1: eight bytes at a time (the
     * SWAR zero-byte test, as Netty's {@code ByteBufUtil.indexOf} does for buffers).
     */
    static int indexOf(byte[] a, int from, int to, byte value) {
        long pattern = 0x0101010101010101L * (value & 0xFF);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(a, i) ^ pattern; // a zero byte where value is
            long found = (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == value) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int total;
        byte[] a;
        try {
            int n = in.readableBytes();
            total = tailLength + n;
            a = scratch(total);
            System.arraycopy(tail, 0, a, 0, tailLength);
            in.getBytes(in.readerIndex(), a, tailLength, n);
        } finally {
            in.release();
        }
        int start = 0;
        // the partial line holds no LF: search from the new bytes on
        for (int lf = indexOf(a, tailLength, total, LF); lf >= 0; lf = indexOf(a, lf + 1, total, LF)) {
            onLine(a, start, lf > start && a[lf - 1] == CR ? lf - 1 : lf);
            start = lf + 1;
        }
        tailLength = total - start;
        if (tailLength > maxLineBytes + 1) { // + 1: the CR of a CRLF split by the read
            tailLength = 0;
            throw new TooLongFrameException("a line longer than " + maxLineBytes + " bytes");
        }
        if (tail.length < tailLength) {
            tail = new byte[Math.max(tailLength, Math.max(64, 2 * tail.length))];
        }
        System.arraycopy(a, start, tail, 0, tailLength);
    }
}
