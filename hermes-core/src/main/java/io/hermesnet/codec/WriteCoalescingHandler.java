package io.hermesnet.codec;

import io.hermesnet.protocol.ServerEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Write coalescing for the fan-out hot path (docs/protocol.md §3.4): the small encoded lines written to one channel
 * between two flushes are copied into one batch buffer, which goes down the pipeline as a single write
 * when the channel is flushed. A recipient of a burst of broadcast lines then costs one
 * {@code ChannelOutboundBuffer} entry and one {@code write(2)} per flush, not one entry and one iovec
 * per line: the per-subscriber coalescing NATS does once per read loop.
 *
 * <p>Why copy instead of writing retained duplicates of the one shared broadcast buffer: a chat line is
 * tens of bytes, and copying it costs less than the duplicate, the outbound-buffer entry and the
 * reference counting it replaces; and the kernel gets one contiguous buffer.
 *
 * <p>Order is kept: a write this handler does not coalesce (a real promise, such as the {@code BYE}
 * before a close; a message that is not a buffer; a buffer of {@code maxBatchBytes} or more) first passes
 * the batch on. A batch that reaches {@code maxBatchBytes} is written and flushed at once, so the
 * {@link io.hermesnet.handler.SlowConsumerHandler} before it (toward the socket) sees at most that much less than is queued,
 * and a flood reaches the socket while it is read.
 * Coalesced writes use the void promise, so their failures reach {@code exceptionCaught}, as any
 * void-promise write's do.
 *
 * <p>Every buffer the coalescer takes, appended or written, is shown first to its
 * {@link SentLineListener} (the TX log), so a handler that only watches outbound lines need not sit
 * in the pipeline, where it would switch the fan-out's direct append off.
 *
 * <p>Not sharable: holds the channel's batch. Event loop only, including {@link #append}.
 */
public final class WriteCoalescingHandler extends ChannelOutboundHandlerAdapter {
    /** Sees the encoded lines on their way to one channel's socket, in order. */
    @FunctionalInterface
    public interface SentLineListener {
        /**
         * Called on the channel's event loop for each buffer of whole CRLF-terminated lines the
         * coalescer takes; must not change the buffer's indexes or reference count, nor keep it.
         */
        void sent(Channel channel, ByteBuf lines);
    }

    /** The default {@code maxBatchBytes}: 64 KiB, the most one write to a loopback socket usually takes. */
    public static final int DEFAULT_MAX_BATCH_BYTES = 64 * 1024;
    // the first batch's size; later ones start at the size the last one reached, so a steady flood
    // does not regrow (and copy) each batch on its way to maxBatchBytes
    private static final int MIN_BATCH_BYTES = 256;

    private final int maxBatchBytes;
    private final SentLineListener listener;
    private ChannelHandlerContext ctx;
    private ByteBuf batch;
    private int nextBatchBytes = MIN_BATCH_BYTES;
    private boolean removed;

    /** A coalescer with {@link #DEFAULT_MAX_BATCH_BYTES}. */
    public WriteCoalescingHandler() {
        this(DEFAULT_MAX_BATCH_BYTES);
    }

    /**
     * @param maxBatchBytes bytes after which a batch is written and flushed without waiting; also the
     *                      size from which a buffer is passed on as it is instead of copied; at least 1
     */
    public WriteCoalescingHandler(int maxBatchBytes) {
        this(maxBatchBytes, null);
    }

    /**
     * @param maxBatchBytes see {@link #WriteCoalescingHandler(int)}
     * @param listener      shown every buffer the coalescer takes, or null
     */
    public WriteCoalescingHandler(int maxBatchBytes, SentLineListener listener) {
        if (maxBatchBytes < 1) {
            throw new IllegalArgumentException("maxBatchBytes must be at least 1: " + maxBatchBytes);
        }
        this.maxBatchBytes = maxBatchBytes;
        this.listener = listener;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        if (batch != null) {
            batch.release();
            batch = null;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf && promise.isVoid() && buf.readableBytes() < maxBatchBytes) {
            try {
                append(buf);
            } finally {
                buf.release();
            }
            return;
        }
        if (listener != null && msg instanceof ByteBuf buf) {
            listener.sent(ctx.channel(), buf);
        }
        passBatchOn();
        ctx.write(msg, promise);
    }

    /**
     * Adds a copy of {@code line}'s readable bytes to the batch, as a void-promise write of it would,
     * without changing its indexes or reference count: the fan-out's way to skip the pipeline walk for
     * each recipient of one shared buffer. Only on the channel's event loop, and only when every outbound
     * handler after this one (toward the tail) passes buffers on at once, as HermesNet's do, or the line
     * could overtake one of theirs. Does nothing once the handler is removed (the channel is gone).
     */
    public void append(ByteBuf line) {
        if (removed) {
            return;
        }
        if (listener != null) {
            listener.sent(ctx.channel(), line);
        }
        int n = line.readableBytes();
        if (batch == null) {
            batch = ctx.alloc().ioBuffer(Math.max(n, nextBatchBytes));
        }
        if (line.hasArray()) { // a broadcast's heap line: a plain array copy, no NIO view of either buffer
            batch.writeBytes(line.array(), line.arrayOffset() + line.readerIndex(), n);
        } else {
            batch.writeBytes(line, line.readerIndex(), n);
        }
        if (batch.readableBytes() >= maxBatchBytes) {
            // A burst bigger than a batch goes to the socket as it comes, as NATS flushes a full
            // subscriber buffer: held until the read loop ends, a flood read in one loop (16 reads of
            // 64 KiB, times the recipients' prefixes) would pass --max-pending before the first flush.
            passBatchOn();
            ctx.flush();
        }
    }

    /**
     * Encodes {@code event} straight into the batch, as a void-promise write of it through the event
     * encoder would: same rules as {@link #append(ByteBuf)}, one copy fewer.
     */
    public void append(ServerEvent event) {
        if (removed) {
            return;
        }
        if (batch == null) {
            batch = ctx.alloc().ioBuffer(nextBatchBytes);
        }
        int start = batch.writerIndex();
        LineEncoding.encodeTo(event, batch);
        if (listener != null) {
            listener.sent(ctx.channel(), batch.slice(start, batch.writerIndex() - start));
        }
        if (batch.readableBytes() >= maxBatchBytes) {
            passBatchOn();
            ctx.flush();
        }
    }

    /** Bytes in the batch, not yet passed on: what the next flush writes. Event loop only. */
    public int pendingBytes() {
        ByteBuf b = batch;
        return b == null ? 0 : b.readableBytes();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        passBatchOn();
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        // Netty fails what is written but unflushed at close; passing the batch on lets it do so
        passBatchOn();
        ctx.close(promise);
    }

    private void passBatchOn() {
        ByteBuf b = batch;
        if (b != null) {
            batch = null;
            nextBatchBytes = Math.min(maxBatchBytes, Math.max(MIN_BATCH_BYTES, b.readableBytes()));
            ctx.write(b, ctx.voidPromise());
        }
    }
}
